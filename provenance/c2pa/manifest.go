package c2pa

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/fxamacker/cbor/v2"
)

// Labels of the boxes and assertions sideman writes.
const (
	LabelActions    = "c2pa.actions.v2"
	LabelDataHash   = "c2pa.hash.data"
	LabelAuthorship = "org.sideman.authorship"

	labelStore      = "c2pa"
	labelAssertions = "c2pa.assertions"
	labelClaim      = "c2pa.claim.v2"
	labelSignature  = "c2pa.signature"
)

// Actions sideman records (C2PA 2.x §18.15: the first action of a new
// asset is c2pa.created; later changes are c2pa.edited).
const (
	ActionCreated = "c2pa.created"
	ActionEdited  = "c2pa.edited"
)

// SourceTypePrefix begins every IPTC digital source type URI.
const SourceTypePrefix = "http://cv.iptc.org/newscodes/digitalsourcetype/"

// The IPTC digital source types (vocabulary of October 2024) the ledger
// assigns, as full URIs.
const (
	DigitalCapture                       = SourceTypePrefix + "digitalCapture"
	DigitalCreation                      = SourceTypePrefix + "digitalCreation"
	HumanEdits                           = SourceTypePrefix + "humanEdits"
	AlgorithmicallyEnhanced              = SourceTypePrefix + "algorithmicallyEnhanced"
	AlgorithmicMedia                     = SourceTypePrefix + "algorithmicMedia"
	TrainedAlgorithmicMedia              = SourceTypePrefix + "trainedAlgorithmicMedia"
	CompositeWithTrainedAlgorithmicMedia = SourceTypePrefix + "compositeWithTrainedAlgorithmicMedia"
)

// sourceTypes is the IPTC vocabulary's terms (October 2024), digitalArt
// kept for the files that still use it.
var sourceTypes = map[string]bool{
	"digitalCapture": true, "computationalCapture": true, "negativeFilm": true,
	"positiveFilm": true, "print": true, "humanEdits": true, "compositeCapture": true,
	"algorithmicallyEnhanced": true, "digitalCreation": true, "digitalArt": true,
	"dataDrivenMedia": true, "trainedAlgorithmicMedia": true,
	"compositeWithTrainedAlgorithmicMedia": true, "compositeSynthetic": true,
	"composite": true, "screenCapture": true, "virtualRecording": true,
	"algorithmicMedia": true,
}

// SourceType is the full IPTC URI of a digital source type given by its
// term ("trainedAlgorithmicMedia") or its URI; "" when it is neither.
func SourceType(s string) string {
	term := strings.TrimPrefix(strings.TrimPrefix(s, SourceTypePrefix), "https://cv.iptc.org/newscodes/digitalsourcetype/")
	if !sourceTypes[term] {
		return ""
	}
	return SourceTypePrefix + term
}

// Counts are a file's notes by authorship class (the ledger's per-note
// classes): H human, H+alg human processed by an algorithm, M machine,
// M+h machine then changed by a person. The CBOR keys are the classes'
// names, as the authorship report's JSON has them.
type Counts struct {
	H    int `cbor:"H" json:"H"`
	HAlg int `cbor:"H+alg" json:"H+alg"`
	M    int `cbor:"M" json:"M"`
	MH   int `cbor:"M+h" json:"M+h"`
}

// An Action is one entry of the manifest's c2pa.actions.v2 assertion.
type Action struct {
	Action      string // ActionCreated or ActionEdited
	SourceType  string // an IPTC digital source type URI (or its term)
	Description string // optional, in words
}

// Inputs is what a manifest says beyond the audio itself: the ledger's
// head hash and note counts, and the actions with their source types.
type Inputs struct {
	Title     string // the file's name, no folders (dc:title); optional
	Generator string // the claim generator's name; "sideman" when empty
	Version   string // its version; optional
	HeadHash  string // the ledger head hash the export was made at
	Counts    Counts
	Actions   []Action // the first is c2pa.created, with a source type
}

// Authorship is sideman's own assertion (LabelAuthorship): the ledger
// head hash and the per-class note counts of the file.
type Authorship struct {
	HeadHash string `cbor:"ledger_head"`
	Counts   Counts `cbor:"notes"`
}

