// Plays the videos of a take comparison in sync. The first video leads; the others follow its clock: a small drift
// is closed by playing a little faster or slower, a large one (or any drift while paused) by seeking.
const SEEK_DRIFT = 0.3; // seconds: beyond this a follower jumps to the leader
const RATE_DRIFT = 0.04; // seconds: beyond this a follower's rate is nudged

export function attach(root) {
    const videos = [...root.querySelectorAll("video")];
    const leader = videos[0];
    const followers = videos.slice(1);
    const button = root.querySelector("[data-part=play]");
    const icon = button.querySelector("[aria-hidden]");
    const seek = root.querySelector("[data-part=seek]");
    const time = root.querySelector("[data-part=time]");
    const labels = { play: root.dataset.labelPlay, pause: root.dataset.labelPause };
    let frame = 0;
    let dragging = false;

    // The shortest clip bounds the shared timeline.
    const duration = () => {
        const known = videos.map((v) => v.duration).filter((d) => Number.isFinite(d) && d > 0);
        return known.length ? Math.min(...known) : 0;
    };
    const clock = (s) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`;

    function follow() {
        const t = leader.currentTime;
        for (const v of followers) {
            if (v.seeking || v.readyState < 1) continue;
            const drift = t - v.currentTime;
            if (leader.paused || Math.abs(drift) > SEEK_DRIFT) {
                v.playbackRate = 1;
                if (Math.abs(drift) > 0.01) v.currentTime = t;
            } else {
                v.playbackRate = Math.abs(drift) > RATE_DRIFT ? 1 + Math.max(-0.1, Math.min(0.1, drift)) : 1;
            }
        }
    }

    function show() {
        const total = duration();
        const t = leader.currentTime;
        if (!dragging && total > 0) seek.value = String(Math.round((Math.min(t, total) / total) * 1000));
        time.textContent = `${clock(t)} / ${clock(total)}`;
        const playing = !leader.paused;
        button.setAttribute("aria-label", playing ? labels.pause : labels.play);
        button.setAttribute("aria-pressed", playing ? "true" : "false");
        icon.textContent = playing ? "❚❚" : "▶";
    }

    function tick() {
        follow();
        show();
        frame = requestAnimationFrame(tick);
    }

    async function play() {
        const total = duration();
        if (total > 0 && leader.currentTime >= total - 0.05) setTime(0);
        await Promise.all(videos.map((v) => v.play().catch(() => {})));
    }

    function pause() {
        for (const v of videos) v.pause();
        follow();
    }

    function setTime(t) {
        for (const v of videos) v.currentTime = t;
    }

    const onButton = () => (leader.paused ? play() : pause());
    const onSeekInput = () => {
        dragging = true;
        setTime((Number(seek.value) / 1000) * duration());
    };
    const onSeekChange = () => {
        dragging = false;
    };
    // When the shortest clip ends, all stop together.
    const onEnded = () => pause();
    for (const v of videos) v.addEventListener("ended", onEnded);

    button.addEventListener("click", onButton);
    seek.addEventListener("input", onSeekInput);
    seek.addEventListener("change", onSeekChange);
    frame = requestAnimationFrame(tick);

    return {
        dispose() {
            cancelAnimationFrame(frame);
            button.removeEventListener("click", onButton);
            seek.removeEventListener("input", onSeekInput);
            seek.removeEventListener("change", onSeekChange);
            for (const v of videos) {
                v.removeEventListener("ended", onEnded);
                v.pause();
            }
        },
    };
}
