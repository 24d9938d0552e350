package c2pa

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/veraison/go-cose"

	"sideman/identity"
)

// ErrNoManifest is returned by Read for a RIFF file without a C2PA chunk.
var ErrNoManifest = errors.New("no C2PA manifest")

// maxManifest bounds the C2PA chunk Read accepts.
const maxManifest = 64 << 20

// A Manifest is what Read found in a file's active C2PA manifest.
type Manifest struct {
	Label      string // urn:c2pa:...
	Title      string // dc:title, when the claim has one
	Generator  string // the claim generator's name (and version)
	Signer     Signer
	Actions    []Action
	Authorship *Authorship // sideman's assertion; nil when the manifest has none
	Assertions []string    // the labels of every assertion the claim lists
}

// Signer is the signing certificate's account of who signed.
type Signer struct {
	Organization string // the subject's O: the name C2PA readers show
	CommonName   string
	Issuer       string // the CA's subject
	Fingerprint  string // of the signing public key, as identity.Fingerprint
	NotBefore    time.Time
	NotAfter     time.Time
	Key          ed25519.PublicKey // nil for a key that is not Ed25519
}

// Is reports whether the manifest was signed with pub (a user's key):
// a manifest re-signed by anyone else verifies, but not as theirs.
func (s Signer) Is(pub ed25519.PublicKey) bool {
	return s.Key != nil && s.Key.Equal(pub)
}

// Invalid is Read's error for a manifest that does not verify: the C2PA
// validation status codes of its failures (C2PA 2.x §15), in order.
type Invalid struct {
	Codes []string
}

func (e *Invalid) Error() string {
	return "C2PA manifest does not verify: " + strings.Join(e.Codes, ", ")
}

// Status codes Read reports (the C2PA specification's names).
const (
	StatusDataHashMismatch   = "assertion.dataHash.mismatch"
	StatusHashedURIMismatch  = "assertion.hashedURI.mismatch"
	StatusAssertionMissing   = "assertion.missing"
	StatusHardBindingMissing = "claim.hardBindings.missing"
	StatusSignatureMismatch  = "claimSignature.mismatch"
	StatusCredentialInvalid  = "signingCredential.invalid"
	StatusCredentialExpired  = "signingCredential.expired"
	StatusClaimMalformed     = "claim.malformed"
	StatusAlgorithm          = "algorithm.unsupported"
)

