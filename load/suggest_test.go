package load

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"sideman/internal/shareddata"
	"sideman/music"
)

func TestTuneSuggestsTitle(t *testing.T) {
	d := &Document{Name: "book.json"}
	for _, title := range []string{"All The Things You Are", "Autumn Leaves", "Autumn In New York", "Blue Bossa", "Blue Monk"} {
		d.Charts = append(d.Charts, &music.Chart{Title: title})
	}
	for _, tc := range []struct{ sel, want string }{
		{"Autum Leaves", `no tune titled "Autum Leaves"; did you mean "Autumn Leaves"?`},
		{"blue bosas", `did you mean "Blue Bossa"?`},
		{"Blue Monck", `did you mean "Blue Monk"?`},
		// A word of titles lists the titles holding it, not a guess.
		{"Autumn", `candidates: 1 "Autumn Leaves", 2 "Autumn In New York"`},
		{"Giant Steps", `candidates: 0 "All The Things You Are"`},
	} {
		_, err := d.Tune(tc.sel)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Tune(%q): %v; want %s", tc.sel, err, tc.want)
		}
	}
}

// A title typed with one slip (a letter left out, or two swapped) finds
// the tune meant, across the iReal jazz playlist and JazzStandards.
func TestTuneSuggestsCorpusTitles(t *testing.T) {
	for _, path := range []string{
		filepath.Join(shareddata.Dir(t, "ireal-playlists"), "jazz1460.txt"),
		filepath.Join(shareddata.Dir(t, "jazz-standards"), "JazzStandards.json"),
	} {
		d, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		titles := map[string]bool{}
		for _, c := range d.Charts {
			titles[strings.ToLower(c.Title)] = true
		}
		tried, found, first := 0, 0, 0
		for _, c := range d.Charts {
			r := []rune(c.Title)
			if len(r) < 6 {
				continue
			}
			mid := len(r) / 2
			for _, typo := range []string{
				string(r[:mid]) + string(r[mid+1:]),                                     // a letter left out
				string(r[:mid]) + string(r[mid+1]) + string(r[mid]) + string(r[mid+2:]), // two swapped
			} {
				if titles[strings.ToLower(typo)] || r[mid] == r[mid+1] {
					continue // the slip is another title, or changes nothing
				}
				tried++
				_, err := d.Tune(typo)
				msg := err.Error()
				if i := strings.Index(msg, "did you mean "); i >= 0 {
					q := msg[i:]
					if strings.Contains(q, `"`+c.Title+`"`) {
						found++
						if strings.HasPrefix(q, `did you mean "`+c.Title+`"`) {
							first++
						}
					}
				}
			}
		}
		t.Logf("%s: %d slips, the meant title suggested for %d (%.1f%%), first for %d", filepath.Base(path), tried, found, 100*float64(found)/float64(tried), first)
		if tried < 1000 || float64(found) < 0.97*float64(tried) {
			t.Errorf("%s: the meant title suggested for %d of %d slips; want 97%%", filepath.Base(path), found, tried)
		}
	}
}

// A title asked for with its article first finds the tune iReal Pro files
// with the article last, and the other way round.
func TestTuneArticle(t *testing.T) {
	d := &Document{Name: "x", Charts: []*music.Chart{{Title: "Girl From Ipanema, The"}, {Title: "The Days of Wine and Roses"}, {Title: "A Night in Tunisia"}, {Title: "Night"}}}
	for sel, want := range map[string]string{
		"The Girl From Ipanema":       "Girl From Ipanema, The",
		"girl from  ipanema":          "Girl From Ipanema, The",
		"Days Of Wine And Roses":      "The Days of Wine and Roses",
		"Days of Wine and Roses, The": "The Days of Wine and Roses",
		"Night":                       "Night",
		"Night In Tunisia":            "A Night in Tunisia",
	} {
		c, err := d.Tune(sel)
		if err != nil || c.Title != want {
			t.Errorf("Tune(%q) = %v, %v; want %q", sel, c, err, want)
		}
	}
}
