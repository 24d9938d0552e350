package main

import (
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"sideman/identity"
	"sideman/internal/output"
	"sideman/ledger"
	"sideman/project"
)

func init() {
	register("ledger", command{
		summary: "check a project's ledger: its chain, its checkpoints' signatures with your key and, given the head hash an export carries, the history up to it",
		usage:   "sideman ledger verify [--project DIR] [--head HASH] [--key PATH]",
		examples: []string{
			"sideman ledger verify",
			"sideman ledger verify --project ~/songs/blues --head 3f1c...   # the hash a MIDI file exported from the project carries",
		},
		subcommands: []string{"verify"},
		run:         ledgerCommand,
	})
}

// projectFlags are the flags of a command that records its work in a
// project's ledger.
type projectFlags struct {
	dir, key string
}

func (f *projectFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dir, "project", "", "the project to record in (default: the one the current folder is in, if any; outside a project nothing is recorded)")
	fs.StringVar(&f.key, "key", "", "signing key (PKCS#8 PEM) for the project's checkpoints (default: yours, in $XDG_CONFIG_HOME/sideman)")
	fs.BoolVar(&noProvenance, "no-provenance", false, "leave sideman's per-note provenance records out of the MIDI files written")
}

// recording is the ledger the command under way records in (nil outside
// a project): its exports go through it (writeTo) and run commits it when
// the command succeeds (finishLedger). One command runs per process.
var recording *project.Recorder

// noProvenance is --no-provenance: MIDI outputs without sideman's
// provenance records.
var noProvenance bool

// root is the project the flags name, or the one the current folder is
// in; "" outside any (only when no --project was given).
func (f *projectFlags) root() (string, error) {
	if f.dir != "" {
		return findProject(f.dir)
	}
	root, err := project.FindRoot(".")
	if errors.Is(err, project.ErrNoProject) {
		return "", nil
	}
	return root, err
}

// findProject is the project --project names: a folder at or in one.
func findProject(dir string) (string, error) {
	root, err := project.FindRoot(dir)
	var pe *project.Error
	if errors.As(err, &pe) && !errors.Is(err, project.ErrNoProject) {
		return "", &project.Error{Kind: pe.Kind, Name: "--project " + dir, Err: pe.Err}
	}
	return root, err
}

// attach opens the project's ledger for proj to record in, when there is
// a project; --project at a folder that is none is bad input.
func (f *projectFlags) attach(proj *project.Project) error {
	root, err := f.root()
	if err != nil || root == "" {
		return err
	}
	id, err := f.identity(false)
	if err != nil {
		return err
	}
	rec, err := project.OpenLedger(ctx, root, privateKey(id))
	if err != nil {
		return err
	}
	rec.SetIdentity(id) // signs the C2PA manifests of WAV exports
	proj.Ledger, proj.IDs = rec, rec.IDs()
	recording = rec
	return nil
}

// refuseAll refuses band --all in a project: its tunes are played and
// written in parallel, past the recorder, so it would record nothing.
func (f *projectFlags) refuseAll() error {
	root, err := f.root()
	if err != nil || root == "" {
		return err
	}
	return usageError{"band --all does not record in a project yet: run it outside " + root}
}

// identity is the user's signing identity: --key's, or the one in the
// identity folder, made there when create and missing.
func (f *projectFlags) identity(create bool) (*identity.Identity, error) {
	dir, err := identity.Dir(os.Getenv)
	if err != nil && (create || f.key == "") {
		return nil, &project.Error{Kind: project.BadInput, Name: "identity", Err: err}
	}
	var id *identity.Identity
	switch {
	case f.key != "" && create:
		id, err = identity.EnsureKey(dir, f.key)
	case f.key != "":
		id, err = identity.Load(f.key)
	case create:
		id, err = identity.Ensure(dir)
	default:
		id, err = identity.Load(dir)
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, &project.Error{Kind: project.NotFound, Name: "", Err: fmt.Errorf("%v (sideman init makes your key; --key names another)", err)}
	}
	if err != nil {
		return nil, &project.Error{Kind: project.BadInput, Name: "", Err: err}
	}
	return id, nil
}

// privateKey is an identity's Ed25519 key, as the ledger signs with it.
func privateKey(id *identity.Identity) ed25519.PrivateKey {
	k, _ := id.Signer().(ed25519.PrivateKey)
	return k
}

// finishLedger commits what a successful command recorded (one batch, one
// signed checkpoint) and closes the ledger; a failed one records nothing.
func finishLedger(err error) error {
	rec := recording
	recording, noProvenance = nil, false
	if rec == nil {
		return err
	}
	defer rec.Close()
	if err != nil {
		return err
	}
	_, err = rec.Commit(ctx)
	return err
}

// exporting is an output's writing, recorded in the project's ledger
// when there is one (a MIDI file carries the ledger's head).
func exporting(t *output.Target, write func(io.Writer) error) func(io.Writer) error {
	if noProvenance && t.Format == output.MIDI {
		write = project.WithoutProvenance(write)
	}
	return recording.Export(ctx, t.Path, t.Format == output.MIDI, write)
}

func ledgerCommand(args []string, out, errs io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			return flag.ErrHelp
		}
		return usageError{"want a subcommand: verify"}
	}
	fs := flag.NewFlagSet("ledger verify", flag.ContinueOnError)
	var f projectFlags
	f.register(fs)
	head := fs.String("head", "", "the ledger head hash an exported file carries: the history up to it must be unchanged")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageError{"ledger verify takes no arguments"}
	}
	root := f.dir
	if root == "" {
		root = "."
	}
	if root, err = findProject(root); err != nil {
		return err
	}
	id, err := f.identity(false)
	if err != nil {
		return err
	}
	v, err := project.VerifyLedger(ctx, root, id.Public(), *head)
	var ve *ledger.VerifyError
	if errors.As(err, &ve) || (err != nil && project.KindOf(err) == project.Internal) {
		return verifyFailed{fmt.Errorf("%s: verification failed: %w", root, err)}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: ledger verified: %d records, %d checkpoints signed by %s, head %d %s", root, v.Records, v.Checkpoints, id.Fingerprint(), v.Head.Seq, v.Head.Hash)
	if *head != "" {
		fmt.Fprintf(out, "; history up to %s unchanged", *head)
	}
	fmt.Fprintln(out)
	return nil
}

// verifyFailed is a ledger that does not verify: exit status 1, the first
// bad record named.
type verifyFailed struct{ err error }

func (e verifyFailed) Error() string { return e.err.Error() }
func (e verifyFailed) Unwrap() error { return e.err }
