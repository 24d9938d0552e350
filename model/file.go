package model

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"sideman/format"
)

// The model file (docs/model.md) holds what a model learned and how it
// predicts: the magic "sideman model", a version byte, the configuration,
// the pitches, pieces and notes learned, then each viewpoint's counts.
// Only the counts are written; everything derived from them (the counts
// under update exclusion, the totals) is rebuilt on reading, as Merge
// rebuilds it, so a model read back predicts exactly as the one written.
// Numbers are varints (encoding/binary), biases IEEE 754 bits.
//
// A viewpoint's counts, after their length in bytes (so that the
// viewpoints are written and read in parallel): its symbols, sorted (the
// first a varint, then the gaps); the number of strings; then the strings
// in the order they were made (a string's parent and suffix,
// the string less its first symbol, before it): for each the gap back to
// its parent, its symbol's index and its count, doubled, plus one if the
// string began a melody.
const (
	magic = "sideman model"
	// Version is the file version Encode writes; Decode reads it and older.
	Version = 1
)

// MaxFileSize bounds a model file Decode reads: 1 GiB. The three corpora
// of docs/model.md make about 110 MB.
const MaxFileSize = 1 << 30

var (
	// ErrNotModel is wrapped when the input does not begin as a model file.
	ErrNotModel = errors.New("not a sideman model file")
	// ErrVersion is wrapped when the file is of a newer version than Version.
	ErrVersion = errors.New("newer model file version")
	// ErrTruncated is wrapped when the file ends early.
	ErrTruncated = errors.New("file ends early")
)

var errTooLarge = fmt.Errorf("%w: more than %d MiB", format.ErrTooLarge, MaxFileSize>>20)

// ParseError is an error in a model file, at the byte Offset (from 0).
type ParseError struct {
	Offset int64
	Err    error
}

func (e *ParseError) Error() string {
	// The errors of Config and ParseViewpoints name the package already.
	return fmt.Sprintf("model: byte %d: %s", e.Offset, strings.TrimPrefix(e.Err.Error(), "model: "))
}

func (e *ParseError) Unwrap() error { return e.Err }

// WriteTo writes the model file to w (Encode).
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	bw := bufio.NewWriterSize(cw, 1<<16)
	e := encoder{w: bw}
	e.w.WriteString(magic)
	e.w.WriteByte(Version)
	cfg := m.cfg
	names := make([]string, len(cfg.Viewpoints))
	for i, v := range cfg.Viewpoints {
		names[i] = v.Name
	}
	e.string(strings.Join(names, ","))
	var flags byte
	if cfg.Unbounded {
		flags |= 1
	}
	if cfg.Exclusion {
		flags |= 2
	}
	e.w.WriteByte(flags)
	e.uvarint(uint64(cfg.Order))
	e.w.WriteByte(byte(cfg.Escape))
	e.float(cfg.Bias)
	e.float(cfg.LTMSTMBias)
	e.ints(cfg.Alphabet)
	pitchs := make([]int, 0, len(m.pitchs))
	for p := range m.pitchs {
		pitchs = append(pitchs, p)
	}
	slices.Sort(pitchs)
	e.ints(pitchs)
	e.uvarint(uint64(m.Pieces))
	e.uvarint(uint64(m.Notes))
	parts := make([]bytes.Buffer, len(m.ltm))
	eachViewpoint(len(m.ltm), func(i int) {
		pw := bufio.NewWriterSize(&parts[i], 1<<16)
		(&encoder{w: pw}).counts(m.ltm[i])
		pw.Flush()
	})
	for i := range parts {
		e.uvarint(uint64(parts[i].Len()))
		bw.Write(parts[i].Bytes())
		parts[i] = bytes.Buffer{}
	}
	err := bw.Flush()
	return cw.n, err
}

