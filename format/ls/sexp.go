package ls

import (
	"errors"
	"strings"
)

// node is an atom or a parenthesized list of the leadsheet's header and
// directives.
type node struct {
	atom string
	kids []node
	list bool
	// pos is where the atom or the opening parenthesis stands.
	pos token
}

// head is the keyword of a list: its first atom, or "".
func (n *node) head() string {
	if n.list && len(n.kids) > 0 && !n.kids[0].list {
		return n.kids[0].atom
	}
	return ""
}

// find returns the first sub-list of n whose keyword is key.
func (n *node) find(key string) *node {
	for i := range n.kids {
		if n.kids[i].list && n.kids[i].head() == key {
			return &n.kids[i]
		}
	}
	return nil
}

// arg is the i-th atom after the keyword, or "".
func (n *node) arg(i int) (string, bool) {
	if i+1 < len(n.kids) && !n.kids[i+1].list {
		return n.kids[i+1].atom, true
	}
	return "", false
}

// text is the list's words after the keyword joined by spaces, with no
// space before a comma and nested lists in parentheses, as Impro-Visor's
// concatElements writes a title that holds them.
func (n *node) text() string {
	var b strings.Builder
	for i := 1; i < len(n.kids); i++ {
		k := &n.kids[i]
		if i > 1 && !(!k.list && k.atom == ",") {
			b.WriteByte(' ')
		}
		if k.list {
			b.WriteByte('(')
			if len(k.kids) > 0 {
				b.WriteString(k.kids[0].atom)
				if t := k.text(); t != "" {
					b.WriteByte(' ')
					b.WriteString(t)
				}
			}
			b.WriteByte(')')
			continue
		}
		b.WriteString(k.atom)
	}
	return b.String()
}

// maxDepth bounds the nesting of lists; Impro-Visor's roadmaps nest bricks
// a few levels deep.
const maxDepth = 200

var (
	errUnclosed = errors.New("unclosed (")
	errComment  = errors.New("unclosed /* comment")
	errDepth    = errors.New("lists nested too deep")
)

// readList reads the rest of a list whose "(" was open.
func (d *decoder) readList(open token, depth int) (node, error) {
	if depth > maxDepth {
		return node{}, d.errAt(open, errDepth)
	}
	n := node{list: true, pos: open}
	for {
		t := d.lex.next()
		switch t.kind {
		case tokEOF:
			return node{}, d.errAt(open, errUnclosed)
		case tokError:
			return node{}, d.errAt(t, errComment)
		case tokClose:
			return n, nil
		case tokOpen:
			k, err := d.readList(t, depth+1)
			if err != nil {
				return node{}, err
			}
			n.kids = append(n.kids, k)
		default:
			n.kids = append(n.kids, node{atom: t.text, pos: t})
		}
	}
}
