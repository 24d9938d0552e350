package musicxml

import (
	"bytes"
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The reader below is a small XML tokenizer that builds a flat element tree
// for the document. encoding/xml allocates for every token and checks more
// than MusicXML needs; reading the OpenEWLD corpus with it took most of a
// second, this reader a small part of that (see bench_test.go). It handles
// what well-formed XML documents contain: the declaration, processing
// instructions, comments, a DOCTYPE with an internal subset, CDATA sections,
// the five predefined entities and character references. It checks that
// tags nest; it does not validate names or attribute syntax strictly, and
// attributes are only split when asked for.

// node is one element. Offsets point into the document; child and next
// index the tree's node slice, -1 for none.
type node struct {
	start       int32 // offset of the '<' of the start tag
	nameEnd     int32 // the name is doc[start+1 : nameEnd]
	attrEnd     int32 // attributes are doc[nameEnd:attrEnd]
	textStart   int32 // content is doc[textStart:textEnd] for a leaf
	textEnd     int32
	child, next int32
	name        uint32 // index into tree.names
	// plain reports that the content has no markup or references, so it
	// can be used as it stands.
	plain bool
}

// tree is a parsed document. The root element is nodes[0].
type tree struct {
	doc   []byte
	nodes []node
	stack []int32 // open elements while parsing
	last  []int32 // last child of each open element
	// names interns element names (without a namespace prefix), so that
	// reading a name does not allocate; it is kept from one document to
	// the next, up to maxNames.
	names []string
	ids   map[string]uint32
}

const maxNames = 4096

// maxNodes and maxDepth bound the memory and the nesting a document may use.
// Real scores have a few hundred thousand elements at most.
const (
	maxNodes = 1 << 22
	maxDepth = 256
)

// syntaxError is an error in the XML itself, at a byte offset.
type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string { return e.msg }

func errAt(off int, msg string) error { return &syntaxError{off, msg} }

// parse builds the element tree of doc, reusing t's memory.
func (t *tree) parse(doc []byte) error {
	t.doc = doc
	t.nodes = t.nodes[:0]
	if t.ids == nil || len(t.names) > maxNames {
		// A document with many odd names must not make the table grow
		// from one document to the next.
		t.ids = make(map[string]uint32)
		t.names = t.names[:0]
	}
	t.stack = t.stack[:0]
	t.last = t.last[:0]
	if len(doc) > 1<<31-1 {
		return errAt(0, "document too large")
	}
	p := 0
	rootDone := false
	for {
		i := bytes.IndexByte(doc[p:], '<')
		if i < 0 {
			if len(t.stack) == 0 && !isSpace(doc[p:]) {
				return errAt(p, "text outside the root element")
			}
			if len(t.stack) > 0 {
				return errAt(len(doc), "unexpected end of document inside <"+t.name(t.stack[len(t.stack)-1])+">")
			}
			if !rootDone {
				return errAt(len(doc), "no root element")
			}
			return nil
		}
		if len(t.stack) == 0 && !isSpace(doc[p:p+i]) {
			return errAt(p, "text outside the root element")
		}
		p += i
		if p+1 >= len(doc) {
			return errAt(p, "unexpected end of document")
		}
		switch c := doc[p+1]; {
		case c == '?':
			e := bytes.Index(doc[p+2:], []byte("?>"))
			if e < 0 {
				return errAt(p, "unterminated processing instruction")
			}
			p += 2 + e + 2
		case c == '!':
			n, err := t.bang(p)
			if err != nil {
				return err
			}
			p = n
		case c == '/':
			n, err := t.endTag(p)
			if err != nil {
				return err
			}
			p = n
		default:
			if len(t.stack) == 0 && rootDone {
				return errAt(p, "more than one root element")
			}
			n, err := t.startTag(p)
			if err != nil {
				return err
			}
			p = n
			rootDone = true
		}
	}
}

// bang skips a comment, DOCTYPE or CDATA section starting at doc[p] ("<!")
// and returns the offset after it. CDATA content marks the element's text
// as not plain; it is decoded by text.
func (t *tree) bang(p int) (int, error) {
	doc := t.doc
	rest := doc[p:]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		e := bytes.Index(rest[4:], []byte("-->"))
		if e < 0 {
			return 0, errAt(p, "unterminated comment")
		}
		t.notPlain()
		return p + 4 + e + 3, nil
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		if len(t.stack) == 0 {
			return 0, errAt(p, "CDATA outside the root element")
		}
		e := bytes.Index(rest[9:], []byte("]]>"))
		if e < 0 {
			return 0, errAt(p, "unterminated CDATA section")
		}
		t.notPlain()
		return p + 9 + e + 3, nil
	case bytes.HasPrefix(rest, []byte("<!DOCTYPE")):
		if len(t.stack) > 0 {
			return 0, errAt(p, "DOCTYPE inside an element")
		}
		// Skip to the closing '>', past quoted strings and an internal
		// subset in brackets.
		var quote byte
		depth := 0
		for i := 9; i < len(rest); i++ {
			c := rest[i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '[':
				depth++
			case c == ']':
				depth--
			case c == '>' && depth <= 0:
				return p + i + 1, nil
			}
		}
		return 0, errAt(p, "unterminated DOCTYPE")
	}
	return 0, errAt(p, "unknown markup <!")
}