// check says what is wrong with in, as one line.
func (in *Inputs) check() error {
	if strings.ContainsAny(in.Title, `/\`) {
		return fmt.Errorf("title %q names a folder; give the file name alone", in.Title)
	}
	if in.HeadHash == "" {
		return errors.New("no ledger head hash")
	}
	c := in.Counts
	if c.H < 0 || c.HAlg < 0 || c.M < 0 || c.MH < 0 {
		return fmt.Errorf("negative note count in %+v", c)
	}
	if len(in.Actions) == 0 {
		return errors.New("no actions: a manifest begins with c2pa.created")
	}
	for i, a := range in.Actions {
		switch {
		case i == 0 && a.Action != ActionCreated:
			return fmt.Errorf("action 1 is %q; the first must be %s", a.Action, ActionCreated)
		case i > 0 && a.Action != ActionEdited:
			return fmt.Errorf("action %d is %q; after the first only %s", i+1, a.Action, ActionEdited)
		case a.SourceType == "" && a.Action == ActionCreated:
			return fmt.Errorf("action 1 (%s) has no digital source type", a.Action)
		case a.SourceType != "" && SourceType(a.SourceType) == "":
			return fmt.Errorf("action %d: %q is not an IPTC digital source type", i+1, a.SourceType)
		}
	}
	return nil
}

// CBOR shapes of the claim and the assertions (C2PA 2.x §10, §18).

type hashedURI struct {
	URL  string `cbor:"url"`
	Hash []byte `cbor:"hash"`
}

type generatorInfo struct {
	Name    string `cbor:"name"`
	Version string `cbor:"version,omitempty"`
}

type claimV2 struct {
	InstanceID string        `cbor:"instanceID"`
	Generator  generatorInfo `cbor:"claim_generator_info"`
	Signature  string        `cbor:"signature"`
	Created    []hashedURI   `cbor:"created_assertions"`
	Gathered   []hashedURI   `cbor:"gathered_assertions,omitempty"`
	Title      string        `cbor:"dc:title,omitempty"`
	Alg        string        `cbor:"alg,omitempty"`
}

type cborAction struct {
	Action        string         `cbor:"action"`
	SoftwareAgent *generatorInfo `cbor:"softwareAgent,omitempty"`
	Description   string         `cbor:"description,omitempty"`
	SourceType    string         `cbor:"digitalSourceType,omitempty"`
}

type actionsV2 struct {
	Actions []cborAction `cbor:"actions"`
}

type hashRange struct {
	Start  uint64 `cbor:"start"`
	Length uint64 `cbor:"length"`
}

type dataHash struct {
	Exclusions []hashRange `cbor:"exclusions,omitempty"`
	Name       string      `cbor:"name,omitempty"`
	Alg        string      `cbor:"alg,omitempty"`
	Hash       []byte      `cbor:"hash"`
	Pad        []byte      `cbor:"pad"`
}

var encMode = func() cbor.EncMode {
	m, err := cbor.EncOptions{}.EncMode()
	if err != nil {
		panic(err)
	}
	return m
}()

func mustCBOR(v any) []byte {
	b, err := encMode.Marshal(v)
	if err != nil { // only for types this file defines
		panic(err)
	}
	return b
}

// uuidFrom is a version-4-shaped UUID drawn from a SHA-256 digest, so
// that the same file and inputs give the same manifest label.
func uuidFrom(sum []byte) string {
	u := make([]byte, 16)
	copy(u, sum)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// plan is everything of a manifest but the audio's hash and the label.
type plan struct {
	in     Inputs
	chain  [][]byte
	sign   func(claim []byte) ([]byte, error) // a COSE_Sign1_Tagged over claim, detached
	start  uint64                             // where the C2PA chunk begins in the file
	length uint64                             // the chunk's length, header included
	pad    int                                // zero bytes in the data hash's pad
}

// build is the manifest store (JUMBF) for a file whose bytes outside the
// C2PA chunk hash to sum.
func (p *plan) build(sum []byte) ([]byte, error) {
	in := p.in
	gen := generatorInfo{Name: in.Generator, Version: in.Version}
	if gen.Name == "" {
		gen.Name = "sideman"
	}
	var acts actionsV2
	for _, a := range in.Actions {
		ca := cborAction{Action: a.Action, Description: a.Description, SourceType: SourceType(a.SourceType)}
		if a.Action == ActionCreated {
			ca.SoftwareAgent = &gen
		}
		acts.Actions = append(acts.Actions, ca)
	}
	auth := Authorship{HeadHash: in.HeadHash, Counts: in.Counts}
	dh := dataHash{
		Exclusions: []hashRange{{Start: p.start, Length: p.length}},
		Name:       "jumbf manifest",
		Alg:        "sha256",
		Hash:       sum,
		Pad:        make([]byte, p.pad),
	}
	assertions := []*box{
		superbox(uuidCBOR, LabelActions, cborBox(mustCBOR(acts))),
		superbox(uuidCBOR, LabelAuthorship, cborBox(mustCBOR(auth))),
		superbox(uuidCBOR, LabelDataHash, cborBox(mustCBOR(dh))),
	}

	// The label: a UUID from the audio's hash and what the manifest says.
	h := sha256.New()
	h.Write(sum)
	for _, a := range assertions[:2] {
		h.Write(a.payload())
	}
	for _, c := range p.chain {
		h.Write(c)
	}
	id := uuidFrom(h.Sum(nil))
	label := "urn:c2pa:" + id

	claim := claimV2{
		InstanceID: "xmp:iid:" + id,
		Generator:  gen,
		Signature:  "self#jumbf=/" + labelStore + "/" + label + "/" + labelSignature,
		Title:      in.Title,
		Alg:        "sha256",
	}
	for _, a := range assertions {
		s := sha256.Sum256(a.payload())
		claim.Created = append(claim.Created, hashedURI{
			URL:  "self#jumbf=" + labelAssertions + "/" + a.label,
			Hash: s[:],
		})
	}
	claimBytes := mustCBOR(claim)
	sig, err := p.sign(claimBytes)
	if err != nil {
		return nil, err
	}
	store := superbox(uuidStore, labelStore,
		superbox(uuidManifest, label,
			superbox(uuidAssertion, labelAssertions, assertions...),
			superbox(uuidClaim, labelClaim, cborBox(claimBytes)),
			superbox(uuidSignature, labelSignature, cborBox(sig)),
		),
	)
	return store.bytes(), nil
}
