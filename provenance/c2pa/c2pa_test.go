package c2pa

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestSignRead(t *testing.T) {
	id := newIdentity(t)
	wav := sineWAV(44100)
	in := sampleInputs()
	signed := sign(t, wav, in, id)

	// The file is the original with one C2PA chunk after everything
	// else, and the RIFF size grown by it alone.
	cs := chunks(t, signed)
	last := cs[len(cs)-1]
	if last.id != "C2PA" || last.off != len(wav) || last.size%2 != 0 {
		t.Fatalf("chunks %v: want C2PA last, at %d, of even size", cs, len(wav))
	}
	if !bytes.Equal(signed[8:len(wav)], wav[8:]) || !bytes.Equal(signed[:4], wav[:4]) {
		t.Error("the signed file changed bytes of the original besides the RIFF size")
	}

	m, err := Read(bytes.NewReader(signed))
	if err != nil {
		t.Fatal(err)
	}
	if !m.Signer.Is(id.Public()) || m.Signer.Fingerprint != id.Fingerprint() || m.Signer.Organization != "sideman" {
		t.Errorf("signer %+v, want the user's key %s, O=sideman", m.Signer, id.Fingerprint())
	}
	if m.Authorship == nil || *m.Authorship != (Authorship{in.HeadHash, in.Counts}) {
		t.Errorf("authorship %+v, want head %s counts %+v", m.Authorship, in.HeadHash, in.Counts)
	}
	if len(m.Actions) != 2 || m.Actions[0].Action != ActionCreated || m.Actions[0].SourceType != CompositeWithTrainedAlgorithmicMedia ||
		m.Actions[1].Action != ActionEdited || m.Actions[1].SourceType != HumanEdits {
		t.Errorf("actions %+v", m.Actions)
	}
	if m.Title != "bossa.wav" || !strings.HasPrefix(m.Label, "urn:c2pa:") || m.Generator != "sideman test" {
		t.Errorf("title %q, label %q, generator %q", m.Title, m.Label, m.Generator)
	}
	if want := []string{LabelActions, LabelAuthorship, LabelDataHash}; !slices.Equal(m.Assertions, want) {
		t.Errorf("assertions %v, want %v", m.Assertions, want)
	}

	// Same audio, inputs and key: the same bytes. Other counts: others.
	if again := sign(t, wav, in, id); !bytes.Equal(again, signed) {
		t.Error("signing twice gave two files")
	}
	in.Counts.M--
	if other := sign(t, wav, in, id); bytes.Equal(other, signed) {
		t.Error("other counts gave the same file")
	}
}

// TestTampering: each change after signing is detected, or, for a
// manifest re-signed with another key, shows another signer.
func TestTampering(t *testing.T) {
	user := newIdentity(t)
	wav := sineWAV(22050, []byte("LIST"), []byte("INFOISFT\x08\x00\x00\x00sideman\x00"))
	in := sampleInputs()
	signed := sign(t, wav, in, user)
	cs := chunks(t, signed)
	c2 := cs[len(cs)-1]
	data := cs[1]
	if data.id != "data" {
		t.Fatalf("chunks %v", cs)
	}
	// Where the manifest holds the count of M notes, the ledger head, the
	// claim: found by their bytes.
	manifest := signed[c2.off : c2.off+8+c2.size]
	at := func(what string, b []byte) int {
		i := bytes.Index(manifest, b)
		if i < 0 || bytes.Index(manifest[i+1:], b) >= 0 {
			t.Fatalf("%s: found %d times", what, bytes.Count(manifest, b))
		}
		return c2.off + i
	}
	mCount := at("M count", []byte{0x61, 'M', 0x19, 0x01, 0x97}) // "M": 407
	claimAt := at("claim title", []byte("bossa.wav"))

	other := newIdentity(t)
	tests := []struct {
		name   string
		edit   func([]byte) []byte
		code   string // the failure Read reports; "" for a valid manifest by another signer
		byUser bool
	}{
		{"one audio sample changed", func(b []byte) []byte {
			b[data.off+8+4000] ^= 0x01
			return b
		}, StatusDataHashMismatch, true},
		{"a chunk before the manifest changed", func(b []byte) []byte {
			b[cs[2].off+20] = 'S'
			return b
		}, StatusDataHashMismatch, true},
		{"audio cut by a frame", func(b []byte) []byte {
			out := append([]byte(nil), b[:data.off+8]...)
			binary.LittleEndian.PutUint32(out[data.off+4:], uint32(data.size-4))
			out = append(out, b[data.off+12:]...)
			binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
			return out
		}, StatusDataHashMismatch, true},
		{"note count edited in the manifest", func(b []byte) []byte {
			b[mCount+4] = 0x00 // 407 -> 256
			return b
		}, StatusHashedURIMismatch, true},
		{"claim edited", func(b []byte) []byte {
			b[claimAt] = 'B'
			return b
		}, StatusSignatureMismatch, true},
		{"audio changed and re-signed with another key", func(b []byte) []byte {
			b[data.off+8+4000] ^= 0x01
			return sign(t, stripC2PA(t, b), in, other)
		}, "", false},
		{"counts changed and re-signed with another key", func(b []byte) []byte {
			forged := in
			forged.Counts = Counts{H: 459}
			return sign(t, stripC2PA(t, b), forged, other)
		}, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.edit(append([]byte(nil), signed...))
			m, err := Read(bytes.NewReader(b))
			var inv *Invalid
			switch {
			case tc.code == "" && err != nil:
				t.Fatalf("Read: %v", err)
			case tc.code != "" && (!errors.As(err, &inv) || !slices.Contains(inv.Codes, tc.code)):
				t.Fatalf("Read: %v, want %s", err, tc.code)
			}
			if m == nil {
				t.Fatal("no manifest returned")
			}
			if m.Signer.Is(user.Public()) != tc.byUser {
				t.Errorf("signed by the user: %v, want %v (signer %s)", m.Signer.Is(user.Public()), tc.byUser, m.Signer.Fingerprint)
			}
			if tc.code != "" && strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q is not one line", err)
			}
		})
	}
}

