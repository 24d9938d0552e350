package music

import (
	"fmt"
	"os"
	"sort"
	"testing"
)

func TestZZDump(t *testing.T) {
	for _, cc := range loadCorpusChords(t) {
		q := map[string]int{}
		for s, u := range cc.Uses {
			_, n, err := ParseSpelling(s)
			if err != nil {
				q["ERR "+s] += u
				continue
			}
			q[s[n:]] += u
		}
		var ks []string
		for k := range q {
			ks = append(ks, k)
		}
		sort.Slice(ks, func(i, j int) bool { return q[ks[i]] > q[ks[j]] })
		fmt.Fprintf(os.Stderr, "== %s %d qualities\n", cc.Name, len(ks))
		for _, k := range ks {
			fmt.Fprintf(os.Stderr, "%s:%d ", k, q[k])
		}
		fmt.Fprintln(os.Stderr)
	}
}
