// Keeps a result video playing across link expiry. The player's "error" event asks .NET once for a fresh link
// (RefreshOutputUrlAsync on the server), then swaps it in and restores the playback position. Two failed refreshes
// in a row stop the loop until a link loads again.
export function attach(video, dotNet) {
    let lastTime = 0;
    let playing = false;
    let refreshing = false;
    let failures = 0;

    const onTime = () => {
        if (video.currentTime > 0) lastTime = video.currentTime;
    };
    const onPlay = () => { playing = true; };
    const onPause = () => { if (!video.error) playing = false; };
    const onLoaded = () => { failures = 0; };
    const onError = async () => {
        if (refreshing || failures >= 2) return;
        refreshing = true;
        failures++;
        const position = lastTime;
        const resume = playing;
        try {
            const url = await dotNet.invokeMethodAsync("OnVideoErrorAsync");
            if (url) swap(url, position, resume);
        } catch {
            // The circuit is gone or the refresh failed; the panel says what it knows.
        } finally {
            refreshing = false;
        }
    };

    function swap(url, position, resume) {
        if (video.currentSrc === url || video.getAttribute("src") === url) return;
        video.addEventListener("loadedmetadata", () => {
            if (position > 0 && position < (video.duration || Infinity)) video.currentTime = position;
            if (resume) video.play().catch(() => { /* autoplay refused: the user presses play */ });
        }, { once: true });
        video.src = url;
    }

    video.addEventListener("timeupdate", onTime);
    video.addEventListener("play", onPlay);
    video.addEventListener("pause", onPause);
    video.addEventListener("loadeddata", onLoaded);
    video.addEventListener("error", onError);

    return {
        // A fresh link from the server (refreshed before expiry): swap it in where the viewer is.
        swapSource(url) {
            swap(url, Math.max(lastTime, video.currentTime || 0), playing && !video.paused);
        },
        dispose() {
            video.removeEventListener("timeupdate", onTime);
            video.removeEventListener("play", onPlay);
            video.removeEventListener("pause", onPause);
            video.removeEventListener("loadeddata", onLoaded);
            video.removeEventListener("error", onError);
        },
    };
}