// notPlain marks the open element's content as needing decoding.
func (t *tree) notPlain() {
	if n := len(t.stack); n > 0 {
		t.nodes[t.stack[n-1]].plain = false
	}
}

// startTag reads the start tag at doc[p] and returns the offset after it.
func (t *tree) startTag(p int) (int, error) {
	doc := t.doc
	i := p + 1
	for i < len(doc) && !isNameEnd(doc[i]) {
		i++
	}
	if i == p+1 {
		return 0, errAt(p, "element without a name")
	}
	nameEnd := i
	var quote byte
	for ; i < len(doc); i++ {
		c := doc[i]
		if quote != 0 {
			if c == quote {
				quote = 0
			} else if c == '<' {
				return 0, errAt(i, "'<' in an attribute value")
			}
			continue
		}
		if c == '"' || c == '\'' {
			quote = c
		} else if c == '>' || c == '<' {
			break
		}
	}
	if i >= len(doc) || doc[i] == '<' {
		return 0, errAt(p, "unterminated start tag <"+string(doc[p+1:nameEnd])+">")
	}
	empty := doc[i-1] == '/' && i-1 >= nameEnd
	attrEnd := i
	if empty {
		attrEnd = i - 1
	}
	if len(t.nodes) >= maxNodes {
		return 0, errAt(p, "too many elements")
	}
	if len(t.stack) >= maxDepth {
		return 0, errAt(p, "elements nested too deeply")
	}
	id := int32(len(t.nodes))
	t.nodes = append(t.nodes, node{
		start: int32(p), nameEnd: int32(nameEnd), attrEnd: int32(attrEnd),
		textStart: int32(i + 1), textEnd: int32(i + 1), child: -1, next: -1, plain: true,
		name: t.intern(doc[p+1 : nameEnd]),
	})
	if n := len(t.stack); n > 0 {
		parent := t.stack[n-1]
		t.nodes[parent].plain = false // it has element content
		if l := t.last[n-1]; l >= 0 {
			t.nodes[l].next = id
		} else {
			t.nodes[parent].child = id
		}
		t.last[n-1] = id
	}
	if !empty {
		t.stack = append(t.stack, id)
		t.last = append(t.last, -1)
	}
	return i + 1, nil
}

