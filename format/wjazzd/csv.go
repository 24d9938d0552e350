package wjazzd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"sideman/format"
	"sideman/internal/quote"
)

// table reads a comma-separated file without quoting, row by row, keeping
// the fields of the current row as sub-slices of the input.
type table struct {
	file   string
	data   []byte
	row    int // 1-based number of the current row
	fields [][]byte
}

// readAll reads the file named name, at most format.MaxSize bytes.
func readAll(r io.Reader, name string) ([]byte, error) {
	data, err := format.ReadAll(r)
	if err != nil {
		return nil, &ParseError{File: name, Err: err}
	}
	return data, nil
}

func newTable(file string, data []byte) *table {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	return &table{file: file, data: data}
}

// next reads the next non-empty row; it reports false at the end.
func (t *table) next() bool {
	for len(t.data) > 0 {
		t.row++
		var line []byte
		if i := bytes.IndexByte(t.data, '\n'); i >= 0 {
			line, t.data = t.data[:i], t.data[i+1:]
		} else {
			line, t.data = t.data, nil
		}
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if len(line) == 0 {
			continue
		}
		t.fields = t.fields[:0]
		for {
			i := bytes.IndexByte(line, ',')
			if i < 0 {
				t.fields = append(t.fields, line)
				break
			}
			t.fields = append(t.fields, line[:i])
			line = line[i+1:]
		}
		return true
	}
	return false
}

func (t *table) errf(format string, args ...any) error {
	return &ParseError{File: t.file, Row: t.row, Err: fmt.Errorf(format, args...)}
}

// columns finds the named columns in the header row just read.
func (t *table) columns(names ...string) ([]int, error) {
	idx := make([]int, len(names))
	for i, name := range names {
		idx[i] = -1
		for j, f := range t.fields {
			if string(bytes.TrimSpace(f)) == name {
				idx[i] = j
				break
			}
		}
		if idx[i] < 0 {
			return nil, &ParseError{File: t.file, Row: t.row, Err: fmt.Errorf("%w %s", ErrColumn, quote.Input(name))}
		}
	}
	return idx, nil
}

// field is the i-th field of the row, or an error when the row is short.
func (t *table) field(i int) ([]byte, error) {
	if i >= len(t.fields) {
		return nil, t.errf("%d fields, want at least %d", len(t.fields), i+1)
	}
	return t.fields[i], nil
}

func (t *table) float(i int, name string) (float64, error) {
	f, err := t.field(i)
	if err != nil {
		return 0, err
	}
	v, err := parseFloat(f)
	if err != nil {
		return 0, t.errf("%s %s: not a number", name, quote.Input(string(f)))
	}
	return v, nil
}

func (t *table) int(i int, name string) (int, error) {
	f, err := t.field(i)
	if err != nil {
		return 0, err
	}
	v, ok := parseInt(f)
	if !ok {
		// Some exports write whole numbers as "67.0".
		x, err := parseFloat(f)
		if err != nil || x != float64(int(x)) || x > 1<<30 || x < -1<<30 {
			return 0, t.errf("%s %s: not a whole number", name, quote.Input(string(f)))
		}
		v = int(x)
	}
	return v, nil
}

var errSyntax = errors.New("syntax")

// parseInt reads a decimal integer of up to nine digits, with a sign.
func parseInt(b []byte) (int, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// parseFloat reads a number. strconv copies its input into its errors, so
// the conversion of b to a string does not allocate.
func parseFloat(b []byte) (float64, error) {
	if len(b) == 0 {
		return 0, errSyntax
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
		return 0, errSyntax // a time or a pitch is a finite number
	}
	return v, err
}
