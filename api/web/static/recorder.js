// Recording in the browser: MediaRecorder, a level meter (Web Audio analyser) and a timer.
// Where the browser can (dictation-stream.js), the dictation is also streamed while it is
// spoken, and the note is ready soon after stop; otherwise, or whenever the stream fails, the
// MediaRecorder recording is sent with the form's context fields at stop, as before. Either
// answer names the new encounter's page. Each recording has a random id, sent with its stream
// and with its upload: if the stream's answer was lost after the server stored the note, the
// upload is recognised as the same recording and answers with that encounter, not a second.
"use strict";
(function () {
  const LIMIT_SECONDS = 900; // the service refuses longer recordings
  // the form's fields the encounter's context is made of (api/web/forms.py CONTEXT_FIELDS)
  const CONTEXT_FIELDS = ["payer", "provider", "dos", "patient_ref", "clbp", "abn_option",
    "session_number", "other_codes"];

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
    let streamed = null, recorded = null, submission = null;
    const chunks = [];

    function context() {
      const data = new FormData(form), fields = {};
      for (const name of CONTEXT_FIELDS) {
        const value = data.get(name);
        if (typeof value === "string" && value !== "") fields[name] = value;
      }
      return fields;
    }
    async function openStream(source) {
      if (!window.scribeStream || !window.scribeStream.supported()) return null;
      const lost = () => {
        if (recorder && recorder.state === "recording") {
          status.textContent = "Recording… (the recording is sent when you stop)";
        }
      };
      const opened = new window.scribeStream.DictationStream(context, lost, submission);
      try {
        await opened.open(audio, source);
      } catch (e) {
        return null; // the worklet did not load: the recording is sent at stop
      }
      return opened;
    }

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
      if (submission) data.set("submission_id", submission);
      status.textContent = "Sending the recording…";
      try {
        const answer = await fetch(form.action, {
          method: "POST", body: data, credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRF-Token": window.scribe.csrf() },
        });
        const body = await answer.json().catch(() => ({}));
        // 200: the server had stored this recording already (its stream's answer was lost)
        if ((answer.status === 201 || answer.status === 200) && body.url) {
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
      const source = audio.createMediaStreamSource(stream);
      source.connect(analyser);
      meter(analyser);
      chunks.length = 0;
      // crypto.randomUUID exists on secure pages only (as streaming does); elsewhere the
      // recording is uploaded without an id, as before
      submission = window.crypto && crypto.randomUUID ? crypto.randomUUID() : null;
      recorder = new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", (event) => { if (event.data.size) chunks.push(event.data); });
      recorded = new Promise((resolve) => recorder.addEventListener("stop", () => {
        resolve(new Blob(chunks, { type: recorder.mimeType || "audio/webm" }));
      }));
      recorder.start(1000);
      streamed = await openStream(source);
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
      status.textContent = streamed ? "Recording… transcribing as you speak…" : "Recording…";
    });
    stop.addEventListener("click", async () => {
      stop.disabled = true;
      if (!recorder || recorder.state === "inactive") return;
      recorder.stop();
      window.clearInterval(ticker);
      status.textContent = "Coding the note…";
      const done = streamed ? await streamed.finish() : null;
      release();
      if (done && done.url) {
        window.location.assign(done.url);
        return;
      }
      send(await recorded);
    });
  });
})();