// endTag reads the end tag at doc[p] and returns the offset after it.
func (t *tree) endTag(p int) (int, error) {
	doc := t.doc
	e := bytes.IndexByte(doc[p:], '>')
	if e < 0 {
		return 0, errAt(p, "unterminated end tag")
	}
	name := trimRight(doc[p+2 : p+e])
	n := len(t.stack)
	if n == 0 {
		return 0, errAt(p, "end tag </"+string(name)+"> without a start tag")
	}
	id := t.stack[n-1]
	nd := &t.nodes[id]
	if !bytes.Equal(name, doc[nd.start+1:nd.nameEnd]) {
		return 0, errAt(p, "end tag </"+string(name)+"> does not match <"+string(doc[nd.start+1:nd.nameEnd])+">")
	}
	nd.textEnd = int32(p)
	if nd.plain && bytes.IndexByte(doc[nd.textStart:p], '&') >= 0 {
		nd.plain = false
	}
	t.stack = t.stack[:n-1]
	t.last = t.last[:n-1]
	return p + e + 1, nil
}

func isNameEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/' || c == '>' || c == '<'
}

func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

func trimRight(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	return trimRight(b)
}

// intern returns the id of an element name, without its namespace prefix.
func (t *tree) intern(b []byte) uint32 {
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		b = b[i+1:]
	}
	if id, ok := t.ids[string(b)]; ok {
		return id
	}
	id := uint32(len(t.names))
	s := string(b)
	t.names = append(t.names, s)
	t.ids[s] = id
	return id
}

// name is the element's name without a namespace prefix.
func (t *tree) name(id int32) string { return t.names[t.nodes[id].name] }

// is reports whether the element's name is s.
func (t *tree) is(id int32, s string) bool { return t.names[t.nodes[id].name] == s }

// child returns the first child element named s, or -1.
func (t *tree) child(id int32, s string) int32 {
	for c := t.nodes[id].child; c >= 0; c = t.nodes[c].next {
		if t.is(c, s) {
			return c
		}
	}
	return -1
}

// rawText is the element's content with spaces trimmed, when it is plain
// text; ok is false when it needs decoding (references, CDATA, comments or
// child elements).
func (t *tree) rawText(id int32) (b []byte, ok bool) {
	nd := &t.nodes[id]
	if !nd.plain {
		return nil, false
	}
	return trimSpace(t.doc[nd.textStart:nd.textEnd]), true
}

// text is the element's character content, references resolved, CDATA
// unwrapped, comments and child elements left out, spaces trimmed.
func (t *tree) text(id int32) string {
	if id < 0 {
		return ""
	}
	if b, ok := t.rawText(id); ok {
		return string(b)
	}
	return string(trimSpace(t.decodeText(nil, id)))
}

// decodeText appends the decoded character data of an element to buf.
func (t *tree) decodeText(buf []byte, id int32) []byte {
	nd := &t.nodes[id]
	doc := t.doc
	end := int(nd.textEnd)
	p := int(nd.textStart)
	for c := nd.child; ; c = t.nodes[c].next {
		stop := end
		if c >= 0 {
			stop = int(t.nodes[c].start)
		}
		buf = decodeChars(buf, doc[p:stop])
		if c < 0 {
			return buf
		}
		// Skip the child element: past its end tag, or its empty tag.
		cn := &t.nodes[c]
		if cn.textStart == cn.textEnd && doc[cn.attrEnd] == '/' {
			p = int(cn.attrEnd) + 2
		} else {
			e := bytes.IndexByte(doc[cn.textEnd:], '>')
			p = int(cn.textEnd) + e + 1
		}
	}
}

// decodeChars appends character data with references resolved, CDATA
// unwrapped and comments removed.
func decodeChars(buf, b []byte) []byte {
	for len(b) > 0 {
		i := bytes.IndexAny(b, "&<")
		if i < 0 {
			return append(buf, b...)
		}
		buf = append(buf, b[:i]...)
		b = b[i:]
		switch {
		case b[0] == '&':
			e := bytes.IndexByte(b, ';')
			if e < 0 || e > 12 {
				buf = append(buf, '&')
				b = b[1:]
				continue
			}
			if r, ok := entity(b[1:e]); ok {
				buf = utf8.AppendRune(buf, r)
			} else {
				buf = append(buf, b[:e+1]...)
			}
			b = b[e+1:]
		case bytes.HasPrefix(b, []byte("<![CDATA[")):
			e := bytes.Index(b, []byte("]]>"))
			if e < 0 {
				return append(buf, b[9:]...)
			}
			buf = append(buf, b[9:e]...)
			b = b[e+3:]
		case bytes.HasPrefix(b, []byte("<!--")):
			e := bytes.Index(b, []byte("-->"))
			if e < 0 {
				return buf
			}
			b = b[e+3:]
		default:
			e := bytes.IndexByte(b, '>')
			if e < 0 {
				return buf
			}
			b = b[e+1:]
		}
	}
	return buf
}

