package main

import (
	"crypto/ed25519"
	"fmt"
	"io"
	"strings"

	"sideman/format/midi"
	"sideman/ledger"
	"sideman/project"
)

func isWAV(path string) bool { return strings.HasSuffix(strings.ToLower(path), ".wav") }

// provenance checks a file's provenance against the project the flags
// name (or the current folder is in) with the user's key, when there
// are: outside a project a MIDI file's records are claims, unverified.
func (f *projectFlags) provenance(path string) (*project.Provenance, error) {
	root, err := f.root()
	if err != nil {
		return nil, err
	}
	var pub ed25519.PublicKey
	if id, err := f.identity(false); err == nil {
		pub = id.Public()
	} else if f.key != "" {
		return nil, err
	}
	return project.CheckProvenance(ctx, path, root, pub)
}

// midiProvenance is provenance of a MIDI file inspect has read.
func (f *projectFlags) midiProvenance(file *midi.File) (*project.Provenance, error) {
	root, err := f.root()
	if err != nil {
		return nil, err
	}
	var pub ed25519.PublicKey
	if root != "" {
		if id, err := f.identity(false); err == nil {
			pub = id.Public()
		} else if f.key != "" {
			return nil, err
		}
	}
	fp, err := project.CheckMIDIFile(ctx, root, pub, file)
	if err != nil || (!fp.Records && root == "") {
		return nil, err // a file that says nothing, read outside a project
	}
	return &project.Provenance{MIDI: fp}, nil
}

// printProvenance writes what a file says of who made it.
func printProvenance(w io.Writer, p *project.Provenance) {
	switch {
	case p == nil:
	case p.WAV != nil && p.WAV.None:
		fmt.Fprintln(w, "  provenance: no C2PA manifest")
	case p.WAV != nil:
		m := p.WAV.Manifest
		state := "verifies"
		if len(p.WAV.Invalid) > 0 {
			state = "DOES NOT VERIFY: " + strings.Join(p.WAV.Invalid, ", ")
		}
		fmt.Fprintf(w, "  C2PA manifest %s: %s\n", m.Label, state)
		who := "signer not compared (no key of yours found)"
		if p.WAV.ByUser != nil && *p.WAV.ByUser {
			who = "signed with your key"
		} else if p.WAV.ByUser != nil {
			who = "NOT signed with your key"
		}
		fmt.Fprintf(w, "  signer: %s / %s (key %s), issued by %s; %s\n", m.Signer.Organization, m.Signer.CommonName, m.Signer.Fingerprint, m.Signer.Issuer, who)
		for _, a := range m.Actions {
			fmt.Fprintf(w, "  action: %s %s", a.Action, strings.TrimPrefix(a.SourceType, "http://cv.iptc.org/newscodes/digitalsourcetype/"))
			if a.Description != "" {
				fmt.Fprintf(w, " (%s)", a.Description)
			}
			fmt.Fprintln(w)
		}
		if a := m.Authorship; a != nil {
			fmt.Fprintf(w, "  authorship: H %d, H+alg %d, M %d, M+h %d notes; ledger head %s\n", a.Counts.H, a.Counts.HAlg, a.Counts.M, a.Counts.MH, a.HeadHash)
		}
	case p.MIDI != nil:
		fp := p.MIDI
		where := "no project: records are claims, unverified"
		switch {
		case fp.Project && fp.LedgerErr != "":
			where = "the project's ledger does not verify: " + fp.LedgerErr
		case fp.Project:
			where = "checked against the project's ledger"
		}
		rec := "carries sideman's provenance records"
		if !fp.Records {
			rec = "carries no provenance records (re-saved by another program, or --no-provenance)"
		}
		fmt.Fprintf(w, "  provenance: %s; %s\n", rec, where)
		if fp.Head != "" {
			fmt.Fprintf(w, "  ledger head: %s\n", fp.Head)
		}
		for _, st := range []string{project.StatusVerified, project.StatusMatched, project.StatusClaimed, project.StatusUnknown} {
			n := fp.Count(st, "")
			if n == 0 {
				continue
			}
			var parts []string
			for _, c := range []ledger.Class{ledger.ClassH, ledger.ClassHAlg, ledger.ClassM, ledger.ClassMH, ledger.ClassUnknown} {
				if k := fp.Count(st, c); k > 0 {
					parts = append(parts, fmt.Sprintf("%s %d", c, k))
				}
			}
			fmt.Fprintf(w, "  %s: %d notes (%s)\n", st, n, strings.Join(parts, ", "))
			shown := 0
			for _, np := range fp.Notes {
				if np.Status == st && np.Why != "" && shown < 3 {
					fmt.Fprintf(w, "    part %d tick %d key %d: %s\n", np.Part, np.Tick, np.Pitch, np.Why)
					shown++
				}
			}
		}
	}
}
