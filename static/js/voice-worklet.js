/* AudioWorklet processor for the stage's microphone (docs/voice.md, "In the browser").
 *
 * Input: whatever rate the AudioContext runs at (16 kHz when the browser honours the
 * requested rate, else e.g. 48 kHz, resampled here). Output to the main thread: Int16 s16le
 * frames of 20 ms at 16 kHz (320 samples, 640 bytes) as transferred ArrayBuffers, each with
 * the index of its first sample since capture start and its peak level, so the page can map a
 * sample index to a time and show "hearing speech". */
const TARGET_RATE = 16000;
const FRAME = 320;  // samples: 20 ms at 16 kHz

class PcmFramer extends AudioWorkletProcessor {
  constructor() {
    super();
    // sampleRate is the context's, a global of the worklet scope.
    this.step = sampleRate / TARGET_RATE;  // input samples per output sample
    this.position = 0;                      // fractional read position into the current input block
    this.previous = 0;                      // last input sample of the block before (interpolation)
    this.frame = new Int16Array(FRAME);
    this.filled = 0;
    this.sent = 0;                          // 16 kHz samples handed over so far
    this.peak = 0;
  }

  push(value) {
    const v = value < -1 ? -1 : value > 1 ? 1 : value;
    const a = v < 0 ? -v : v;
    if (a > this.peak) this.peak = a;
    this.frame[this.filled++] = v < 0 ? v * 0x8000 : v * 0x7fff;
    if (this.filled === FRAME) {
      const buffer = this.frame.buffer;
      this.port.postMessage({pcm: buffer, index: this.sent, peak: this.peak}, [buffer]);
      this.sent += FRAME;
      this.frame = new Int16Array(FRAME);
      this.filled = 0;
      this.peak = 0;
    }
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0) return true;  // no track connected (yet): nothing to count
    const channel = input[0];
    if (this.step === 1) {
      for (let i = 0; i < channel.length; i++) this.push(channel[i]);
      return true;
    }
    // Linear interpolation; the context's own input resampling already band-limits the
    // common case, and speech recognisers tolerate the small aliasing of 48 → 16 kHz.
    let p = this.position;
    while (p < channel.length) {
      const i = Math.floor(p);
      const frac = p - i;
      const a = i === 0 ? this.previous : channel[i - 1];
      const b = channel[i];
      this.push(a + (b - a) * frac);
      p += this.step;
    }
    this.position = p - channel.length;
    this.previous = channel[channel.length - 1];
    return true;
  }
}

registerProcessor("pcm-framer", PcmFramer);
