package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"sideman/project"
	"sideman/studio"
)

func init() {
	register("studio", command{
		summary: "play with the band and trade fours in a browser (serves the studio page)",
		usage:   "sideman studio [--addr 127.0.0.1:7878] [--project DIR] [--soundfont FILE.sf2]",
		examples: []string{
			"sideman studio",
			"sideman studio --project mysession --addr 127.0.0.1:9000",
		},
		run: studioCommand,
	})
}

func studioCommand(args []string, out, errs io.Writer) error {
	fs := flag.NewFlagSet("studio", flag.ContinueOnError)
	var pf projectFlags
	pf.register(fs)
	addr := fs.String("addr", "127.0.0.1:7878", "address to listen on; any but a loopback address needs the token printed at start-up")
	sf := fs.String("soundfont", "", "SoundFont the page plays with"+soundFontFlag)
	origins := fs.String("origin", "", "other hosts whose pages may open the websocket, comma-separated (default: the studio's own)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageError{"studio takes no positional arguments"}
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return usageError{"--addr " + *addr + ": want host:port (127.0.0.1:7878)"}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return &project.Error{Kind: project.BadInput, Name: "--addr " + *addr, Err: errors.Unwrap(err)}
	}
	defer ln.Close()
	proj, _ := newProject(errs)
	pub, cleanup, err := studioProject(proj, &pf, errs)
	if err != nil {
		return err
	}
	defer cleanup()
	font, err := findSoundFont(*sf)
	if err != nil && *sf != "" {
		return err
	} else if err != nil {
		fmt.Fprintln(errs, "studio: no SoundFont found: the page will be silent (apt-get install fluid-soundfont-gm, or --soundfont)")
	}
	opt := studio.Options{Project: proj, PublicKey: pub, SoundFont: font,
		Log: func(f string, a ...any) { fmt.Fprintf(errs, f+"\n", a...) }}
	if *origins != "" {
		opt.Origins = strings.Split(*origins, ",")
	}
	if !studio.Loopback(*addr) {
		if opt.Token, err = studio.NewToken(); err != nil {
			return err
		}
	}
	s := studio.New(opt)
	srv := s.HTTPServer(*addr)
	url := "http://" + ln.Addr().String() + "/"
	if opt.Token != "" {
		fmt.Fprintf(out, "studio: %s?token=%s\nstudio: listening beyond loopback: every /api and /ws request needs the token %s\n", url, opt.Token, opt.Token)
	} else {
		fmt.Fprintf(out, "studio: %s\n", url)
	}
	fmt.Fprintln(out, "studio: open that in a browser; Ctrl-C stops it")
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		s.Close()
		return err
	case <-ctx.Done():
	}
	s.Close()
	shut, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = srv.Shutdown(shut)
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// studioProject opens the project the studio records in: --project's or
// the current folder's, signed with the user's key; with neither, a
// temporary project signed with a key made for the session, so that
// everything played is in a ledger even so (its folder is said on
// stderr, and removed when the studio stops).
func studioProject(proj *project.Project, pf *projectFlags, errs io.Writer) (ed25519.PublicKey, func(), error) {
	root, err := pf.root()
	if err != nil {
		return nil, nil, err
	}
	if root != "" {
		id, err := pf.identity(false)
		if err != nil {
			return nil, nil, err
		}
		key := privateKey(id)
		rec, err := project.OpenLedger(ctx, root, key)
		if err != nil {
			return nil, nil, err
		}
		rec.SetIdentity(id) // signs the C2PA manifests of WAV exports
		proj.Ledger, proj.IDs = rec, rec.IDs()
		fmt.Fprintf(errs, "studio: recording in the project at %s\n", root)
		return key.Public().(ed25519.PublicKey), func() { rec.Close() }, nil
	}
	tmp, pub, root, cleanup, err := studio.TemporaryProject(ctx)
	if err != nil {
		return nil, nil, err
	}
	proj.Ledger, proj.IDs = tmp.Ledger, tmp.IDs
	fmt.Fprintf(errs, "studio: no project given: recording in a temporary one at %s (removed when the studio stops; --project DIR keeps your work)\n", root)
	return pub, cleanup, nil
}