// entity resolves a predefined entity or a character reference (the text
// between '&' and ';').
func entity(name []byte) (rune, bool) {
	switch string(name) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if name[1] == 'x' || name[1] == 'X' {
		n, err = strconv.ParseUint(string(name[2:]), 16, 32)
	} else {
		n, err = strconv.ParseUint(string(name[1:]), 10, 32)
	}
	if err != nil || n == 0 || n > utf8.MaxRune || (n >= 0xD800 && n < 0xE000) {
		return 0, false
	}
	return rune(n), true
}

// attr returns the value of the named attribute, references resolved, and
// whether it is present.
func (t *tree) attr(id int32, name string) (string, bool) {
	b, ok := t.rawAttr(id, name)
	if !ok {
		return "", false
	}
	if bytes.IndexByte(b, '&') < 0 {
		return string(b), true
	}
	return string(decodeChars(nil, b)), true
}

// rawAttr finds an attribute's raw value in the start tag.
func (t *tree) rawAttr(id int32, name string) ([]byte, bool) {
	nd := &t.nodes[id]
	b := t.doc[nd.nameEnd:nd.attrEnd]
	for {
		// Skip spaces, read a name up to '='.
		b = trimLeft(b)
		eq := bytes.IndexByte(b, '=')
		if eq < 0 {
			return nil, false
		}
		key := trimRight(b[:eq])
		b = trimLeft(b[eq+1:])
		if len(b) == 0 || (b[0] != '"' && b[0] != '\'') {
			return nil, false
		}
		q := b[0]
		e := bytes.IndexByte(b[1:], q)
		if e < 0 {
			return nil, false
		}
		val := b[1 : 1+e]
		b = b[2+e:]
		if string(key) == name {
			return val, true
		}
	}
}

func trimLeft(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}

// line is the 1-based line of a byte offset.
func (t *tree) line(off int) int {
	if off > len(t.doc) {
		off = len(t.doc)
	}
	return bytes.Count(t.doc[:off], []byte{'\n'}) + 1
}

// toUTF8 returns the document as UTF-8: a byte order mark is removed, and
// UTF-16 documents and those declared ISO-8859-1 or Windows-1252 (as some
// older exporters write) are converted.
func toUTF8(b []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return b[3:], nil
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return fromUTF16(b[2:], false)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return fromUTF16(b[2:], true)
	case len(b) >= 4 && b[0] == '<' && b[1] == 0:
		return fromUTF16(b, false)
	case len(b) >= 4 && b[0] == 0 && b[1] == '<':
		return fromUTF16(b, true)
	}
	if bytes.HasPrefix(b, []byte("<?xml")) {
		e := bytes.Index(b, []byte("?>"))
		if e > 0 {
			decl := bytes.ToLower(b[:e])
			if bytes.Contains(decl, []byte("iso-8859-1")) || bytes.Contains(decl, []byte("latin1")) ||
				bytes.Contains(decl, []byte("windows-1252")) || bytes.Contains(decl, []byte("latin-1")) {
				if !utf8.Valid(b) {
					return fromLatin1(b), nil
				}
			}
		}
	}
	return b, nil
}

var errUTF16 = errors.New("odd number of bytes in a UTF-16 document")

func fromUTF16(b []byte, bigEndian bool) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, errUTF16
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
	}
	out := make([]byte, 0, len(u))
	for _, r := range utf16.Decode(u) {
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}

// fromLatin1 converts ISO-8859-1 to UTF-8 (Windows-1252's extra characters
// in 0x80-0x9F come out as the C1 controls; they do not occur in the
// elements read here).
func fromLatin1(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}