// stripC2PA is a signed file without its C2PA chunk.
func stripC2PA(t *testing.T, b []byte) []byte {
	cs := chunks(t, b)
	last := cs[len(cs)-1]
	out := append([]byte(nil), b[:last.off]...)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

func TestOddChunks(t *testing.T) {
	id := newIdentity(t)
	// A last chunk of odd length, with its pad byte and without it (as
	// some writers leave it).
	padded := sineWAV(1001, []byte("note"), []byte("odd"))
	unpadded := append([]byte(nil), padded[:len(padded)-1]...)
	binary.LittleEndian.PutUint32(unpadded[4:], uint32(len(unpadded)-8))
	for name, wav := range map[string][]byte{"padded": padded, "unpadded": unpadded} {
		var out bytes.Buffer
		if err := Sign(&out, bytes.NewReader(wav), sampleInputs(), id); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		signed := out.Bytes()
		cs := chunks(t, signed)
		if cs[len(cs)-1].id != "C2PA" || cs[len(cs)-2].id != "note" {
			t.Errorf("%s: chunks %v", name, cs)
		}
		if _, err := Read(bytes.NewReader(signed)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestBadInput(t *testing.T) {
	id := newIdentity(t)
	wav := sineWAV(100)
	signed := sign(t, wav, sampleInputs(), id)
	truncated := wav[:len(wav)-10]
	trailing := append(append([]byte(nil), wav...), 1, 2, 3, 4)
	for name, c := range map[string]struct {
		wav  []byte
		edit func(*Inputs)
		want string
	}{
		"not a WAV":         {[]byte("MThd\x00\x00\x00\x06"), nil, "not a WAV file"},
		"empty":             {nil, nil, "not a WAV file"},
		"truncated":         {truncated, nil, "truncated"},
		"bytes after":       {trailing, nil, "bytes after the RIFF chunk"},
		"already signed":    {signed, nil, "already has a C2PA manifest"},
		"no actions":        {wav, func(in *Inputs) { in.Actions = nil }, "no actions"},
		"edited first":      {wav, func(in *Inputs) { in.Actions = in.Actions[1:] }, "the first must be c2pa.created"},
		"unknown source":    {wav, func(in *Inputs) { in.Actions[1].SourceType = "madeByAI" }, "not an IPTC digital source type"},
		"created untyped":   {wav, func(in *Inputs) { in.Actions[0].SourceType = "" }, "no digital source type"},
		"title with folder": {wav, func(in *Inputs) { in.Title = "/home/ann/x.wav" }, "names a folder"},
		"no head hash":      {wav, func(in *Inputs) { in.HeadHash = "" }, "no ledger head hash"},
	} {
		in := sampleInputs()
		if c.edit != nil {
			c.edit(&in)
		}
		err := Sign(new(bytes.Buffer), bytes.NewReader(c.wav), in, id)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line saying %q", name, err, c.want)
		}
	}
	if _, err := Read(bytes.NewReader(wav)); !errors.Is(err, ErrNoManifest) {
		t.Errorf("Read of an unsigned WAV: %v, want ErrNoManifest", err)
	}
	if _, err := Read(bytes.NewReader([]byte("not riff at all"))); err == nil {
		t.Error("Read of a non-RIFF file: no error")
	}
	// A manifest chunk cut short or filled with noise: an error, no panic.
	cs := chunks(t, signed)
	c2 := cs[len(cs)-1]
	for cut := c2.off + 8; cut < len(signed); cut += 97 {
		b := append([]byte(nil), signed...)
		for i := cut; i < len(b) && i < cut+40; i++ {
			b[i] ^= 0x5a
		}
		if _, err := Read(bytes.NewReader(b)); err == nil {
			t.Errorf("manifest garbled at byte %d: no error", cut)
		}
	}
}

// TestAudioUnchangedForWAVReaders: Python's wave module, an independent
// WAV reader, reads the signed file's audio as the original's.
func TestAudioUnchangedForWAVReaders(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		skipTool(t, "python3", "Debian package python3")
	}
	dir := t.TempDir()
	wav := sineWAV(30000)
	signed := sign(t, wav, sampleInputs(), newIdentity(t))
	a, b := filepath.Join(dir, "a.wav"), filepath.Join(dir, "b.wav")
	os.WriteFile(a, wav, 0o644)
	os.WriteFile(b, signed, 0o644)
	const script = `import sys, wave, hashlib
for p in sys.argv[1:]:
    w = wave.open(p)
    print(w.getnframes(), w.getnchannels(), w.getframerate(), hashlib.sha256(w.readframes(w.getnframes())).hexdigest())`
	out, err := exec.Command(py, "-c", script, a, b).CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	lines := strings.Fields(string(out))
	if len(lines) != 8 || !slices.Equal(lines[:4], lines[4:]) || lines[0] != strconv.Itoa(30000) {
		t.Errorf("python wave: original and signed read as\n%s", out)
	}
}
