package meltysynth

import ()

// In this class, fixed-point numbers are used for speed-up.
// A fixed-point number is expressed by Int64, whose lower 24 bits represent the fraction part,
// and the rest represent the integer part.
// For clarity, fixed-point number variables have a suffix "_fp".

const fracBits int32 = 24
const fracUnit int64 = 1 << fracBits
const fpToSample float32 = float32(1) / float32(32768*fracUnit)

type oscillator struct {
	synthesizer      *Synthesizer
	data             []int16
	loopMode         int32
	sampleRate       int32
	sampleStart      int32
	sampleEnd        int32
	startLoop        int32
	endLoop          int32
	rootKey          int32
	tune             float32
	pitchChangeScale float32
	sampleRateRatio  float32
	looping          bool
	position_fp      int64

	// sideman: the pitch ratio of the last block, reused while the pitch
	// holds (no vibrato or bend), which is most blocks of most notes.
	lastPitch float32
	lastRatio float64
	hasLast   bool
}

func newOscillator(s *Synthesizer) *oscillator {
	result := new(oscillator)
	result.synthesizer = s
	return result
}

func (o *oscillator) start(data []int16, loopMode int32, sampleRate int32, start int32, end int32, startLoop int32, endLoop int32, rootKey int32, coarseTune int32, fineTune int32, scaleTuning int32) {
	o.data = data
	o.hasLast = false
	o.loopMode = loopMode
	o.sampleRate = sampleRate
	o.sampleStart = start
	o.sampleEnd = end
	o.startLoop = startLoop
	o.endLoop = endLoop
	o.rootKey = rootKey

	o.tune = float32(coarseTune) + float32(0.01)*float32(fineTune)
	o.pitchChangeScale = float32(0.01) * float32(scaleTuning)
	o.sampleRateRatio = float32(sampleRate) / float32(o.synthesizer.SampleRate)

	if loopMode == loop_NoLoop {
		o.looping = false
	} else {
		o.looping = true
	}

	o.position_fp = int64(start) << fracBits
}

func (o *oscillator) release() {
	if o.loopMode == loop_LoopUntilNoteOff {
		o.looping = false
	}
}

func (o *oscillator) process(block []float32, pitch float32) bool {
	if !o.hasLast || pitch != o.lastPitch {
		pitchChange := o.pitchChangeScale*(pitch-float32(o.rootKey)) + o.tune
		o.lastRatio = float64(o.sampleRateRatio) * exp2(float64(pitchChange)/float64(12))
		o.lastPitch, o.hasLast = pitch, true
	}
	return o.fillBlock(block, o.lastRatio)
}

// maxPitchRatio bounds the oscillator's step, in sample points per output
// sample: ten octaves up from a 192 kHz sample played at 16 kHz is
// 12,288. Generators (tunings of up to 32,767 semitones) can ask for
// more, or for infinity, which would make the fixed-point step overflow.
const maxPitchRatio = 1 << 16

func (o *oscillator) fillBlock(block []float32, pitchRatio float64) bool {
	// sideman: the ratio is clamped (NaN to 0), so the step is a
	// non-negative fixed-point number.
	if !(pitchRatio >= 0) {
		pitchRatio = 0
	}
	pitchRatio = min(pitchRatio, maxPitchRatio)
	pitchRatio_fp := int64(float64(fracUnit) * pitchRatio)

	if o.looping {
		return o.fillBlock_Continuous(block, pitchRatio_fp)
	} else {
		return o.fillBlock_NoLoop(block, pitchRatio_fp)
	}
}

func (o *oscillator) fillBlock_NoLoop(block []float32, pitchRatio_fp int64) bool {
	// sideman: as in fillBlock_Continuous.
	pos, data, sampleEnd := o.position_fp, o.data, o.sampleEnd
	for t := range block {
		index := int32(pos >> fracBits)
		if index >= sampleEnd {
			o.position_fp = pos
			if t > 0 {
				clear(block[t:])
				return true
			}
			return false
		}

		x1 := int64(data[index])
		x2 := int64(data[index+1])
		a_fp := pos & (fracUnit - 1)
		block[t] = fpToSample * float32((x1<<fracBits)+a_fp*(x2-x1))

		pos += pitchRatio_fp
	}
	o.position_fp = pos

	return true
}

func (o *oscillator) fillBlock_Continuous(block []float32, pitchRatio_fp int64) bool {
	endLoop_fp := int64(o.endLoop) << fracBits

	loopLength := int32(o.endLoop - o.startLoop)
	loopLength_fp := int64(loopLength) << fracBits

	// sideman: the position and the sample data in locals, so the loop
	// keeps them in registers.
	pos, data, endLoop := o.position_fp, o.data, o.endLoop
	for t := range block {
		if pos >= endLoop_fp {
			// sideman: back into the loop however far past its end
			// (upstream stepped back one loop length, which a step
			// longer than the loop outran), and from a start after the
			// loop too.
			pos -= loopLength_fp
			if pos >= endLoop_fp {
				pos = endLoop_fp - loopLength_fp + (pos-endLoop_fp+loopLength_fp)%loopLength_fp
			}
		}

		index1 := int32(pos >> fracBits)
		index2 := index1 + 1

		if index2 >= endLoop {
			index2 -= loopLength
		}

		x1 := int64(data[index1])
		x2 := int64(data[index2])
		a_fp := pos & (fracUnit - 1)
		block[t] = fpToSample * float32((x1<<fracBits)+a_fp*(x2-x1))

		pos += pitchRatio_fp
	}
	o.position_fp = pos

	return true
}
