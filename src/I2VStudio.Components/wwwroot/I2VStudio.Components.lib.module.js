// Blazor JS initializer: blazor.web.js loads `{library}.lib.module.js` of every library in the app before it starts.
// It puts MudBlazor's stylesheet and script on the page when the app has not linked them, so embedding the studio
// needs no <link>/<script> lines. An app that links them itself (recommended: the prerendered page is then styled from
// the first paint) is left alone, and MudBlazor's script is never loaded twice.

const styleSheet = "_content/MudBlazor/MudBlazor.min.css";
const script = "_content/MudBlazor/MudBlazor.min.js";

function documentParsed() {
    // Wait for the whole document, so a <script> the app placed after blazor.web.js is seen before deciding.
    return document.readyState === "loading"
        ? new Promise(resolve => document.addEventListener("DOMContentLoaded", resolve, { once: true }))
        : Promise.resolve();
}

// Any MudBlazor stylesheet or script counts: plain, fingerprinted (@Assets[...]) or from a CDN.
function linked(selector, attribute, extension) {
    return Array.from(document.querySelectorAll(selector)).some(element => {
        const url = (element.getAttribute(attribute) || "").toLowerCase().split("?")[0];
        return url.includes("mudblazor") && url.endsWith(extension);
    });
}

function loadScript(src) {
    return new Promise(resolve => {
        const element = document.createElement("script");
        element.src = src;
        element.onload = () => resolve();
        // A missing file is MudBlazor's own setup problem; Blazor still starts, and MudBlazor reports it.
        element.onerror = () => resolve();
        document.body.appendChild(element);
    });
}

export async function beforeWebStart() {
    await documentParsed();
    if (!linked('link[rel="stylesheet"]', "href", ".css")) {
        const link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = styleSheet;
        document.head.appendChild(link);
    }

    if (!linked("script[src]", "src", ".js")) {
        // MudBlazor's components call into this script from their first interactive render: load it before start.
        await loadScript(script);
    }
}
