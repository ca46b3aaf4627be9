// Small browser actions for I2V Studio: clipboard, notifications, the tab title badge, downloads.

export async function copyText(text) {
    try {
        await navigator.clipboard.writeText(text);
        return true;
    } catch {
        // No clipboard API (insecure origin) or no permission: the old way.
        const area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("readonly", "");
        area.style.position = "fixed";
        area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        let ok = false;
        try { ok = document.execCommand("copy"); } catch { ok = false; }
        area.remove();
        return ok;
    }
}

export function notificationPermission() {
    return "Notification" in window ? Notification.permission : "unsupported";
}

export async function requestNotificationPermission() {
    if (!("Notification" in window)) return "unsupported";
    if (Notification.permission !== "default") return Notification.permission;
    try {
        return await Notification.requestPermission();
    } catch {
        return Notification.permission;
    }
}

/** Shows a system notification when allowed and the tab is not in front (in front, the in-app snackbar says it). */
export function showNotification(title, body, tag) {
    if (!("Notification" in window) || Notification.permission !== "granted") return false;
    if (document.visibilityState === "visible" && document.hasFocus()) return false;
    try {
        const n = new Notification(title, { body, tag: tag || undefined });
        n.onclick = () => { window.focus(); n.close(); };
        return true;
    } catch {
        return false; // some platforms only allow notifications from a service worker
    }
}

const badge = /^\(\d+\) /;
let unseen = 0;
let observer = null;

function applyBadge() {
    const base = document.title.replace(badge, "");
    const wanted = unseen > 0 ? `(${unseen}) ${base}` : base;
    if (document.title !== wanted) document.title = wanted;
}

/** Prefixes the tab title with "(n) ", and keeps it there when the page changes its title. */
export function setTitleBadge(count) {
    unseen = count;
    applyBadge();
    const title = document.querySelector("title");
    if (!observer && title) {
        observer = new MutationObserver(applyBadge);
        observer.observe(title, { childList: true, characterData: true, subtree: true });
    }
}

/** Starts a download through a temporary <a download>. */
export function download(url, fileName) {
    const a = document.createElement("a");
    a.href = url;
    a.download = fileName || "";
    a.rel = "noopener";
    a.style.display = "none";
    document.body.appendChild(a);
    a.click();
    a.remove();
}
