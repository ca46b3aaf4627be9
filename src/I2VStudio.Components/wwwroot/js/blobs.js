// IndexedDB store of original input images ("i2v-studio" / "images"), capped, oldest evicted first,
// so a job can be retried after a reload without picking the image again.

import { previewBlob } from "./imaging.js";

const DB_NAME = "i2v-studio";
const STORE = "images";
let dbPromise = null;

function request(req) {
    return new Promise((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
    });
}

function done(tx) {
    return new Promise((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new DOMException("aborted", "AbortError"));
    });
}

export function openDb() {
    if (!dbPromise) {
        dbPromise = new Promise((resolve, reject) => {
            const open = indexedDB.open(DB_NAME, 1);
            open.onupgradeneeded = () => {
                const store = open.result.createObjectStore(STORE, { keyPath: "key" });
                store.createIndex("storedAt", "storedAt");
            };
            open.onsuccess = () => {
                const db = open.result;
                // Another tab upgrading the schema: let it, and reopen next time.
                db.onversionchange = () => { db.close(); dbPromise = null; };
                resolve(db);
            };
            open.onerror = () => { dbPromise = null; reject(open.error); };
            open.onblocked = () => { /* an older tab holds the DB open; the open completes when it closes */ };
        });
    }
    return dbPromise;
}

/** The stored entry { key, blob, size, type, name, storedAt } under key, or undefined. */
async function getEntry(key) {
    const db = await openDb();
    return request(db.transaction(STORE, "readonly").objectStore(STORE).get(key));
}

/** Stores a Blob/File under key, first evicting the oldest images until the total fits capBytes. */
export async function put(key, blob, name, capBytes) {
    const db = await openDb();
    const size = blob.size;
    // Sizes only, so eviction does not read the image data.
    const tx = db.transaction(STORE, "readwrite");
    const store = tx.objectStore(STORE);
    const entries = await request(store.index("storedAt").getAll());
    let total = entries.reduce((sum, e) => sum + (e.size || 0), 0);
    for (const e of entries) {
        if (total + size <= capBytes) break;
        if (e.key === key) continue;
        store.delete(e.key);
        total -= e.size || 0;
    }
    store.put({ key, blob, size, type: blob.type, name: name || "", storedAt: Date.now() });
    await done(tx);
}

/** { size, type, name } of a stored image, or null. */
export async function info(key) {
    const entry = await getEntry(key);
    return entry ? { size: entry.size, type: entry.type || "", name: entry.name || "" } : null;
}

/** The stored Blob (streamed to .NET as an IJSStreamReference); throws when missing (call info first). */
export async function openRead(key) {
    const entry = await getEntry(key);
    if (!entry) throw new Error("missing");
    return entry.blob;
}

/**
 * Posts the stored image to url (the host's upload slot) as application/octet-stream, a type a cross-site page cannot
 * send without a CORS preflight. Resolves with the HTTP status once the host has answered (after it forwarded the
 * body), 0 when the image is missing or the request failed.
 */
export async function send(key, url) {
    const entry = await getEntry(key);
    if (!entry) return 0;
    try {
        const response = await fetch(url, {
            method: "POST", body: entry.blob, headers: { "Content-Type": "application/octet-stream" },
            credentials: "same-origin", cache: "no-store",
        });
        return response.status;
    } catch {
        return 0;
    }
}

const posts = new Map();

/**
 * Posts a job form to url with the stored image as its image part (WebAssembly: the image never crosses into .NET).
 * fields are [name, value] pairs in the client's order, the image goes at imagePosition. Resolves with
 * { status, statusText, body, headers } once the answer is read, null when the image is not stored; rejects when no
 * answer came (network) or abortPost(id) aborted it.
 */
export async function postForm(id, key, url, fields, imagePosition, imageField, fileName, contentType) {
    const controller = new AbortController();
    posts.set(id, controller);
    try {
        const entry = await getEntry(key);
        if (!entry) return null;
        const form = new FormData();
        // slice() re-labels the Blob with the type the client sends without copying its bytes.
        const image = entry.blob.slice(0, entry.blob.size, contentType);
        fields.forEach(([name, value], i) => {
            if (i === imagePosition) form.append(imageField, image, fileName);
            form.append(name, value);
        });
        if (imagePosition >= fields.length) form.append(imageField, image, fileName);
        const response = await fetch(url, {
            method: "POST", body: form, credentials: "same-origin", cache: "no-store", signal: controller.signal,
        });
        const body = await response.text();
        return { status: response.status, statusText: response.statusText, body, headers: [...response.headers] };
    } finally {
        posts.delete(id);
    }
}

/** Aborts a postForm still running (the client's timeout or cancellation). */
export function abortPost(id) {
    posts.get(id)?.abort();
}

/** The stored image's bytes (a Uint8Array: one copy into WebAssembly .NET), or null. Not for a circuit. */
export async function readAll(key) {
    const entry = await getEntry(key);
    return entry ? new Uint8Array(await entry.blob.arrayBuffer()) : null;
}

/** A blob: URL showing the stored image (width × height px; a downscaled copy when large, see imaging.js), or null. */
export async function previewUrl(key, width, height) {
    const entry = await getEntry(key);
    return entry ? URL.createObjectURL(await previewBlob(entry.blob, width, height)) : null;
}

export async function remove(key) {
    const db = await openDb();
    const tx = db.transaction(STORE, "readwrite");
    tx.objectStore(STORE).delete(key);
    await done(tx);
}