// Encode writes m's model file to w.
func Encode(w io.Writer, m *Model) error {
	_, err := m.WriteTo(w)
	return err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

type encoder struct {
	w   *bufio.Writer
	buf [binary.MaxVarintLen64]byte
}

func (e *encoder) uvarint(x uint64) { e.w.Write(binary.AppendUvarint(e.buf[:0], x)) }
func (e *encoder) varint(x int64)   { e.w.Write(binary.AppendVarint(e.buf[:0], x)) }
func (e *encoder) float(x float64) {
	e.w.Write(binary.LittleEndian.AppendUint64(e.buf[:0], math.Float64bits(x)))
}

func (e *encoder) string(s string) {
	e.uvarint(uint64(len(s)))
	e.w.WriteString(s)
}

func (e *encoder) ints(xs []int) {
	e.uvarint(uint64(len(xs)))
	for _, x := range xs {
		e.varint(int64(x))
	}
}

func (e *encoder) counts(c *counts) {
	n := len(c.nodes)
	index := map[int64]uint64{}
	for i := 1; i < n; i++ {
		index[c.nodes[i].sym] = 0
	}
	syms := make([]int64, 0, len(index))
	for s := range index {
		syms = append(syms, s)
	}
	slices.Sort(syms)
	e.uvarint(uint64(len(syms)))
	for i, s := range syms {
		index[s] = uint64(i)
		if i == 0 {
			e.varint(s)
		} else {
			e.uvarint(uint64(s - syms[i-1]))
		}
	}
	e.uvarint(uint64(n - 1))
	// The strings in the order they were made, which puts a string's
	// parent and suffix before it: the gap back to its parent (small:
	// mostly the string that ended one note before), its symbol's index
	// and its count. One pass over memory in order, both ways.
	for i := 1; i < n; i++ {
		nd := &c.nodes[i]
		e.uvarint(uint64(int32(i) - nd.parent))
		e.uvarint(index[nd.sym])
		x := uint64(nd.count) << 1
		if nd.start {
			x |= 1
		}
		e.uvarint(x)
	}
}

// Decode reads a model file. Bad input gives a *ParseError, never a panic.
func Decode(r io.Reader) (*Model, error) {
	d := &decoder{r: bufio.NewReaderSize(r, 1<<16)}
	m, err := d.model()
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, &ParseError{Offset: d.at, Err: err}
	}
	return m, nil
}

// DecodeBytes reads a model file held in memory.
func DecodeBytes(data []byte) (*Model, error) {
	return Decode(bytes.NewReader(data))
}

type decoder struct {
	r *bufio.Reader
	// data, when not nil, is what is read instead of r (a viewpoint's
	// counts, held whole), from pos: numbers are read off it in place,
	// which halves the time decoding takes.
	data []byte
	pos  int
	size int64 // the bytes of the viewpoint's counts being read
	off,
	at int64 // the byte read and the start of what is being read
}

func (d *decoder) ReadByte() (byte, error) {
	if d.off >= MaxFileSize {
		return 0, errTooLarge
	}
	b, err := d.r.ReadByte()
	if err == io.EOF {
		return 0, ErrTruncated
	} else if err != nil {
		return 0, err
	}
	d.off++
	return b, nil
}

// uvarint reads a number written as Encode writes it: in as few bytes as
// it takes, so that a file has one reading and one writing.
func (d *decoder) uvarint() (uint64, error) {
	d.at = d.off
	if d.data != nil {
		x, n := binary.Uvarint(d.data[d.pos:])
		return fromData(d, x, n)
	}
	x, err := binary.ReadUvarint(d)
	if err == nil && d.off-d.at != int64(len(binary.AppendUvarint(nil, x))) {
		err = errors.New("number in more bytes than it takes")
	}
	if err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, format.ErrTooLarge) {
		err = errors.New("bad number")
	}
	return x, err
}

// fromData takes a number of n bytes read off d.data, as binary.Uvarint
// or Varint gives them, with the errors of uvarint: its shortest form
// of more than one byte never ends in a zero byte.
func fromData[T uint64 | int64](d *decoder, x T, n int) (uint64, error) {
	switch {
	case n == 0:
		d.off += int64(len(d.data) - d.pos)
		d.pos = len(d.data)
		return 0, ErrTruncated
	case n < 0:
		return 0, errors.New("bad number")
	case n > 1 && d.data[d.pos+n-1] == 0:
		return 0, errors.New("number in more bytes than it takes")
	}
	d.pos += n
	d.off += int64(n)
	return uint64(x), nil
}

