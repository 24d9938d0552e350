package c2pa

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/identity"
	"sideman/internal/shareddata"
)

// sineWAV is a 16-bit stereo WAV of frames frames of a 440 Hz tone, with
// extra chunks (id, data) after the data chunk.
func sineWAV(frames int, extra ...[]byte) []byte {
	const rate = 44100
	var data bytes.Buffer
	for i := range frames {
		v := int16(8000 * math.Sin(2*math.Pi*440*float64(i)/rate))
		binary.Write(&data, binary.LittleEndian, [2]int16{v, v})
	}
	var body bytes.Buffer
	body.WriteString("WAVE")
	fmtc := make([]byte, 16)
	binary.LittleEndian.PutUint16(fmtc[0:], 1)
	binary.LittleEndian.PutUint16(fmtc[2:], 2)
	binary.LittleEndian.PutUint32(fmtc[4:], rate)
	binary.LittleEndian.PutUint32(fmtc[8:], rate*4)
	binary.LittleEndian.PutUint16(fmtc[12:], 4)
	binary.LittleEndian.PutUint16(fmtc[14:], 16)
	writeChunk(&body, "fmt ", fmtc, true)
	writeChunk(&body, "data", data.Bytes(), true)
	for i := 0; i+1 < len(extra); i += 2 {
		writeChunk(&body, string(extra[i]), extra[i+1], true)
	}
	var out bytes.Buffer
	out.WriteString("RIFF")
	binary.Write(&out, binary.LittleEndian, uint32(body.Len()))
	out.Write(body.Bytes())
	return out.Bytes()
}

func writeChunk(w *bytes.Buffer, id string, data []byte, pad bool) {
	w.WriteString(id)
	binary.Write(w, binary.LittleEndian, uint32(len(data)))
	w.Write(data)
	if pad && len(data)%2 == 1 {
		w.WriteByte(0)
	}
}

// newIdentity is a fresh user identity (key, CA, certificate) in a
// temporary folder.
func newIdentity(t *testing.T) *identity.Identity { return benchIdentity(t) }

func newFuzzIdentity(f *testing.F) *identity.Identity { return benchIdentity(f) }

func benchIdentity(t testing.TB) *identity.Identity {
	t.Helper()
	id, err := identity.Ensure(filepath.Join(t.TempDir(), "sideman"))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// sampleInputs is a manifest's inputs as a band export with some notes
// played and some changed by hand would give them.
func sampleInputs() Inputs {
	return Inputs{
		Title:    "bossa.wav",
		Version:  "test",
		HeadHash: "sha256:9f1c0e4b5d6a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e",
		Counts:   Counts{H: 31, HAlg: 12, M: 407, MH: 9},
		Actions: []Action{
			{Action: ActionCreated, SourceType: "compositeWithTrainedAlgorithmicMedia", Description: "band and solo from a chord chart"},
			{Action: ActionEdited, SourceType: HumanEdits, Description: "machine notes changed by hand"},
		},
	}
}

func sign(t *testing.T, wav []byte, in Inputs, id *identity.Identity) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := Sign(&out, bytes.NewReader(wav), in, id); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// chunks lists a RIFF file's top-level chunks: id, offset and size.
type chunk struct {
	id        string
	off, size int
}

func chunks(t *testing.T, b []byte) []chunk {
	t.Helper()
	if len(b) < 12 || string(b[:4]) != "RIFF" {
		t.Fatal("not RIFF")
	}
	end := 8 + int(binary.LittleEndian.Uint32(b[4:8]))
	if end != len(b) {
		t.Errorf("RIFF size says %d bytes, the file has %d", end, len(b))
	}
	var out []chunk
	for p := 12; p+8 <= end; {
		n := int(binary.LittleEndian.Uint32(b[p+4 : p+8]))
		out = append(out, chunk{string(b[p : p+4]), p, n})
		p += 8 + n + n%2
	}
	return out
}

// skipTool skips for a missing tool, recorded in $SIDEMAN_SKIP_LOG as
// internal/shareddata records a missing corpus, or fails under
// SIDEMAN_REQUIRE_DATA=1.
func skipTool(t *testing.T, tool, src string) {
	t.Helper()
	msg := tool + " not found; install " + src
	if shareddata.Required() {
		t.Fatal(msg)
	}
	if name := os.Getenv(shareddata.EnvSkipLog); name != "" {
		if f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
			f.WriteString(strings.Join([]string{tool, "provenance/c2pa", t.Name(), src}, "\t") + "\n")
			f.Close()
		}
	}
	t.Skip(msg)
}