// Read reads the active C2PA manifest of a RIFF/WAVE file and verifies
// it: the claim's COSE signature with the certificate it carries (the
// certificate signed by the CA that follows it, valid now: no time stamp
// vouches for an earlier signing time), each assertion against the hash
// the claim holds for it, and the c2pa.hash.data hard binding against
// the file's bytes. It does not judge whether the signer is trusted:
// compare Signer with the user's key (Signer.Is).
//
// Errors: ErrNoManifest when there is none; an *Invalid, with the
// manifest as far as it was read, when the manifest does not verify; any
// other error for a file that is not RIFF or a manifest that cannot be
// read.
func Read(r io.ReadSeeker) (*Manifest, error) {
	start, jumbf, err := findChunk(r)
	if err != nil {
		return nil, err
	}
	nodes, err := parseBoxes(jumbf, 0)
	if err != nil {
		return nil, err
	}
	if len(nodes) != 1 || nodes[0].uuid != uuidStore {
		return nil, fmt.Errorf("%w: the C2PA chunk holds no manifest store", errJUMBF)
	}
	var active *node
	for _, k := range nodes[0].kids {
		if k.typ == "jumb" && k.uuid == uuidManifest {
			active = k // the last manifest is the active one
		}
	}
	if active == nil {
		return nil, fmt.Errorf("%w: the manifest store holds no manifest", errJUMBF)
	}
	m := &Manifest{Label: active.label}
	var bad []string
	fail := func(code string) {
		for _, c := range bad {
			if c == code {
				return
			}
		}
		bad = append(bad, code)
	}

	claimBox := active.child(labelClaim)
	sigBox := active.child(labelSignature)
	store := active.child(labelAssertions)
	if claimBox == nil || sigBox == nil || store == nil {
		return nil, fmt.Errorf("%w: manifest %s lacks its claim, signature or assertion store", errJUMBF, active.label)
	}
	claimBytes, ok := claimBox.content("cbor")
	if !ok {
		return nil, fmt.Errorf("%w: the claim has no CBOR box", errJUMBF)
	}
	var claim claimV2
	if err := cbor.Unmarshal(claimBytes, &claim); err != nil {
		return nil, fmt.Errorf("C2PA claim: %v", err)
	}
	m.Title = claim.Title
	m.Generator = strings.TrimSpace(claim.Generator.Name + " " + claim.Generator.Version)

	// The signature and the certificate.
	sigBytes, _ := sigBox.content("cbor")
	var msg cose.Sign1Message
	if err := msg.UnmarshalCBOR(sigBytes); err != nil {
		return nil, fmt.Errorf("C2PA claim signature: %v", err)
	}
	chain, err := x5chain(&msg)
	if err != nil {
		return nil, fmt.Errorf("C2PA claim signature: %v", err)
	}
	ee := chain[0]
	m.Signer = Signer{
		CommonName: ee.Subject.CommonName,
		Issuer:     ee.Issuer.String(),
		NotBefore:  ee.NotBefore,
		NotAfter:   ee.NotAfter,
	}
	if len(ee.Subject.Organization) > 0 {
		m.Signer.Organization = ee.Subject.Organization[0]
	}
	if pub, ok := ee.PublicKey.(ed25519.PublicKey); ok {
		m.Signer.Key = pub
		m.Signer.Fingerprint = identity.Fingerprint(pub)
	}
	alg, err := msg.Headers.Protected.Algorithm()
	if err != nil || alg != cose.AlgorithmEdDSA || m.Signer.Key == nil {
		fail(StatusAlgorithm) // sideman signs and checks Ed25519 alone
	} else if v, err := cose.NewVerifier(cose.AlgorithmEdDSA, m.Signer.Key); err != nil {
		fail(StatusSignatureMismatch)
	} else {
		msg.Payload = claimBytes
		if msg.Verify(nil, v) != nil {
			fail(StatusSignatureMismatch)
		}
	}
	if identity.Profile(ee) != nil || len(chain) < 2 || ee.CheckSignatureFrom(chain[1]) != nil {
		fail(StatusCredentialInvalid)
	}
	if now := time.Now(); now.Before(ee.NotBefore) || now.After(ee.NotAfter) {
		fail(StatusCredentialExpired)
	}

	// The assertions, each against its hash in the claim.
	byLabel := map[string]*node{}
	for _, k := range store.kids {
		if k.typ == "jumb" {
			byLabel[k.label] = k
		}
	}
	listed := append(append([]hashedURI(nil), claim.Created...), claim.Gathered...)
	found := map[string][]byte{}
	for _, h := range listed {
		label := h.URL[strings.LastIndex(h.URL, "/")+1:]
		m.Assertions = append(m.Assertions, label)
		a := byLabel[label]
		if a == nil || !strings.HasSuffix(h.URL, labelAssertions+"/"+label) {
			fail(StatusAssertionMissing)
			continue
		}
		sum := sha256.Sum256(a.raw)
		if !bytes.Equal(sum[:], h.Hash) {
			fail(StatusHashedURIMismatch)
			continue
		}
		data, ok := a.content("cbor")
		if !ok {
			fail(StatusClaimMalformed)
			continue
		}
		found[label] = data
	}
	if data, ok := found[LabelActions]; ok {
		var acts actionsV2
		if cbor.Unmarshal(data, &acts) != nil {
			fail(StatusClaimMalformed)
		}
		for _, a := range acts.Actions {
			m.Actions = append(m.Actions, Action{Action: a.Action, SourceType: a.SourceType, Description: a.Description})
		}
	}
	if data, ok := found[LabelAuthorship]; ok {
		var au Authorship
		if cbor.Unmarshal(data, &au) != nil {
			fail(StatusClaimMalformed)
		} else {
			m.Authorship = &au
		}
	}

	// The hard binding.
	if data, ok := found[LabelDataHash]; !ok {
		fail(StatusHardBindingMissing)
	} else {
		var dh dataHash
		if cbor.Unmarshal(data, &dh) != nil || (dh.Alg != "" && dh.Alg != "sha256") {
			fail(StatusDataHashMismatch)
		} else if ok, err := matchDataHash(r, dh, start, uint64(len(jumbf))+8); err != nil {
			return m, err
		} else if !ok {
			fail(StatusDataHashMismatch)
		}
	}
	if len(bad) > 0 {
		return m, &Invalid{Codes: bad}
	}
	return m, nil
}