// count reads a count up to most.
func (d *decoder) count(what string, most uint64) (int, error) {
	x, err := d.uvarint()
	if err == nil && x > most {
		err = fmt.Errorf("%s %d: more than %d", what, x, most)
	}
	return int(x), err
}

func (d *decoder) varint() (int64, error) {
	d.at = d.off
	if d.data != nil {
		x, n := binary.Varint(d.data[d.pos:])
		u, err := fromData(d, x, n)
		return int64(u), err
	}
	x, err := binary.ReadVarint(d)
	if err == nil && d.off-d.at != int64(len(binary.AppendVarint(nil, x))) {
		err = errors.New("number in more bytes than it takes")
	}
	if err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, format.ErrTooLarge) {
		err = errors.New("bad number")
	}
	return x, err
}

func (d *decoder) bytes(n int) ([]byte, error) {
	d.at = d.off
	b := make([]byte, n)
	for i := range b {
		var err error
		if b[i], err = d.ReadByte(); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// readN appends n bytes of d to data.
func readN(d *decoder, data []byte, n int) ([]byte, error) {
	for len(data) < n {
		chunk := min(n-len(data), 1<<20)
		start := len(data)
		data = slices.Grow(data, chunk)[:start+chunk]
		k, err := io.ReadFull(d.r, data[start:])
		d.off += int64(k)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			d.at = d.off
			return nil, ErrTruncated
		} else if err != nil {
			return nil, err
		}
	}
	return data, nil
}

func (d *decoder) ints(what string) ([]int, error) {
	n, err := d.count(what, 1<<10)
	if err != nil {
		return nil, err
	}
	out := make([]int, n)
	for i := range out {
		x, err := d.varint()
		if err != nil {
			return nil, err
		}
		if x < 0 || x > 127 { // MIDI keys
			return nil, fmt.Errorf("%s: %d is no MIDI key", what, x)
		}
		out[i] = int(x)
	}
	return out, nil
}

func (d *decoder) model() (*Model, error) {
	head, err := d.bytes(len(magic) + 1)
	if err != nil || string(head[:len(magic)]) != magic {
		d.at = 0
		return nil, ErrNotModel
	}
	if v := head[len(magic)]; v > Version {
		d.at = int64(len(magic))
		return nil, fmt.Errorf("%w: version %d, and this sideman reads up to %d: update sideman", ErrVersion, v, Version)
	} else if v == 0 {
		d.at = int64(len(magic))
		return nil, errors.New("version 0")
	}
	var cfg Config
	n, err := d.count("viewpoint list of", 1<<12)
	if err != nil {
		return nil, err
	}
	names, err := d.bytes(n)
	if err != nil {
		return nil, err
	}
	if cfg.Viewpoints, err = ParseViewpoints(string(names)); err != nil {
		return nil, err
	}
	b, err := d.bytes(1)
	if err != nil {
		return nil, err
	}
	if b[0]&^3 != 0 {
		return nil, fmt.Errorf("flags %#x", b[0])
	}
	cfg.Unbounded, cfg.Exclusion = b[0]&1 != 0, b[0]&2 != 0
	if cfg.Order, err = d.count("order", MaxDepth); err != nil {
		return nil, err
	}
	if b, err = d.bytes(17); err != nil {
		return nil, err
	}
	d.at -= 17
	if cfg.Escape, err = ParseEscape(string(b[:1])); err != nil || byte(cfg.Escape) != b[0] {
		return nil, fmt.Errorf("escape method %q", b[0])
	}
	cfg.Bias = math.Float64frombits(binary.LittleEndian.Uint64(b[1:]))
	cfg.LTMSTMBias = math.Float64frombits(binary.LittleEndian.Uint64(b[9:]))
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if cfg.Alphabet, err = d.ints("alphabet"); err != nil {
		return nil, err
	}
	if len(cfg.Alphabet) == 0 {
		cfg.Alphabet = nil
	}
	m, err := New(cfg)
	if err != nil {
		return nil, err
	}
	pitchs, err := d.ints("pitches")
	if err != nil {
		return nil, err
	}
	for i, p := range pitchs {
		if i > 0 && p <= pitchs[i-1] {
			return nil, errors.New("pitches out of order")
		}
		m.pitchs[p] = true
	}
	if m.Pieces, err = d.count("pieces", math.MaxInt32); err != nil {
		return nil, err
	}
	if m.Notes, err = d.count("notes", math.MaxInt32); err != nil {
		return nil, err
	}
	// Each viewpoint's bytes are read, then decoded in parallel.
	parts := make([]*decoder, len(m.ltm))
	for i := range parts {
		n, err := d.count("viewpoint of", MaxFileSize)
		if err != nil {
			return nil, err
		}
		at := d.off
		if at+int64(n) > MaxFileSize {
			return nil, errTooLarge
		}
		data := make([]byte, 0, min(n, 1<<24)) // grown as read: a file may announce more than it holds
		if data, err = readN(d, data, n); err != nil {
			return nil, err
		}
		parts[i] = &decoder{data: data, size: int64(n), off: at, at: at}
	}
	errs := make([]error, len(parts))
	eachViewpoint(len(parts), func(i int) {
		errs[i] = parts[i].counts(m.ltm[i])
		if errs[i] == nil {
			parts[i].at = parts[i].off
			if parts[i].pos < len(parts[i].data) {
				errs[i] = errors.New("bytes after the viewpoint's counts")
			}
		}
	})
	for i, err := range errs {
		if err != nil {
			return nil, &ParseError{Offset: parts[i].at, Err: err}
		}
	}
	d.at = d.off
	if _, err := d.r.ReadByte(); err == nil {
		return nil, errors.New("bytes after the model")
	}
	return m, nil
}

func (d *decoder) counts(c *counts) error {
	n, err := d.count("symbols", MaxFileSize)
	if err != nil {
		return err
	}
	syms := make([]int64, 0, min(n, 1<<16))
	for i := range n {
		var s int64
		if i == 0 {
			s, err = d.varint()
		} else {
			var gap uint64
			gap, err = d.uvarint()
			s = syms[i-1] + int64(gap)
			if err == nil && (gap == 0 || s < syms[i-1]) {
				err = errors.New("symbols out of order")
			}
		}
		if err != nil {
			return err
		}
		syms = append(syms, s)
	}
	nodes, err := d.count("strings", MaxFileSize)
	if err != nil {
		return err
	}
	c.reserve(min(nodes, int(d.size/3)+1)) // each takes 3 bytes or more
	used := make([]bool, len(syms))
	depth := []uint8{0}
	for i := 1; i <= nodes; i++ {
		gap, err := d.uvarint()
		if err != nil {
			return err
		}
		if gap == 0 || gap > uint64(i) {
			return fmt.Errorf("string %d: parent %d back", i, gap)
		}
		parent := int32(uint64(i) - gap)
		if int(depth[parent]) >= c.depth {
			return fmt.Errorf("strings longer than the model's %d symbols", c.depth)
		}
		s, err := d.uvarint()
		if err != nil {
			return err
		}
		if s >= uint64(len(syms)) {
			return fmt.Errorf("symbol %d of %d", s, len(syms))
		}
		x, err := d.uvarint()
		if err != nil {
			return err
		}
		if x>>1 == 0 || x>>1 > math.MaxUint32 {
			return fmt.Errorf("count %d", x>>1)
		}
		used[s] = true
		sym, suffix := syms[s], int32(0)
		if c.child(parent, sym) >= 0 {
			return errors.New("a string twice")
		}
		if parent != 0 {
			if suffix = c.child(c.nodes[parent].suffix, sym); suffix < 0 {
				return errors.New("a string whose suffix was never seen")
			}
		}
		child := c.newChild(parent, sym, suffix)
		c.add(child, uint32(x>>1))
		if x&1 != 0 {
			c.markStart(child)
		}
		depth = append(depth, depth[parent]+1)
	}
	if len(c.nodes)-1 != nodes {
		d.at = d.off
		return fmt.Errorf("%d strings, %d announced", len(c.nodes)-1, nodes)
	}
	if i := slices.Index(used, false); i >= 0 {
		return fmt.Errorf("symbol %d of %d in no string", i, len(syms))
	}
	return nil
}
