// The encounter page: progress while a recording is processed (polled, bounded), and playback
// synchronised with the transcript (click a word to play from it; the word playing is outlined).
"use strict";
(function () {
  const POLL_MS = 1500;
  const POLL_LIMIT = 2400; // about an hour, then the page asks for a reload

  function pollProgress(section) {
    const url = section.dataset.statusUrl;
    const bar = document.getElementById("progress-bar");
    const text = document.getElementById("progress-text");
    let polls = 0;
    async function tick() {
      polls += 1;
      if (polls > POLL_LIMIT) {
        text.textContent = "Still working: reload the page later.";
        return;
      }
      try {
        const answer = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (answer.status === 200) {
          const state = await answer.json();
          bar.value = state.progress;
          bar.textContent = Math.round(state.progress * 100) + "%";
          text.textContent = state.status.charAt(0).toUpperCase() + state.status.slice(1) + "… " + Math.round(state.progress * 100) + "%";
          if (state.status === "ready" || state.status === "failed") {
            window.location.reload();
            return;
          }
        } else if (answer.redirected || answer.status === 401) {
          window.location.reload();
          return;
        }
      } catch (error) {
        text.textContent = "Connection lost; trying again…";
      }
      window.setTimeout(tick, POLL_MS);
    }
    window.setTimeout(tick, POLL_MS);
  }

  function syncPlayback(player, text) {
    const words = Array.from(text.querySelectorAll(".w[data-s]"));
    if (!words.length) return;
    const byIndex = new Map();
    for (const span of words) {
      const key = span.dataset.w;
      if (!byIndex.has(key)) byIndex.set(key, []);
      byIndex.get(key).push(span);
    }
    const starts = Array.from(byIndex.keys()).map((key) => [Number(byIndex.get(key)[0].dataset.s), Number(byIndex.get(key)[0].dataset.e), key]);
    starts.sort((a, b) => a[0] - b[0]);
    let current = null;
    function mark(key) {
      if (key === current) return;
      if (current !== null) for (const span of byIndex.get(current)) span.classList.remove("playing");
      current = key;
      if (key !== null) for (const span of byIndex.get(key)) span.classList.add("playing");
    }
    player.addEventListener("timeupdate", () => {
      const t = player.currentTime;
      let found = null;
      let lo = 0, hi = starts.length - 1;
      while (lo <= hi) { // the last word starting at or before t
        const mid = (lo + hi) >> 1;
        if (starts[mid][0] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      mark(found !== null && t <= starts[found][1] + 0.3 ? starts[found][2] : null);
    });
    text.addEventListener("click", (event) => {
      const span = event.target.closest(".w[data-s]");
      if (!span) return;
      player.currentTime = Number(span.dataset.s);
      mark(span.dataset.w);
      player.play().catch(() => {});
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const section = document.getElementById("progress");
    if (section) pollProgress(section);
    const player = document.getElementById("player");
    const text = document.getElementById("text");
    if (player && text) syncPlayback(player, text);
  });
})();
