package musicxml

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"sideman/format"
)

// ErrNotMXL is wrapped (in a *ParseError) by DecodeMXL for input that is not
// a zip archive holding a MusicXML score.
var ErrNotMXL = errors.New("not a compressed MusicXML (.mxl) archive")

// isZip reports whether data starts like a zip archive.
func isZip(data []byte) bool {
	return len(data) >= 4 && data[0] == 'P' && data[1] == 'K' && data[2] == 3 && data[3] == 4
}

// unzipScore returns the score inside a compressed MusicXML archive: the
// first rootfile that META-INF/container.xml names, or, when the container
// cannot be read (OpenEWLD has many whose single-quoted path contains an
// apostrophe) or names no member, the first .musicxml or .xml member
// outside META-INF. Members are read through a limit, so an archive that
// inflates beyond format.MaxSize is refused however small it is.
func unzipScore(data []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &ParseError{Err: errors.Join(ErrNotMXL, err)}
	}
	files := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		files[f.Name] = f
	}
	var name string
	if f := files["META-INF/container.xml"]; f != nil {
		if b, err := readMember(f); err == nil {
			name = rootfile(b)
		} else if errors.Is(err, format.ErrTooLarge) {
			return nil, &ParseError{Err: err}
		}
	}
	f := files[name]
	if f == nil {
		for _, g := range zr.File {
			low := strings.ToLower(g.Name)
			if strings.HasPrefix(g.Name, "META-INF/") || strings.HasPrefix(path.Base(g.Name), "._") {
				continue
			}
			if strings.HasSuffix(low, ".musicxml") || strings.HasSuffix(low, ".xml") {
				f = g
				break
			}
		}
	}
	if f == nil {
		return nil, &ParseError{Err: ErrNotMXL}
	}
	b, err := readMember(f)
	if err != nil {
		return nil, &ParseError{Err: err}
	}
	return b, nil
}

// errMemberSize is the error for an archive member over format.MaxSize.
var errMemberSize = fmt.Errorf("%w: a member inflates to more than %d MiB", format.ErrTooLarge, format.MaxSize>>20)

// readMember inflates one archive member, at most format.MaxSize bytes of
// it.
func readMember(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > format.MaxSize {
		return nil, errMemberSize
	}
	rc, err := f.Open()
	if err != nil {
		return nil, errors.Join(ErrNotMXL, err)
	}
	defer rc.Close()
	b, err := readLimited(rc, int(f.UncompressedSize64))
	if err != nil && !errors.Is(err, format.ErrTooLarge) {
		err = errors.Join(ErrNotMXL, err)
	}
	return b, err
}

// readLimited reads r to its end, refusing more than format.MaxSize
// bytes. hint is the expected size, for the first allocation.
func readLimited(r io.Reader, hint int) ([]byte, error) {
	if hint <= 0 || hint > format.MaxSize {
		hint = 64 << 10
	}
	// ReadFrom grows the buffer when less than MinRead is free.
	buf := bytes.NewBuffer(make([]byte, 0, hint+bytes.MinRead))
	n, err := buf.ReadFrom(io.LimitReader(r, format.MaxSize+1))
	if err != nil {
		return nil, err
	}
	if n > format.MaxSize {
		return nil, errMemberSize
	}
	return buf.Bytes(), nil
}

// rootfile is the full-path of the first rootfile in a container.xml whose
// media type is MusicXML (or not given). It reads the attribute loosely:
// everything between full-path=' and the last quote of the same kind
// before the end of the tag, which gets the path right even when it holds
// the quote character.
func rootfile(container []byte) string {
	for rest := container; ; {
		i := bytes.Index(rest, []byte("<rootfile"))
		if i < 0 {
			return ""
		}
		rest = rest[i+len("<rootfile"):]
		end := bytes.Index(rest, []byte("/>"))
		if e2 := bytes.IndexByte(rest, '>'); end < 0 || (e2 >= 0 && e2 < end) {
			end = e2
		}
		if end < 0 {
			return ""
		}
		tag := rest[:end]
		if mt := looseAttr(tag, "media-type"); mt != "" && !strings.Contains(mt, "musicxml") && !strings.Contains(mt, "xml") {
			continue
		}
		if p := looseAttr(tag, "full-path"); p != "" {
			return string(decodeChars(nil, []byte(p)))
		}
	}
}

// looseAttr finds name=<quote>value<quote> in a tag, taking the value to
// the last matching quote before the next attribute or the end.
func looseAttr(tag []byte, name string) string {
	i := bytes.Index(tag, []byte(name+"="))
	if i < 0 {
		return ""
	}
	v := tag[i+len(name)+1:]
	if len(v) == 0 || (v[0] != '"' && v[0] != '\'') {
		return ""
	}
	q := v[0]
	v = v[1:]
	// The value ends at the quote followed by a space and another
	// attribute name, or at the last quote.
	end := -1
	for j := 0; j < len(v); j++ {
		if v[j] != q {
			continue
		}
		end = j
		k := j + 1
		if k < len(v) && (v[k] == ' ' || v[k] == '\t' || v[k] == '\n' || v[k] == '\r') {
			rest := bytes.TrimLeft(v[k:], " \t\r\n")
			if eq := bytes.IndexByte(rest, '='); eq > 0 && bytes.IndexAny(rest[:eq], " '\"") < 0 {
				break
			}
		}
	}
	if end < 0 {
		return ""
	}
	return string(v[:end])
}
