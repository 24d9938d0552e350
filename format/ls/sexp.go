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
	off  int // where the atom or the opening parenthesis stands
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

// kept are the directives read; any other list (volumes, instruments,
// layout, a part's roadmap of bricks) is skipped without building it.
var kept = map[string]bool{
	"title": true, "composer": true, "key": true, "meter": true, "tempo": true, "style": true,
	"transpose": true, "section": true, "phrase": true, "part": true, "type": true, "instrument": true,
}

// readList reads the rest of a list whose "(" at off was read. A list
// whose keyword is not kept is skipped and returned with only its keyword.
func (d *decoder) readList(off, depth int) (node, error) {
	if depth > maxDepth {
		return node{}, d.errAt(off, errDepth)
	}
	n := node{list: true, off: off}
	for {
		t := d.lex.next()
		switch t.kind {
		case tokEOF:
			return node{}, d.errAt(off, errUnclosed)
		case tokError:
			return node{}, d.errAt(t.off, errComment)
		case tokClose:
			return n, nil
		case tokOpen:
			k, err := d.readList(t.off, depth+1)
			if err != nil {
				return node{}, err
			}
			n.kids = append(n.kids, k)
		default:
			n.kids = append(n.kids, node{atom: t.text, off: t.off})
			if len(n.kids) == 1 && !kept[t.text] {
				return n, d.skipList(off, depth)
			}
		}
	}
}

// skipList passes the rest of a list, checking only that it is closed.
func (d *decoder) skipList(off, depth int) error {
	open := []int{off}
	for {
		t := d.lex.next()
		switch t.kind {
		case tokEOF:
			return d.errAt(open[len(open)-1], errUnclosed)
		case tokError:
			return d.errAt(t.off, errComment)
		case tokOpen:
			if depth+len(open) > maxDepth {
				return d.errAt(t.off, errDepth)
			}
			open = append(open, t.off)
		case tokClose:
			open = open[:len(open)-1]
			if len(open) == 0 {
				return nil
			}
		}
	}
}
