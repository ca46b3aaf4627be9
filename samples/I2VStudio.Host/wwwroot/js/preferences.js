// Remembers the theme in a cookie, so the next prerender already uses it.
export function setThemeCookie(name, value) {
    document.cookie = `${name}=${encodeURIComponent(value)}; path=/; max-age=31536000; samesite=lax`;
}
