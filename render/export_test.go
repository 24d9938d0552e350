package render

import (
	"fmt"
	"hash/fnv"
	"io"

	"sideman/render/internal/meltysynth"
)

// ReadSoundFont reads a SoundFont from r with the reader LoadSoundFont
// uses, and returns a digest of everything it read (sample data, sample
// headers, presets and instruments with their regions), so tests can
// compare two reads.
func ReadSoundFont(r io.Reader) (string, error) {
	sf, err := meltysynth.NewSoundFont(r)
	if err != nil {
		return "", err
	}
	h := fnv.New64a()
	for _, v := range sf.WaveData {
		h.Write([]byte{byte(v), byte(v >> 8)})
	}
	for _, s := range sf.SampleHeaders {
		fmt.Fprintf(h, "%+v\n", *s)
	}
	regions := 0
	for _, p := range sf.Presets {
		fmt.Fprintf(h, "%s %d %d %d\n", p.Name, p.BankNumber, p.PatchNumber, len(p.Regions))
		for _, r := range p.Regions {
			fmt.Fprintf(h, "%s %v\n", r.Instrument.Name, r.GetKeyRangeEnd())
		}
		regions += len(p.Regions)
	}
	for _, in := range sf.Instruments {
		fmt.Fprintf(h, "%s %d\n", in.Name, len(in.Regions))
		for _, r := range in.Regions {
			fmt.Fprintf(h, "%s %d %d\n", r.Sample.Name, r.GetSampleStart(), r.GetSampleEndLoop())
		}
		regions += len(in.Regions)
	}
	return fmt.Sprintf("%d points, %d samples, %d presets, %d instruments, %d regions, digest %x",
		len(sf.WaveData), len(sf.SampleHeaders), len(sf.Presets), len(sf.Instruments), regions, h.Sum64()), nil
}
