package render

import "math"

// Loudness is the audio's loudness in LUFS as ITU-R BS.1770-4 measures it,
// without its gating: both channels K-weighted (a high shelf of about +4 dB
// above 1.5 kHz, the head, and a high pass at 38 Hz, which hears little of
// the lowest bass), their mean squares summed and taken as
// -0.691 + 10 log10. A full-scale 997 Hz sine in both channels measures
// 0 LUFS. Silence, and audio without samples, measure -Inf.
//
// Ungated, the quiet beats between the strokes of a sparse part count as
// they do for a listener, which is what balancing a band's parts needs; the
// gated integrated loudness of BS.1770 would measure only the strokes.
func (a *Audio) Loudness() float64 {
	if len(a.Left) == 0 {
		return math.Inf(-1)
	}
	k := newKWeighting(float64(a.SampleRate))
	sum := k.meanSquare(a.Left)
	k = newKWeighting(float64(a.SampleRate))
	sum += k.meanSquare(a.Right)
	if sum <= 0 {
		return math.Inf(-1)
	}
	return -0.691 + 10*math.Log10(sum)
}

// biquad is a second-order IIR section, a0 normalised to 1.
type biquad struct {
	b0, b1, b2, a1, a2 float64
	x1, x2, y1, y2     float64
}

func (f *biquad) next(x float64) float64 {
	y := f.b0*x + f.b1*f.x1 + f.b2*f.x2 - f.a1*f.y1 - f.a2*f.y2
	f.x2, f.x1, f.y2, f.y1 = f.x1, x, f.y1, y
	return y
}

// kWeighting is the two stages of BS.1770's K filter at a sample rate.
type kWeighting struct{ shelf, highPass biquad }

// newKWeighting designs the K filter for the rate from the analogue
// prototype's parameters (as libebur128 does), so that at 48 kHz it has the
// coefficients BS.1770-4 tabulates and at 44.1 kHz the same response.
func newKWeighting(rate float64) *kWeighting {
	var k kWeighting
	// Stage 1: the high shelf, the acoustic effect of the head.
	const (
		shelfF0   = 1681.974450955533
		shelfGain = 3.999843853973347 // dB
		shelfQ    = 0.7071752369554196
	)
	K := math.Tan(math.Pi * shelfF0 / rate)
	vh := math.Pow(10, shelfGain/20)
	vb := math.Pow(vh, 0.4996667741545416)
	a0 := 1 + K/shelfQ + K*K
	k.shelf = biquad{
		b0: (vh + vb*K/shelfQ + K*K) / a0,
		b1: 2 * (K*K - vh) / a0,
		b2: (vh - vb*K/shelfQ + K*K) / a0,
		a1: 2 * (K*K - 1) / a0,
		a2: (1 - K/shelfQ + K*K) / a0,
	}
	// Stage 2: the RLB high pass.
	const (
		hpF0 = 38.13547087602444
		hpQ  = 0.5003270373238773
	)
	K = math.Tan(math.Pi * hpF0 / rate)
	a0 = 1 + K/hpQ + K*K
	k.highPass = biquad{b0: 1, b1: -2, b2: 1, a1: 2 * (K*K - 1) / a0, a2: (1 - K/hpQ + K*K) / a0}
	return &k
}

// meanSquare filters the samples and returns the mean of their squares.
func (k *kWeighting) meanSquare(s []float32) float64 {
	var sum float64
	for _, x := range s {
		y := k.highPass.next(k.shelf.next(float64(x)))
		sum += y * y
	}
	return sum / float64(len(s))
}
