package ireal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"sideman/format"
	"sideman/internal/quote"
	"sideman/music"
)

// Playlist is an iReal Pro playlist: a named list of charts. A link to a
// single song has no name.
type Playlist struct {
	Name   string
	Charts []*music.Chart
}

// Limits on what Decode accepts besides format.MaxSize bytes, so that
// hostile input costs bounded time and memory. Real playlists hold a few
// thousand songs of a few hundred bars.
const (
	MaxSongs = 1 << 16 // songs in one playlist
	MaxBars  = 1 << 12 // written bars in one chart
	MaxCells = 1 << 8  // grid cells in one bar (iReal Pro's rows hold 16)
)

// Errors wrapped by ParseError, for errors.Is; input past a limit wraps
// format.ErrTooLarge.
var (
	ErrNoLink = errors.New("no irealb:// or irealbook:// link")
	ErrField  = errors.New("bad song field")
	ErrSymbol = errors.New("unknown symbol")
	ErrChord  = errors.New("bad chord")
)

// A ParseError reports where a link could not be read: which song, and
// which symbol of its chart text.
type ParseError struct {
	Song  int    // 1-based position of the song in the playlist; 0 for the link as a whole
	Title string // the song's title, when known
	Token int    // 1-based position of the symbol in the song's chart text; 0 when not in it
	Err   error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("ireal: ")
	if e.Song > 0 {
		fmt.Fprintf(&b, "song %d", e.Song)
		if e.Title != "" {
			fmt.Fprintf(&b, " %q", e.Title)
		}
		b.WriteString(": ")
	}
	if e.Token > 0 {
		fmt.Fprintf(&b, "token %d: ", e.Token)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// Decode reads an iReal Pro link (irealb://, or the older irealbook://) to
// a playlist or a single song, from at most format.MaxSize bytes. The link
// may stand alone or sit in other text, such as the HTML page iReal Pro
// exports.
//
// Songs that cannot be read are left out: Decode then returns the playlist
// of the others together with an error that joins one *ParseError per
// song left out. An error about the link as a whole returns a nil playlist.
func Decode(r io.Reader) (*Playlist, error) {
	data, err := format.ReadAll(r)
	if err != nil {
		return nil, &ParseError{Err: err}
	}
	return DecodeBytes(data)
}

// DecodeBytes is Decode on input in memory.
func DecodeBytes(data []byte) (*Playlist, error) {
	if err := format.CheckSize(len(data)); err != nil {
		return nil, &ParseError{Err: err}
	}
	link, old, err := findLink(data)
	if err != nil {
		return nil, &ParseError{Err: err}
	}
	text, err := url.PathUnescape(link)
	if err != nil {
		return nil, &ParseError{Err: fmt.Errorf("%w: %v", ErrField, err)}
	}
	parts := strings.Split(text, "===")
	p := &Playlist{}
	if len(parts) > 1 {
		p.Name = parts[len(parts)-1]
		parts = parts[:len(parts)-1]
	}
	if len(parts) > MaxSongs {
		return nil, &ParseError{Err: fmt.Errorf("%w: more than %d songs", format.ErrTooLarge, MaxSongs)}
	}
	var errs []error
	for i, song := range parts {
		if strings.TrimSpace(song) == "" {
			continue // an empty playlist: "irealb://===Name"
		}
		c, err := decodeSong(song, old)
		if err != nil {
			se := &ParseError{Song: i + 1, Title: c.Title, Err: err}
			var te *tokenError
			if errors.As(err, &te) {
				se.Token, se.Err = te.index, te.err
			}
			errs = append(errs, se)
			continue
		}
		p.Charts = append(p.Charts, c)
	}
	return p, errors.Join(errs...)
}

// findLink returns the link text after the scheme and whether it is the
// older irealbook:// form. A link alone in the input runs to its end; one
// inside other text ends at a quote, an angle bracket or white space.
func findLink(data []byte) (link string, old bool, err error) {
	trimmed := bytes.TrimSpace(data)
	for _, scheme := range []string{"irealb://", "irealbook://"} {
		if bytes.HasPrefix(trimmed, []byte(scheme)) {
			return string(trimmed[len(scheme):]), scheme == "irealbook://", nil
		}
	}
	i := bytes.Index(data, []byte("irealb"))
	for ; i >= 0; i = nextIndex(data, i) {
		rest := data[i:]
		var scheme string
		switch {
		case bytes.HasPrefix(rest, []byte("irealb://")):
			scheme = "irealb://"
		case bytes.HasPrefix(rest, []byte("irealbook://")):
			scheme = "irealbook://"
		default:
			continue
		}
		rest = rest[len(scheme):]
		end := bytes.IndexAny(rest, "\"'<> \t\r\n")
		if end < 0 {
			end = len(rest)
		}
		return string(rest[:end]), scheme == "irealbook://", nil
	}
	return "", false, ErrNoLink
}

func nextIndex(data []byte, i int) int {
	j := bytes.Index(data[i+1:], []byte("irealb"))
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// Fields of a song in an irealb:// link, after ireal-musicxml's parser:
// title, composer, (unused), style, key, transpose, music, groove, tempo,
// repeats. The older irealbook:// links have title, composer, style, key,
// (unused) and unscrambled music.
const (
	fTitle = iota
	fComposer
	fUnused
	fStyle
	fKey
	fTranspose
	fMusic
	fGroove
	fTempo
	fRepeats
	nFields
)

func decodeSong(song string, old bool) (*music.Chart, error) {
	f := strings.Split(song, "=")
	c := &music.Chart{}
	if len(f) > 0 {
		c.Title = strings.TrimSpace(f[0])
	}
	var key, text string
	if old {
		if len(f) < 6 {
			return c, fmt.Errorf("%w: %d fields, want 6", ErrField, len(f))
		}
		c.Composer, c.Style, key, text = strings.TrimSpace(f[1]), strings.TrimSpace(f[2]), f[3], f[5]
	} else {
		if len(f) <= fMusic {
			return c, fmt.Errorf("%w: %d fields, want at least %d", ErrField, len(f), fMusic+1)
		}
		c.Composer, c.Style, key = strings.TrimSpace(f[fComposer]), strings.TrimSpace(f[fStyle]), f[fKey]
		if !strings.HasPrefix(f[fMusic], musicPrefix) {
			return c, fmt.Errorf("%w: chart text does not start with %s", ErrField, quote.Input(musicPrefix))
		}
		text = scramble(f[fMusic][len(musicPrefix):])
		if len(f) > fTempo {
			// A tempo that is not a number is iReal Pro's "use the style's tempo".
			if t, err := strconv.Atoi(strings.TrimSpace(f[fTempo])); err == nil && t > 0 && t < 1000 {
				c.Tempo = t
			}
		}
	}
	if key = strings.TrimSpace(key); key != "" {
		k, err := music.ParseKey(key)
		if err != nil {
			return c, fmt.Errorf("%w: key %s", ErrField, quote.Input(key))
		}
		c.Key = &k
	}
	if err := readChart(c, expand(text)); err != nil {
		return c, err
	}
	return c, nil
}
