//go:build linux

package load

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"sideman/internal/tarfs"
)

// names lists the walk's members, a warning as "!name".
func names(t *testing.T, seq func(func(*Document, error) bool)) ([]string, error) {
	t.Helper()
	var got []string
	for d, err := range seq {
		if err != nil {
			return got, err
		}
		if d.Format == "" {
			if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Error(), d.Name) {
				t.Errorf("%s: warnings %v: want one naming it", d.Name, d.Warnings)
			}
			got = append(got, "!"+d.Name)
			continue
		}
		got = append(got, d.Name)
	}
	return got, nil
}

const chartA = "title: A\n| C | G7 | C |\n"

// A folder walk reads files in name order, skips a FIFO with a warning,
// and walks the archives it holds where they come.
func TestMembersOfAFolder(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b.chart", []byte(chartA))
	write("sub/c.chart", []byte(chartA))
	write("notes.txt", []byte("not music"))
	write("bad.abc", []byte("X:1\nT:Bad\nK:Q#\n"))
	write("in.tar.gz", tarGz(t, map[string][]byte{"z.chart": []byte(chartA), "y.chart": []byte(chartA)}, "z.chart", "y.chart"))
	good := tarGz(t, map[string][]byte{"a.chart": []byte(chartA)}, "a.chart")
	broken := append([]byte(nil), good...)
	broken[len(broken)-8] ^= 1
	write("broken.tgz", broken)
	if err := syscall.Mkfifo(filepath.Join(dir, "live.mid"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := names(t, Collection(dir))
	j := func(n string) string { return filepath.Join(dir, n) }
	want := []string{
		j("b.chart"), "!" + j("bad.abc"),
		// The broken archive's member, then the fault it ends with.
		j("broken.tgz") + ":a.chart", "!" + j("broken.tgz"),
		// An archive's members in archive order.
		j("in.tar.gz") + ":z.chart", j("in.tar.gz") + ":y.chart",
		"!" + j("live.mid"), j("sub/c.chart"),
	}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("walk:\n%v, %v\nwant\n%v", got, err, want)
	}
	// Open keeps the readable members in name order, the rest as
	// warnings.
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var members []string
	for _, m := range d.Members {
		members = append(members, m.Name)
	}
	if want := []string{j("b.chart"), j("broken.tgz") + ":a.chart", j("in.tar.gz") + ":y.chart", j("in.tar.gz") + ":z.chart", j("sub/c.chart")}; !slices.Equal(members, want) {
		t.Errorf("Open: members %v, want %v", members, want)
	}
	if len(d.Charts) != 5 || len(d.Warnings) != 3 {
		t.Errorf("Open: %d charts, %d warnings %v", len(d.Charts), len(d.Warnings), d.Warnings)
	}
	// A loop that stops early stops the walk.
	n := 0
	for range Collection(dir) {
		n++
		if n == 2 {
			break
		}
	}
}

// Members takes any fs.FS; an archive read through tarfs is walked in
// archive order, and a fault of it ends the walk.
func TestMembersOfAnFS(t *testing.T) {
	m := fstest.MapFS{"x/a.chart": {Data: []byte(chartA)}, "b.abc": {Data: []byte("X:1\nT:B\nK:G\nGABc|\n")}, "c.txt": {Data: []byte("no")}}
	got, err := names(t, Members(m, "tunes"))
	if err != nil || !slices.Equal(got, []string{"tunes/b.abc", "tunes/x/a.chart"}) {
		t.Errorf("MapFS: %v, %v", got, err)
	}
	data := tarGz(t, map[string][]byte{"z.chart": []byte(chartA), "y.mid": []byte("MThd broken")}, "z.chart", "y.mid")
	data[len(data)-8] ^= 1
	a, err := tarfs.New("t.tgz", strings.NewReader(string(data)), int64(len(data)), tarfs.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	got, err = names(t, Members(a, "t.tgz"))
	var ie *InputError
	if !slices.Equal(got, []string{"t.tgz:z.chart", "!t.tgz:y.mid"}) || !errors.As(err, &ie) || err.Error() != "t.tgz: gzip: invalid checksum" {
		t.Errorf("archive: %v, then %v", got, err)
	}
}

// Members holds one member at a time: an archive whose members decode to
// more than Open holds streams in the memory of a few of them, and so
// does a folder holding it.
func TestMembersMemoryIsBounded(t *testing.T) {
	if os.Getenv("SIDEMAN_MEMBERS_CHILD") != "" {
		t.Skip("run by the parent")
	}
	dir := t.TempDir()
	member := repeated(1400 << 10) // 233,000 notes, about 54 MB decoded
	files := map[string][]byte{}
	var order []string
	const members = 64
	for i := range members {
		name := fmt.Sprintf("m%02d.mid", i)
		files[name], order = member, append(order, name)
	}
	os.Mkdir(filepath.Join(dir, "folder"), 0o755)
	bomb := filepath.Join(dir, "folder", "bomb.tar.gz")
	if err := os.WriteFile(bomb, tarGz(t, files, order...), 0o644); err != nil {
		t.Fatal(err)
	}
	single := filepath.Join(dir, "m.mid")
	if err := os.WriteFile(single, member, 0o644); err != nil {
		t.Fatal(err)
	}
	one, n1 := streamRSS(t, single)
	archive, n2 := streamRSS(t, bomb)
	folder, n3 := streamRSS(t, filepath.Join(dir, "folder"))
	t.Logf("one member %d MB; %d members streamed from the archive %d MB (%.1f times), from a folder holding it %d MB (%.1f times)",
		one>>20, n2, archive>>20, float64(archive)/float64(one), folder>>20, float64(folder)/float64(one))
	if n1 != 1 || n2 != members || n3 != members {
		t.Fatalf("read %d, %d and %d members", n1, n2, n3)
	}
	// Go's collector lets the heap grow to twice what is live before it
	// runs (a member decoding while the last one is garbage): about 2.5
	// times one member on a quiet machine, up to 4 when other processes
	// hold the cores and the collector lags the decoder. Holding the
	// members would be 64 times: 8 is what streaming can reach and
	// holding cannot.
	if archive > 8*one || folder > 8*one {
		t.Errorf("streaming peaks at %d and %d MB, one member at %d MB: want at most 8 times (64 members held would be 64)", archive>>20, folder>>20, one>>20)
	}
}

// streamRSS walks the collection (or file) at name in a child process
// and returns its peak memory and the members it read.
func streamRSS(t *testing.T, name string) (int64, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildMembers$")
	cmd.Env = append(os.Environ(), "SIDEMAN_MEMBERS_CHILD="+name)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var kb int64
	var n int
	_, rest, ok := strings.Cut(string(out), "VmHWM:")
	if _, err := fmt.Sscanf(rest, "%d kB %d", &kb, &n); !ok || err != nil {
		t.Fatalf("child: %v in\n%s", err, out)
	}
	return kb << 10, n
}

// TestChildMembers is streamRSS's child.
func TestChildMembers(t *testing.T) {
	name := os.Getenv("SIDEMAN_MEMBERS_CHILD")
	if name == "" {
		t.Skip("the child process of streamRSS")
	}
	n := 0
	if IsCollection(name) {
		for d, err := range Collection(name) {
			if err != nil {
				t.Fatal(err)
			}
			if d.Piece != nil {
				n++
			}
		}
	} else if _, err := Open(name); err == nil {
		n = 1
	}
	status, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			fmt.Println(l, n)
		}
	}
}
