package project

import (
	"context"
	"crypto/ed25519"
	"errors"
	"io"
	"os"
	"strings"

	"sideman/provenance/c2pa"
)

// Provenance is what `sideman inspect` says of a file's provenance: a
// MIDI file's notes as checked against a project's ledger (MIDI), or a
// WAV file's C2PA manifest (WAV).
type Provenance struct {
	MIDI *FileProvenance `json:"midi,omitempty"`
	WAV  *WAVProvenance  `json:"wav,omitempty"`
}

// WAVProvenance is a WAV file's C2PA manifest as c2pa.Read found it.
type WAVProvenance struct {
	Manifest *c2pa.Manifest `json:"manifest,omitempty"`
	// None: the file has no manifest.
	None bool `json:"none,omitempty"`
	// Invalid are the C2PA status codes of a manifest that does not
	// verify (the audio or the manifest changed since it was signed).
	Invalid []string `json:"invalid,omitempty"`
	// ByUser says whether the user's key signed it (nil: no key to ask).
	ByUser *bool `json:"by_user,omitempty"`
}

// CheckProvenance reads the provenance of the file at name: a .wav's
// manifest, a MIDI file's notes checked against the ledger of the project
// at root ("" for none) with the user's key pub (nil: the ledger's
// signatures are not checked, and a manifest's signer is not compared).
func CheckProvenance(ctx context.Context, name, root string, pub ed25519.PublicKey) (*Provenance, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, &Error{NotFound, name, err}
	}
	defer f.Close()
	if strings.HasSuffix(strings.ToLower(name), ".wav") {
		w := &WAVProvenance{}
		m, err := c2pa.Read(f)
		var inv *c2pa.Invalid
		switch {
		case errors.Is(err, c2pa.ErrNoManifest):
			w.None = true
		case errors.As(err, &inv):
			w.Manifest, w.Invalid = m, inv.Codes
		case err != nil:
			return nil, &Error{BadInput, name, err}
		default:
			w.Manifest = m
		}
		if w.Manifest != nil && pub != nil {
			by := w.Manifest.Signer.Is(pub)
			w.ByUser = &by
		}
		return &Provenance{WAV: w}, nil
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, &Error{BadInput, name, err}
	}
	fp, err := CheckMIDI(ctx, root, pub, b)
	if err != nil {
		var pe *Error
		if errors.As(err, &pe) && pe.Name == "" {
			pe.Name = name
		}
		return nil, err
	}
	return &Provenance{MIDI: fp}, nil
}
