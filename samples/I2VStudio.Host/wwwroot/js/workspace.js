// The workspace pages read large text (a pasted novel) from the browser as a stream: a bound textarea would send the
// whole text in one circuit message, over SignalR's 32 KB limit.

/** The textarea's text as UTF-8 bytes (Blazor reads them as a stream, in chunks). */
export function textOf(element) {
    return new TextEncoder().encode(element?.value ?? "");
}

/** Empties the textarea after a successful import. */
export function clear(element) {
    if (element) element.value = "";
}
