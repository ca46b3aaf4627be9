// localStorage access for I2V Studio's job records and prompt history.
// Every job record has its own key, so two tabs never overwrite each other's jobs; the policy
// (what to evict when full, how to migrate) lives in .NET, this module only reads and writes.

/** Every key with the prefix and its value. */
export function loadAll(prefix) {
    const items = [];
    for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (key !== null && key.startsWith(prefix)) {
            items.push({ key, value: localStorage.getItem(key) ?? "" });
        }
    }
    return items;
}

export function getItem(key) {
    return localStorage.getItem(key);
}

// Reads that can be large (every job record with its thumbnail; fifty long prompts) go to .NET as UTF-8 bytes, which
// Blazor hands over as a stream: over a Server circuit a stream travels in chunks, so no SignalR message-size limit
// needs raising by the embedding app.
const utf8 = new TextEncoder();

/** loadAll as UTF-8 JSON bytes: [{ key, value }]. */
export function loadAllData(prefix) {
    return utf8.encode(JSON.stringify(loadAll(prefix)));
}

/** An item's value as UTF-8 bytes; empty when there is none. */
export function getItemData(key) {
    return utf8.encode(localStorage.getItem(key) ?? "");
}

/**
 * Writes one item; returns "ok" or "quota" (QuotaExceededError) so .NET can evict and retry. With keepTombstone, a job
 * record whose stored value is a tombstone (the user removed the job in some tab) is not overwritten: "removed".
 */
export function setItem(key, value, keepTombstone) {
    if (keepTombstone && isTombstone(localStorage.getItem(key))) return "removed";
    try {
        localStorage.setItem(key, value);
        return "ok";
    } catch (e) {
        if (isQuotaError(e)) return "quota";
        throw e;
    }
}

/** Copies an item's text to another key and removes the original; "quota" (and the original kept) when there is no room. */
export function moveItem(from, to) {
    const value = localStorage.getItem(from);
    if (value === null) return "ok";
    const written = setItem(to, value);
    if (written === "ok") localStorage.removeItem(from);
    return written;
}

export function removeItem(key) {
    localStorage.removeItem(key);
}

export function removeItems(keys) {
    for (const key of keys) localStorage.removeItem(key);
}

function isTombstone(text) {
    if (text === null || !text.includes('"removed":true')) return false;
    try {
        return JSON.parse(text).removed === true;
    } catch {
        return false;
    }
}

function isQuotaError(e) {
    return e instanceof DOMException && (
        e.name === "QuotaExceededError" || e.name === "NS_ERROR_DOM_QUOTA_REACHED" || e.code === 22 || e.code === 1014);
}

/**
 * Reports keys with the prefix that another tab changed (the `storage` event only fires for other tabs),
 * batched per animation-free tick so a burst of writes makes one call. Returns a handle with stop().
 */
export function watch(prefix, dotNetRef) {
    let pending = new Set();
    let timer = 0;
    let stopped = false;
    const flush = () => {
        timer = 0;
        const ids = [...pending];
        pending = new Set();
        if (stopped || ids.length === 0) return;
        dotNetRef.invokeMethodAsync("OnExternalChange", ids).catch(() => { /* circuit gone */ });
    };
    const onStorage = (e) => {
        // e.key is null when another tab called localStorage.clear(): nothing to name, ignored.
        if (e.storageArea !== localStorage || e.key === null || !e.key.startsWith(prefix)) return;
        pending.add(e.key.substring(prefix.length));
        if (!timer) timer = setTimeout(flush, 50);
    };
    window.addEventListener("storage", onStorage);
    return {
        stop() {
            stopped = true;
            if (timer) clearTimeout(timer);
            window.removeEventListener("storage", onStorage);
        },
    };
}
