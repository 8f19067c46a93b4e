// Streaming a dictation while it is spoken (the protocol is in api/web/stream_protocol.py): the
// microphone goes through an audio worklet (pcm-worklet.js: 16 kHz mono 16-bit PCM) to a
// WebSocket, so the server transcribes as the clinician speaks and the note is ready soon after
// stop. It never holds the only copy: the recorder keeps its MediaRecorder recording and
// uploads it whenever the stream does not end with the encounter stored.
"use strict";
window.scribeStream = (function () {
  const PATH = "/encounters/stream";
  const WORKLET = "/static/pcm-worklet.js";
  const ANSWER_SECONDS = 120; // after stop: no answer by then, and the recording is uploaded

  // AudioWorklet (secure pages only: https, or this machine) and WebSocket. No fallback to the
  // deprecated ScriptProcessorNode: without them the recording is uploaded at stop, as before.
  function supported() {
    return Boolean(window.WebSocket && window.AudioWorkletNode && window.isSecureContext &&
      window.AudioContext && "audioWorklet" in AudioContext.prototype);
  }

  class DictationStream {
    // context(): the form's context fields now; onLost(message): the stream failed while
    // recording (the recording will be uploaded at stop); submission: the recording's id (a
    // UUID, or null), sent again with that upload so that the server stores it once.
    constructor(context, onLost, submission) {
      this.context = context;
      this.onLost = onLost;
      this.submission = submission || null;
      this.queue = [];
      this.started = false;
      this.flushed = false;
      this.lost = false;
      this.answer = new Promise((resolve) => { this.settle = resolve; });
    }

    // Start streaming what ``source`` (a MediaStreamAudioSourceNode of ``audio``) hears.
    async open(audio, source) {
      await audio.audioWorklet.addModule(WORKLET);
      this.node = new AudioWorkletNode(audio, "pcm-16k", { numberOfOutputs: 1 });
      this.node.port.onmessage = (event) => this.piece(event.data);
      source.connect(this.node);
      this.node.connect(audio.destination); // its output is silence; connected, it keeps running
      const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
      this.socket = new WebSocket(scheme + "//" + window.location.host + PATH);
      this.socket.binaryType = "arraybuffer";
      this.socket.addEventListener("open", () => {
        const start = {
          type: "start", csrf_token: window.scribe.csrf(), format: "s16le", sample_rate: 16000,
          context: this.context(),
        };
        if (this.submission) start.submission_id = this.submission;
        this.send(JSON.stringify(start));
      });
      this.socket.addEventListener("message", (event) => this.message(event));
      this.socket.addEventListener("close", (event) => this.closed(event));
    }

    send(data) {
      if (this.socket.readyState === WebSocket.OPEN) this.socket.send(data);
    }

    piece(data) {
      if (data === "flushed") {
        this.flushed = true;
        this.end();
      } else if (this.started) {
        this.send(data);
      } else {
        this.queue.push(data);
      }
    }

    end() {
      if (!this.started || !this.flushed || this.lost) return;
      this.send(JSON.stringify({ type: "end", context: this.context() }));
    }

    message(event) {
      let message = {};
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "started") {
        this.started = true;
        for (const piece of this.queue) this.send(piece);
        this.queue = [];
        this.end();
      } else if (message.type === "done") {
        this.done = message;
      } else if (message.type === "error") {
        this.error = message.message;
      }
    }

    closed() {
      if (this.done) {
        this.settle(this.done);
        return;
      }
      this.fail(this.error || "The connection for streaming closed.");
    }

    fail(message) {
      if (this.lost) return;
      this.lost = true;
      this.queue = [];
      if (this.socket && this.socket.readyState <= WebSocket.OPEN) this.socket.close(4000);
      if (!this.flushed) this.onLost(message);
      this.settle(null);
    }

    // The clinician stopped: the worklet sends what it holds, then the end message goes. The
    // answer: the server's "done" message, or null (the recording is then uploaded).
    finish() {
      if (this.node && this.started) this.node.port.postMessage("flush");
      else this.fail(""); // the server never took the stream: upload at once
      const timer = window.setTimeout(() => this.fail(""), ANSWER_SECONDS * 1000);
      return this.answer.then((done) => { window.clearTimeout(timer); return done; });
    }
  }

  return { supported, DictationStream };
})();
