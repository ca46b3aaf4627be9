// Pictures of a picked image made in the browser: the preview the input panel shows and the small thumbnail kept with
// a job. Neither is ever sent to the backend; the original is.

/**
 * Long side, in px, above which the preview is a downscaled copy. The panel shows it at most 260 px tall, so this
 * stays sharp on 3× screens; showing a 2580 × 2580 px original there had the page hold all 26 MB of it decoded, after
 * decoding it once more for the thumbnail.
 */
const PREVIEW_SIDE = 1024;

/**
 * Decodes blob (width × height px, as its header says) at most PREVIEW_SIDE px on its long side. Only the width is
 * given, so the browser keeps the aspect ratio of what it decodes; decoding at the target size keeps a 40 MP image from
 * being held in full.
 */
export function decodeForPreview(blob, width, height) {
    const scale = Math.min(1, PREVIEW_SIDE / Math.max(width, height));
    return scale < 1
        ? createImageBitmap(blob, { resizeWidth: Math.max(1, Math.round(width * scale)), resizeQuality: "high" })
        : createImageBitmap(blob);
}

/**
 * What the preview shows of blob, given its decoded bitmap (decodeForPreview): the original when the bitmap is the
 * full picture, else the bitmap encoded (JPEG for a JPEG; PNG otherwise, so transparency stays).
 */
export async function previewOf(blob, bitmap, width, height) {
    if (bitmap.width * bitmap.height >= width * height) return blob;
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    canvas.getContext("2d").drawImage(bitmap, 0, 0);
    return canvas.convertToBlob(blob.type === "image/jpeg" ? { type: "image/jpeg", quality: 0.9 } : { type: "image/png" });
}

/** The preview of a stored image (see previewOf), decoding it only when it is larger than that. */
export async function previewBlob(blob, width, height) {
    if (!(width > 0 && height > 0) || Math.max(width, height) <= PREVIEW_SIDE) return blob;
    try {
        const bitmap = await decodeForPreview(blob, width, height);
        try {
            return await previewOf(blob, bitmap, width, height);
        } finally {
            bitmap.close();
        }
    } catch {
        return blob; // not decodable here: the original shows as it did before
    }
}

/** A JPEG data URL of at most maxChars characters: bitmap downscaled to `side` px on its long side, quality lowered until it fits. */
export function thumbnailOf(bitmap, side, maxChars) {
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    let w = Math.max(1, Math.round(bitmap.width * scale));
    let h = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d");
    let url = "";
    for (let round = 0; round < 8; round++) {
        canvas.width = w;
        canvas.height = h;
        ctx.fillStyle = "#fff"; // transparent PNG areas become white, not black
        ctx.fillRect(0, 0, w, h);
        ctx.imageSmoothingQuality = "high";
        ctx.drawImage(bitmap, 0, 0, w, h);
        for (const quality of [0.82, 0.7, 0.58, 0.46, 0.34]) {
            url = canvas.toDataURL("image/jpeg", quality);
            if (url.length <= maxChars) return url;
        }
        w = Math.max(1, Math.round(w * 0.75));
        h = Math.max(1, Math.round(h * 0.75));
    }
    return url;
}
