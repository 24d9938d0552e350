package c2pa

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/veraison/go-cose"

	"sideman/identity"
)

// Sign writes to w the RIFF/WAVE file read from wav with a C2PA manifest
// appended as a last top-level "C2PA" chunk (the C2PA RIFF binding),
// signed with id's key: the actions and sideman's authorship assertion
// from in, and a c2pa.hash.data hard binding over every byte of the
// file but the C2PA chunk (the RIFF size field included). The file is
// streamed: the audio is hashed as it is copied.
//
// wav must be a RIFF/WAVE file without a C2PA chunk of its own. On an
// error w may hold part of the file: write to a temporary file and
// rename it. The same file, inputs and identity give the same bytes.
func Sign(w io.Writer, wav io.Reader, in Inputs, id *identity.Identity) error {
	if err := in.check(); err != nil {
		return fmt.Errorf("c2pa: %w", err)
	}
	if id == nil || len(id.Chain()) == 0 {
		return errors.New("c2pa: the identity has no certificate chain (run sideman init)")
	}
	signer, err := cose.NewSigner(cose.AlgorithmEdDSA, id.Signer())
	if err != nil {
		return fmt.Errorf("c2pa: %w", err)
	}
	chain := id.Chain()
	x5 := make([]any, len(chain))
	for i, c := range chain {
		x5[i] = c
	}
	sign := func(claim []byte) ([]byte, error) {
		m := cose.NewSign1Message()
		m.Headers.Protected.SetAlgorithm(cose.AlgorithmEdDSA)
		m.Headers.Protected[cose.HeaderLabelX5Chain] = x5
		m.Payload = claim
		if err := m.Sign(rand.Reader, nil, signer); err != nil {
			return nil, err
		}
		m.Payload = nil // detached: the claim is in its own box
		return m.MarshalCBOR()
	}

	r := bufio.NewReaderSize(wav, 1<<16)
	var hdr [12]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return errors.New("c2pa: not a WAV file: shorter than a RIFF header")
	}
	if string(hdr[0:4]) != "RIFF" || string(hdr[8:12]) != "WAVE" {
		return errors.New("c2pa: not a WAV file: no RIFF/WAVE header")
	}
	riffSize := uint64(binary.LittleEndian.Uint32(hdr[4:8]))
	if riffSize < 4 {
		return fmt.Errorf("c2pa: bad WAV file: RIFF size %d", riffSize)
	}
	body := riffSize - 4        // the chunks after "WAVE"
	start := 12 + body + body%2 // a last odd chunk gets its pad byte

	p := &plan{in: in, chain: chain, sign: sign, start: start}
	size, err := p.fit()
	if err != nil {
		return fmt.Errorf("c2pa: %w", err)
	}
	newRIFF := start - 8 + 8 + uint64(size)
	if newRIFF > 0xFFFFFFFF {
		return fmt.Errorf("c2pa: the signed file would pass the 4 GiB a WAV file holds")
	}
	binary.LittleEndian.PutUint32(hdr[4:8], uint32(newRIFF))

	h := sha256.New()
	out := io.MultiWriter(w, h)
	if _, err := out.Write(hdr[:]); err != nil {
		return err
	}
	var left = body
	var ch [8]byte
	for left > 0 {
		if left < 8 {
			return fmt.Errorf("c2pa: bad WAV file: %d stray bytes at the end of the RIFF chunk", left)
		}
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			return fmt.Errorf("c2pa: bad WAV file: truncated at byte %d of %d", 12+body-left, 12+body)
		}
		if string(ch[:4]) == "C2PA" {
			return errors.New("c2pa: the WAV file already has a C2PA manifest")
		}
		size := uint64(binary.LittleEndian.Uint32(ch[4:8]))
		n := size + size%2
		if n+8 > left {
			if size+8 == left { // the last chunk may lack its pad byte
				n = size
			} else {
				return fmt.Errorf("c2pa: bad WAV file: chunk %q of %d bytes passes the RIFF chunk's end", ch[:4], n)
			}
		}
		if _, err := out.Write(ch[:]); err != nil {
			return err
		}
		if m, err := io.CopyN(out, r, int64(n)); err != nil {
			if err == io.EOF {
				return fmt.Errorf("c2pa: bad WAV file: truncated at byte %d of %d", 12+body-left+8+uint64(m), 12+body)
			}
			return err
		}
		left -= 8 + n
	}
	if body%2 == 1 {
		if _, err := out.Write([]byte{0}); err != nil {
			return err
		}
	}
	if _, err := r.Peek(1); err != io.EOF {
		return errors.New("c2pa: bad WAV file: bytes after the RIFF chunk")
	}

	var chunkHdr [8]byte
	copy(chunkHdr[:4], "C2PA")
	binary.LittleEndian.PutUint32(chunkHdr[4:], uint32(size))
	jumbf, err := p.build(h.Sum(nil))
	if err != nil {
		return fmt.Errorf("c2pa: %w", err)
	}
	if len(jumbf) != size {
		return fmt.Errorf("c2pa: the manifest is %d bytes, %d were planned", len(jumbf), size)
	}
	if _, err := w.Write(chunkHdr[:]); err != nil {
		return err
	}
	_, err = w.Write(jumbf)
	return err
}

// fit settles the chunk's length and the data hash's padding: the
// exclusion holds the chunk's length, whose CBOR encoding may grow with
// it, and a chunk of even length needs no RIFF pad byte after it. It
// returns the manifest's size in bytes.
func (p *plan) fit() (int, error) {
	zero := make([]byte, sha256.Size)
	for range 8 {
		j, err := p.build(zero)
		if err != nil {
			return 0, err
		}
		n := len(j)
		if n%2 == 1 {
			p.pad++
			continue
		}
		if p.length == uint64(8+n) {
			return n, nil
		}
		p.length = uint64(8 + n)
		p.pad = 0
	}
	return 0, errors.New("the manifest's size does not settle")
}
