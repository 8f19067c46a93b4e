// Recording in the browser: MediaRecorder, a level meter (Web Audio analyser) and a timer. The
// recording is sent with the form's context fields; the answer names the new encounter's page.
"use strict";
(function () {
  const LIMIT_SECONDS = 900; // the service refuses longer recordings

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("new-encounter");
    const start = document.getElementById("rec-start");
    const stop = document.getElementById("rec-stop");
    const timer = document.getElementById("rec-timer");
    const level = document.getElementById("rec-level");
    const status = document.getElementById("rec-status");
    const error = document.getElementById("form-error");
    if (!form || !start) return;
    if (!window.MediaRecorder || !navigator.mediaDevices) {
      start.disabled = true;
      status.textContent = "This browser cannot record: upload a recording instead.";
      return;
    }
    let recorder = null, stream = null, audio = null, began = 0, ticker = null, frame = null;
    const chunks = [];

    function show(seconds) {
      const s = Math.floor(seconds);
      timer.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    }
    function meter(analyser) {
      const data = new Uint8Array(analyser.fftSize);
      function draw() {
        analyser.getByteTimeDomainData(data);
        let peak = 0;
        for (const v of data) peak = Math.max(peak, Math.abs(v - 128) / 128);
        level.value = peak;
        frame = window.requestAnimationFrame(draw);
      }
      draw();
    }
    function release() {
      window.clearInterval(ticker);
      if (frame) window.cancelAnimationFrame(frame);
      if (stream) for (const track of stream.getTracks()) track.stop();
      if (audio) audio.close();
      level.value = 0;
    }
    async function send(blob) {
      const data = new FormData(form);
      data.set("source", "audio");
      data.set("file", blob, "recording.webm");
      data.delete("text");
      status.textContent = "Sending the recording…";
      try {
        const answer = await fetch(form.action, {
          method: "POST", body: data, credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRF-Token": window.scribe.csrf() },
        });
        const body = await answer.json().catch(() => ({}));
        if (answer.status === 201 && body.url) {
          window.location.assign(body.url);
          return;
        }
        error.hidden = false;
        error.textContent = body.error || "The recording could not be sent (" + answer.status + ").";
        status.textContent = "";
      } catch (e) {
        error.hidden = false;
        error.textContent = "The recording could not be sent: the connection failed.";
      }
      start.disabled = false;
    }

    start.addEventListener("click", async () => {
      error.hidden = true;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (e) {
        status.textContent = "No microphone is available (or it was not allowed).";
        return;
      }
      audio = new AudioContext();
      const analyser = audio.createAnalyser();
      analyser.fftSize = 1024;
      audio.createMediaStreamSource(stream).connect(analyser);
      meter(analyser);
      chunks.length = 0;
      recorder = new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", (event) => { if (event.data.size) chunks.push(event.data); });
      recorder.addEventListener("stop", () => {
        release();
        send(new Blob(chunks, { type: recorder.mimeType || "audio/webm" }));
      });
      recorder.start(1000);
      began = performance.now();
      show(0);
      ticker = window.setInterval(() => {
        const seconds = (performance.now() - began) / 1000;
        show(seconds);
        if (seconds >= LIMIT_SECONDS) stop.click();
      }, 250);
      start.disabled = true;
      stop.disabled = false;
      stop.focus();
      status.textContent = "Recording…";
    });
    stop.addEventListener("click", () => {
      stop.disabled = true;
      if (recorder && recorder.state !== "inactive") recorder.stop();
    });
  });
})();
