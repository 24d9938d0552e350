// Package pgtest gives tests a PostgreSQL database of their own: the
// first call starts a server from Debian's postgresql package in a
// temporary folder (initdb, then postgres listening only on a Unix
// socket in that folder: no port, no system service, no password), and
// each call makes a new, empty database on it. Main stops the server
// and removes the folder when the tests end.
//
// Run as root, as CI runs, the server runs as the postgres user the
// Debian package makes (PostgreSQL refuses to run as root); the folder
// is made over to that user. Without PostgreSQL installed the tests
// that need it skip, saying why, and the skip is written to the
// project's skip log ($SIDEMAN_SKIP_LOG, counted by
// scripts/test-summary); under SIDEMAN_REQUIRE_DATA=1 they fail.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"sideman/internal/shareddata"
)

// EnvBin names the environment variable that, set, is the folder of
// PostgreSQL's programs (initdb, postgres) to use instead of the newest
// under /usr/lib/postgresql.
const EnvBin = "SIDEMAN_PG_BIN"

// Source says where PostgreSQL comes from, for the skip message.
const Source = "Debian package postgresql (scripts/install-deps.sh)"

type server struct {
	dir  string // the temporary folder: data/, the socket, log
	cmd  *exec.Cmd
	done chan error
	n    int
}

var (
	mu      sync.Mutex
	started bool
	srv     *server
	srvErr  error
	missing error
)

// URL is a postgres:// URL of a new, empty database, on the server this
// test binary starts once. It skips the test (or fails it, under
// SIDEMAN_REQUIRE_DATA=1) when PostgreSQL is not installed, and fails it
// when the server does not start.
func URL(tb testing.TB) string {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	if !started {
		started = true
		bin, err := binDir()
		if err != nil {
			missing = err
		} else {
			srv, srvErr = start(bin)
		}
	}
	if missing != nil {
		skip(tb, missing)
		return ""
	}
	if srvErr != nil {
		tb.Fatalf("pgtest: %v", srvErr)
	}
	srv.n++
	name := fmt.Sprintf("t%d", srv.n)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, srv.url("postgres"))
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	return srv.url(name)
}

// Main runs the tests and then stops the server, if they started one:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	if err := Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// Stop stops the server, if one was started, and removes its folder.
func Stop() error {
	mu.Lock()
	defer mu.Unlock()
	if srv == nil {
		return nil
	}
	s := srv
	srv, srvErr = nil, errors.New("stopped")
	return s.stop()
}

func (s *server) url(db string) string {
	return "postgres:///" + db + "?host=" + s.dir + "&user=sideman&sslmode=disable"
}

// binDir is the folder holding initdb and postgres.
func binDir() (string, error) {
	var dirs []string
	if d := os.Getenv(EnvBin); d != "" {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "postgres")) {
			return d, nil
		}
		return "", fmt.Errorf("PostgreSQL is not in %s=%s (no initdb and postgres there)", EnvBin, d)
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			dirs = append(dirs, filepath.Dir(r))
		}
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	// The newest version first: 17 before 15 (numerically, 9.6 last).
	slices.SortFunc(found, func(a, b string) int {
		va, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(a)), 64)
		vb, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(b)), 64)
		return -cmpFloat(va, vb)
	})
	dirs = append(dirs, found...)
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", errors.New("PostgreSQL is not installed (no initdb and postgres on PATH or in /usr/lib/postgresql/*/bin)")
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// start makes a cluster in a new temporary folder and starts its server.
func start(bin string) (_ *server, err error) {
	dir, err := os.MkdirTemp("", "sideman-pg-")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	cred, err := credential(dir)
	if err != nil {
		return nil, err
	}
	run := func(name string, args ...string) *exec.Cmd {
		c := exec.Command(filepath.Join(bin, name), args...)
		c.Dir = dir
		c.Env = append(os.Environ(), "LC_ALL=C", "TZ=UTC")
		c.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		return c
	}
	data := filepath.Join(dir, "data")
	initdb := run("initdb", "-D", data, "-U", "sideman", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb in %s: %v: %s", dir, err, lastLines(string(out), 5))
	}
	logf, err := os.Create(filepath.Join(dir, "log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	if cred != nil {
		os.Chown(logf.Name(), int(cred.Uid), int(cred.Gid))
	}
	// Only the Unix socket in dir, no TCP port; the server dies with the
	// test binary if that is killed (Pdeathsig, SIGQUIT: immediate stop).
	pg := run("postgres", "-D", data, "-k", dir, "-c", "listen_addresses=", "-c", "max_connections=60")
	pg.Stdout, pg.Stderr = logf, logf
	pg.SysProcAttr.Pdeathsig = syscall.SIGQUIT
	if err := pg.Start(); err != nil {
		return nil, err
	}
	s := &server{dir: dir, cmd: pg, done: make(chan error, 1)}
	go func() { s.done <- pg.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		conn, cerr := pgx.Connect(ctx, s.url("postgres"))
		cancel()
		if cerr == nil {
			conn.Close(context.Background())
			return s, nil
		}
		select {
		case werr := <-s.done:
			log, _ := os.ReadFile(logf.Name())
			return nil, fmt.Errorf("postgres in %s exited (%v): %s", dir, werr, lastLines(string(log), 5))
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("postgres in %s not ready after 60 s: %v", dir, cerr)
		}
	}
}

// credential is who the server runs as: this user, or when that is root
// the postgres user, who is then given dir.
func credential(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, and PostgreSQL will not: no postgres user to run it as (%v)", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// stop asks the server for a fast shutdown, kills it if it has not
// stopped in a minute, and removes the folder.
func (s *server) stop() error {
	s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-s.done:
	case <-time.After(time.Minute):
		s.cmd.Process.Kill()
		<-s.done
	}
	return os.RemoveAll(s.dir)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// skip skips tb because PostgreSQL is missing, writing the skip to the
// project's skip log, or fails it under SIDEMAN_REQUIRE_DATA=1.
func skip(tb testing.TB, why error) {
	tb.Helper()
	if shareddata.Required() {
		tb.Fatalf("%v (%s=1)", why, shareddata.EnvRequire)
	}
	if name := os.Getenv(shareddata.EnvSkipLog); name != "" {
		line := strings.Join([]string{"postgresql", packageDir(), tb.Name(), Source}, "\t") + "\n"
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err == nil {
			_, err = f.WriteString(line)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			tb.Errorf("pgtest: %s: %v", shareddata.EnvSkipLog, err)
		}
	}
	tb.Skipf("%v; skipping: needs the %s (set %s=1 to fail instead)", why, Source, shareddata.EnvRequire)
}

// packageDir is the package under test's folder relative to the module
// root, as internal/shareddata writes it in the skip log.
func packageDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "?"
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			rel, err := filepath.Rel(dir, wd)
			if err != nil {
				return wd
			}
			return filepath.ToSlash(rel)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return wd
		}
		dir = parent
	}
}
