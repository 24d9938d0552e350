// onset.js: an AudioWorklet processor that finds, on the audio clock and to
// the sample, when the sound it listens to starts after a given time: the
// first sample above 1e-6 (the voice has started) and the first above 1e-3
// (-60 dBFS: the attack is audible). The page uses it to measure when the
// sideman's answer really sounds against the time it was scheduled for.
const START = 1e-6, AUDIBLE = 1e-3;

class Onset extends AudioWorkletProcessor {
  constructor() {
    super();
    this.after = Infinity;
    this.port.onmessage = (e) => {
      this.after = Math.round(e.data.after * sampleRate);
      this.id = e.data.id;
      this.start = null;
    };
  }
  process(inputs) {
    const inp = inputs[0];
    if (inp.length && currentFrame + inp[0].length > this.after) {
      for (let i = 0; i < inp[0].length; i++) {
        const f = currentFrame + i;
        if (f < this.after) continue;
        let v = 0;
        for (const ch of inp) v = Math.max(v, Math.abs(ch[i]));
        if (this.start === null && v > START) this.start = f / sampleRate;
        if (v > AUDIBLE) {
          this.port.postMessage({ id: this.id, start: this.start, audible: f / sampleRate });
          this.after = Infinity;
          break;
        }
      }
    }
    return true;
  }
}
registerProcessor("sideman-onset", Onset);
