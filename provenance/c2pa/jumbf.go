package c2pa

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// JUMBF (ISO 19566-5) boxes, as C2PA uses them: a superbox "jumb" holds a
// description box "jumd" (a type UUID, toggles, a label) and then its
// content boxes. Every box is a 4-byte big-endian size (header included)
// and a 4-byte type.

// Type UUIDs of the C2PA superboxes (C2PA 2.x §11.1, "C2PA box details").
var (
	uuidStore     = c2paUUID("c2pa") // the manifest store
	uuidManifest  = c2paUUID("c2ma") // a standard manifest
	uuidAssertion = c2paUUID("c2as") // the assertion store
	uuidClaim     = c2paUUID("c2cl") // the claim
	uuidSignature = c2paUUID("c2cs") // the claim signature
	uuidCBOR      = c2paUUID("cbor") // a CBOR assertion
)

// c2paUUID is the ISO-registered UUID form C2PA gives its box types:
// the four characters, then 0011-0010-8000-00AA00389B71.
func c2paUUID(fourcc string) [16]byte {
	var u [16]byte
	copy(u[:4], fourcc)
	copy(u[4:], []byte{0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71})
	return u
}

// togglesLabelled marks a description box as requestable with a label
// present, as c2pa-rs writes it.
const togglesLabelled = 0x03

// box is one JUMBF box to write: a superbox (desc set, kids) or a plain
// box (typ and data).
type box struct {
	// superbox
	uuid  [16]byte
	label string
	kids  []*box
	// plain box
	typ  string
	data []byte
}

func superbox(uuid [16]byte, label string, kids ...*box) *box {
	return &box{uuid: uuid, label: label, kids: kids}
}

func cborBox(data []byte) *box { return &box{typ: "cbor", data: data} }

// payload is the box without its own 8-byte header: for a superbox, its
// description box and its content boxes. C2PA hashes an assertion over
// its superbox's payload.
func (b *box) payload() []byte {
	var buf bytes.Buffer
	if b.typ != "" {
		return b.data
	}
	d := make([]byte, 0, 17+len(b.label)+1)
	d = append(d, b.uuid[:]...)
	d = append(d, togglesLabelled)
	d = append(d, b.label...)
	d = append(d, 0)
	writeBox(&buf, "jumd", d)
	for _, k := range b.kids {
		writeBox(&buf, k.kind(), k.payload())
	}
	return buf.Bytes()
}

func (b *box) kind() string {
	if b.typ != "" {
		return b.typ
	}
	return "jumb"
}

// bytes is the whole box, header included.
func (b *box) bytes() []byte {
	var buf bytes.Buffer
	writeBox(&buf, b.kind(), b.payload())
	return buf.Bytes()
}

func writeBox(buf *bytes.Buffer, typ string, payload []byte) {
	var h [8]byte
	binary.BigEndian.PutUint32(h[:4], uint32(8+len(payload)))
	copy(h[4:], typ)
	buf.Write(h[:])
	buf.Write(payload)
}

// A node is a JUMBF box as read: a superbox has a description (uuid,
// label) and kids; a plain box has its type and data. raw is the box's
// payload (what an assertion's hash covers).
type node struct {
	typ   string
	uuid  [16]byte
	label string
	kids  []*node
	data  []byte
	raw   []byte
}

// child is the first superbox among n's kids with this label.
func (n *node) child(label string) *node {
	for _, k := range n.kids {
		if k.typ == "jumb" && k.label == label {
			return k
		}
	}
	return nil
}

// content is the data of the first plain box of type typ among n's kids.
func (n *node) content(typ string) ([]byte, bool) {
	for _, k := range n.kids {
		if k.typ == typ {
			return k.data, true
		}
	}
	return nil, false
}

const maxDepth = 16

var errJUMBF = errors.New("malformed JUMBF")

// parseBoxes reads the boxes that fill p.
func parseBoxes(p []byte, depth int) ([]*node, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%w: boxes nested more than %d deep", errJUMBF, maxDepth)
	}
	var out []*node
	for len(p) > 0 {
		if len(p) < 8 {
			return nil, fmt.Errorf("%w: %d stray bytes after the last box", errJUMBF, len(p))
		}
		size := binary.BigEndian.Uint32(p[:4])
		typ := string(p[4:8])
		if size == 1 || size < 8 || uint64(size) > uint64(len(p)) {
			return nil, fmt.Errorf("%w: box %q of size %d in %d bytes", errJUMBF, typ, size, len(p))
		}
		n, err := parseBox(typ, p[8:size], depth)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
		p = p[size:]
	}
	return out, nil
}

func parseBox(typ string, payload []byte, depth int) (*node, error) {
	n := &node{typ: typ, raw: payload}
	if typ != "jumb" {
		n.data = payload
		return n, nil
	}
	kids, err := parseBoxes(payload, depth+1)
	if err != nil {
		return nil, err
	}
	if len(kids) == 0 || kids[0].typ != "jumd" {
		return nil, fmt.Errorf("%w: a superbox without its description box", errJUMBF)
	}
	d := kids[0].data
	if len(d) < 17 {
		return nil, fmt.Errorf("%w: a description box of %d bytes", errJUMBF, len(d))
	}
	copy(n.uuid[:], d[:16])
	if d[16]&0x02 != 0 { // label present
		end := bytes.IndexByte(d[17:], 0)
		if end < 0 {
			return nil, fmt.Errorf("%w: a label without its terminating zero", errJUMBF)
		}
		n.label = string(d[17 : 17+end])
	}
	n.kids = kids[1:]
	return n, nil
}
