package match

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"sideman/internal/quote"
)

// Encode writes f as a match file: the info lines first, then the other
// lines in order. Numbers in beats are written with four decimals as the
// corpora do, or in full where four decimals would change them, so that
// Decode gives f back.
func Encode(w io.Writer, f *File) error {
	bw := bufio.NewWriter(w)
	for _, in := range f.Info {
		if strings.Contains(in.Key, ",") {
			return fmt.Errorf("match: info key %s has a comma", quote.Input(in.Key))
		}
		fmt.Fprintf(bw, "info(%s,%s).\n", in.Key, in.Value)
	}
	for i, l := range f.Lines {
		s, err := encodeLine(l)
		if err != nil {
			return fmt.Errorf("match: line %d of %d: %w", i+1, len(f.Lines), err)
		}
		bw.WriteString(s)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

func encodeLine(l Line) (string, error) {
	need := func(ok bool, what string) error {
		if !ok {
			return fmt.Errorf("%v line without %s", l.Kind, what)
		}
		return nil
	}
	var left, right string
	switch l.Kind {
	case Raw:
		return l.Text, nil
	case Pedal:
		if err := need(l.PedalEvent != nil, "pedal event"); err != nil {
			return "", err
		}
		p := l.PedalEvent
		return fmt.Sprintf("%s(%d,%d).", p.Name, p.Time, p.Value), nil
	case Property:
		if err := need(l.Prop != nil, "property"); err != nil {
			return "", err
		}
		p := l.Prop
		return fmt.Sprintf("scoreprop(%s,%s,%d:%d,%s,%s).", p.Attribute, p.Value, p.Bar, p.Beat,
			p.Offset, encodeFloat(p.Onset)), nil
	case Matched, Deleted, TrailingScore:
		if err := need(l.Score != nil, "score note"); err != nil {
			return "", err
		}
		left = encodeScoreNote(l.Score)
	case Inserted:
		left = "insertion"
	case HammerBounce:
		left = "hammer_bounce"
	case TrailingPlayed:
		left = "trailing_played_note"
	case Trill, Ornament:
		left = l.Kind.String() + "(" + l.Anchor + ")"
	default:
		return "", fmt.Errorf("unknown kind %v", l.Kind)
	}
	switch l.Kind {
	case Deleted:
		right = "deletion"
	case TrailingScore:
		right = "trailing_score_note"
	default:
		if err := need(l.Performed != nil, "performed note"); err != nil {
			return "", err
		}
		right = encodePerformed(l.Performed)
	}
	return left + "-" + right + ".", nil
}

var alterNames = map[int]string{0: "n", 1: "#", -1: "b", 2: "##", -2: "bb"}

func encodeScoreNote(n *ScoreNote) string {
	return fmt.Sprintf("snote(%s,[%s,%s],%d,%d:%d,%s,%s,%s,%s,[%s])", n.ID, n.Step, alterNames[n.Alter],
		n.Octave, n.Bar, n.Beat, n.Offset, n.Duration, encodeFloat(n.Onset), encodeFloat(n.OffsetBeats),
		strings.Join(n.Attributes, ","))
}

func encodePerformed(n *PerformedNote) string {
	if n.Spelled {
		return fmt.Sprintf("note(%s,[%s,%s],%d,%d,%d,%d,%d)", n.ID, n.Step, alterNames[n.Alter], n.Octave,
			n.Onset, n.Offset, n.AdjOffset, n.Velocity)
	}
	return fmt.Sprintf("note(%s,%d,%d,%d,%d,%d,%d)", n.ID, n.Pitch, n.Onset, n.Offset, n.Velocity,
		n.Channel, n.Track)
}

// encodeFloat writes four decimals, as the corpora do, unless that would
// change the number.
func encodeFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', 4, 64)
	if back, err := strconv.ParseFloat(s, 64); err == nil && back == v {
		return s
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