// x5chain is the certificate chain of a COSE_Sign1's x5chain header
// (protected, or else unprotected): the signer's certificate first.
func x5chain(msg *cose.Sign1Message) ([]*x509.Certificate, error) {
	v, ok := msg.Headers.Protected[cose.HeaderLabelX5Chain]
	if !ok {
		v, ok = msg.Headers.Unprotected[cose.HeaderLabelX5Chain]
	}
	if !ok {
		return nil, errors.New("no x5chain header")
	}
	var ders [][]byte
	switch x := v.(type) {
	case []byte:
		ders = [][]byte{x}
	case []any:
		for _, e := range x {
			b, ok := e.([]byte)
			if !ok {
				return nil, errors.New("x5chain holds a non-bytes element")
			}
			ders = append(ders, b)
		}
	default:
		return nil, fmt.Errorf("x5chain of type %T", v)
	}
	if len(ders) == 0 {
		return nil, errors.New("empty x5chain")
	}
	var out []*x509.Certificate
	for i, d := range ders {
		c, err := x509.ParseCertificate(d)
		if err != nil {
			return nil, fmt.Errorf("x5chain certificate %d: %v", i+1, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// findChunk is the offset and the contents of the first top-level C2PA
// chunk of a RIFF file.
func findChunk(r io.ReadSeeker) (int64, []byte, error) {
	end, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, nil, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return 0, nil, err
	}
	var hdr [12]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil || string(hdr[:4]) != "RIFF" {
		return 0, nil, errors.New("not a RIFF file")
	}
	riffEnd := min(8+int64(binary.LittleEndian.Uint32(hdr[4:8])), end)
	pos := int64(12)
	for pos+8 <= riffEnd {
		if _, err := r.Seek(pos, io.SeekStart); err != nil {
			return 0, nil, err
		}
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			return 0, nil, fmt.Errorf("RIFF chunk at byte %d: %v", pos, err)
		}
		n := int64(binary.LittleEndian.Uint32(ch[4:8]))
		if string(ch[:4]) == "C2PA" {
			if n > maxManifest || pos+8+n > end {
				return 0, nil, fmt.Errorf("C2PA chunk at byte %d: %d bytes, past the file's end or the %d allowed", pos, n, maxManifest)
			}
			b := make([]byte, n)
			if _, err := io.ReadFull(r, b); err != nil {
				return 0, nil, fmt.Errorf("C2PA chunk at byte %d: %v", pos, err)
			}
			return pos, b, nil
		}
		pos += 8 + n + n%2
	}
	return 0, nil, ErrNoManifest
}

// matchDataHash reports whether the file's bytes outside dh's exclusions
// hash to dh's hash; the exclusions must cover the C2PA chunk (at start,
// length bytes), or the binding would vouch for the manifest itself.
func matchDataHash(r io.ReadSeeker, dh dataHash, start int64, length uint64) (bool, error) {
	end, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return false, err
	}
	covered := false
	for _, e := range dh.Exclusions {
		if e.Length > uint64(end) || e.Start > uint64(end)-e.Length {
			return false, nil // past the file's end
		}
		if e.Start <= uint64(start) && e.Start+e.Length >= uint64(start)+length {
			covered = true
		}
	}
	if !covered {
		return false, nil
	}
	h := sha256.New()
	pos := uint64(0)
	// Exclusions in order; overlapping or past the end is a mismatch.
	ex := append([]hashRange(nil), dh.Exclusions...)
	for i := 1; i < len(ex); i++ {
		for j := i; j > 0 && ex[j].Start < ex[j-1].Start; j-- {
			ex[j], ex[j-1] = ex[j-1], ex[j]
		}
	}
	for _, e := range ex {
		if e.Start < pos {
			return false, nil // overlapping exclusions
		}
		if err := hashRangeOf(r, h, pos, e.Start-pos); err != nil {
			return false, err
		}
		pos = e.Start + e.Length
	}
	if err := hashRangeOf(r, h, pos, uint64(end)-pos); err != nil {
		return false, err
	}
	return bytes.Equal(h.Sum(nil), dh.Hash), nil
}

func hashRangeOf(r io.ReadSeeker, w io.Writer, off, n uint64) error {
	if n == 0 {
		return nil
	}
	if _, err := r.Seek(int64(off), io.SeekStart); err != nil {
		return err
	}
	_, err := io.CopyN(w, r, int64(n))
	return err
}
