package main

import (
	"flag"
	"fmt"
	"io"

	"sideman/project"
)

func init() {
	register("init", command{
		summary: "make a folder a project: its ledger (DIR/.sideman/ledger.db) records who made which notes, signed with your key (made in $XDG_CONFIG_HOME/sideman when missing)",
		usage:   "sideman init DIR [--key PATH] [--store postgres://USER@HOST/DB]",
		examples: []string{
			"sideman init blues   # then work in blues/: every command there records in its ledger",
			"sideman init ~/songs/autumn --key ~/keys/studio.key",
			"sideman init band-book --store postgres://me@db.example.org/sideman   # the ledger on a shared server (password from PGPASSWORD or ~/.pgpass)",
		},
		run: initProject,
	})
}

func initProject(args []string, out, errs io.Writer) error {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	var f projectFlags
	fs.StringVar(&f.key, "key", "", "signing key (PKCS#8 PEM, Ed25519) to sign the project's checkpoints with (default: yours, made when missing)")
	store := fs.String("store", "", "keep the ledger in a PostgreSQL database (postgres://USER@HOST/DB; the password from PGPASSWORD or ~/.pgpass, never written in the project) instead of DIR/.sideman/ledger.db")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"want one DIR"}
	}
	id, err := f.identity(true)
	if err != nil {
		return err
	}
	root, err := project.InitProjectStore(ctx, pos[0], privateKey(id), *store)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: project made; its ledger is signed by %s\n", root, id.Fingerprint())
	return nil
}
