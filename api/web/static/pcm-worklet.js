// The recorder's audio worklet (runs on the browser's audio thread): the microphone mixed to
// mono and brought down to 16 kHz, posted to the page as little-endian 16-bit PCM in pieces of
// 0.25 s. Each output sample is the mean of the input samples it covers (a box filter: enough
// against aliasing for speech recognition, which hears little above 4 kHz). The message
// "flush" posts what is left, then "flushed".
"use strict";

const TARGET_RATE = 16000;
const PIECE_SAMPLES = 4000;

class Pcm16k extends AudioWorkletProcessor {
  constructor() {
    super();
    this.step = sampleRate / TARGET_RATE; // input samples per output sample
    this.until = this.step; // where the current output sample ends, in input samples
    this.seen = 0; // input samples since the last reset of the counters
    this.sum = 0;
    this.count = 0;
    this.piece = new Int16Array(PIECE_SAMPLES);
    this.filled = 0;
    this.port.onmessage = (event) => {
      if (event.data === "flush") {
        this.post(this.filled);
        this.port.postMessage("flushed");
      }
    };
  }

  post(samples) {
    if (!samples) return;
    const buffer = this.piece.slice(0, samples).buffer;
    this.port.postMessage(buffer, [buffer]);
    this.filled = 0;
  }

  emit(value) {
    const clipped = Math.max(-1, Math.min(1, value));
    this.piece[this.filled++] = clipped < 0 ? clipped * 32768 : clipped * 32767;
    if (this.filled === PIECE_SAMPLES) this.post(PIECE_SAMPLES);
  }

  process(inputs) {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const frames = channels[0].length;
    for (let i = 0; i < frames; i++) {
      let mixed = 0;
      for (const channel of channels) mixed += channel[i];
      this.sum += mixed / channels.length;
      this.count++;
      this.seen++;
      if (this.seen >= this.until) {
        this.emit(this.sum / this.count);
        this.sum = 0;
        this.count = 0;
        this.until += this.step;
      }
    }
    if (this.seen > 1e6) { // keep the counters small, so no precision is lost
      this.seen -= 1e6;
      this.until -= 1e6;
    }
    return true;
  }
}

registerProcessor("pcm-16k", Pcm16k);
