// Image intake: click, drag-and-drop and paste. The browser only reads a file's first bytes and its size;
// .NET (ImageInspector) decides. Only an accepted file is stored (IndexedDB) and thumbnailed here.
import { put } from "./blobs.js";
import { decodeForPreview, previewOf, thumbnailOf } from "./imaging.js";

/**
 * Wires the drop zone (a <button>), the hidden file input and document paste.
 * options: { maxBytes, headBytes }. Returns a handle with accept(), discard() and detach().
 */
export function attach(dropZone, fileInput, dotNetRef, options) {
    const pending = new Map();
    const objectUrls = [];
    let seq = 0;
    let detached = false;

    async function handle(file) {
        if (!file || detached) return;
        const id = `f${++seq}`;
        pending.set(id, file);
        try {
            // Name and size only: .NET asks for the first bytes through head(id), as a stream (see there).
            await dotNetRef.invokeMethodAsync("OnFile", id, file.name || "", file.size);
        } catch {
            // The circuit is gone or the component was disposed.
        } finally {
            pending.delete(id);
        }
    }

    const onClick = () => fileInput.click();
    const onChange = () => {
        const file = fileInput.files && fileInput.files[0];
        // Reset so picking the same file again still fires "change".
        fileInput.value = "";
        handle(file);
    };
    const onDragOver = (e) => {
        if (!e.dataTransfer || ![...e.dataTransfer.types].includes("Files")) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
        dropZone.classList.add("i2v-drop-active");
    };
    const onDragLeave = () => dropZone.classList.remove("i2v-drop-active");
    const onDrop = (e) => {
        dropZone.classList.remove("i2v-drop-active");
        if (!e.dataTransfer || e.dataTransfer.files.length === 0) return;
        e.preventDefault();
        handle(e.dataTransfer.files[0]);
    };
    const onPaste = (e) => {
        // Only pastes that carry files are ours; text pastes (into the prompt) go through untouched.
        const files = e.clipboardData ? [...e.clipboardData.files] : [];
        if (files.length === 0) return;
        e.preventDefault();
        handle(files.find((f) => f.type.startsWith("image/")) ?? files[0]);
    };

    dropZone.addEventListener("click", onClick);
    fileInput.addEventListener("change", onChange);
    dropZone.addEventListener("dragover", onDragOver);
    dropZone.addEventListener("dragleave", onDragLeave);
    dropZone.addEventListener("drop", onDrop);
    document.addEventListener("paste", onPaste);

    return {
        /**
         * The file's first options.headBytes, as bytes that Blazor hands to .NET as a stream: over a Server circuit a
         * stream travels in chunks, so no SignalR message-size limit needs raising by the app. Empty when unreadable
         * (e.g. a file removed after picking).
         */
        async head(id) {
            const file = pending.get(id);
            if (!file) return new Uint8Array(0);
            try {
                return new Uint8Array(await file.slice(0, options.headBytes).arrayBuffer());
            } catch {
                return new Uint8Array(0);
            }
        },
        /**
         * Stores the accepted file and returns { thumbnailDataUrl, previewUrl }: one decode, at preview size, gives both
         * (the preview is a downscaled copy when the file is large; see imaging.js).
         */
        async accept(id, blobKey, width, height, capBytes, thumbSide, thumbMaxChars) {
            const file = pending.get(id);
            if (!file) throw new Error("The file is no longer available.");
            // Decoded before it is stored: a picture the browser cannot decode is refused and evicts nothing.
            const bitmap = await decodeForPreview(file, width, height);
            let thumbnailDataUrl, preview;
            try {
                thumbnailDataUrl = thumbnailOf(bitmap, thumbSide, thumbMaxChars);
                preview = await previewOf(file, bitmap, width, height);
            } finally {
                bitmap.close();
            }
            await put(blobKey, file, file.name || "", capBytes);
            const previewUrl = URL.createObjectURL(preview);
            objectUrls.push(previewUrl);
            return { thumbnailDataUrl, previewUrl };
        },
        /**
         * Fetches an image of this site and takes it like a picked file (PickFromUrlAsync). Returns once fetched; the
         * file is then judged as usual. Another origin, a malformed URL or a failed fetch is reported as unavailable (OnUnavailable).
         */
        async fromUrl(url, name) {
            let fileName = name || "";
            let blob = null;
            try {
                const target = new URL(url, document.baseURI);
                fileName = fileName || target.pathname.split("/").pop() || "";
                // Only images of this site are taken; anything else is never fetched and reads as unavailable.
                if (target.origin === location.origin) {
                    const response = await fetch(target, { credentials: "same-origin" });
                    if (response.ok) blob = await response.blob();
                }
            } catch {
                // A malformed URL or a failed request: reported as unavailable below.
            }
            if (blob === null) {
                // Deleted meanwhile, or the request failed: said as such, not as an empty file.
                if (detached) return;
                try {
                    await dotNetRef.invokeMethodAsync("OnUnavailable", fileName);
                } catch {
                    // The circuit is gone or the component was disposed.
                }
                return;
            }
            handle(new File([blob], fileName, { type: blob.type }));
        },
        discard(id) {
            pending.delete(id);
        },
        detach() {
            detached = true;
            pending.clear();
            dropZone.removeEventListener("click", onClick);
            fileInput.removeEventListener("change", onChange);
            dropZone.removeEventListener("dragover", onDragOver);
            dropZone.removeEventListener("dragleave", onDragLeave);
            dropZone.removeEventListener("drop", onDrop);
            document.removeEventListener("paste", onPaste);
            for (const url of objectUrls) URL.revokeObjectURL(url);
            objectUrls.length = 0;
        },
    };
}
