package main

import (
	"io"
)

func init() {
	register("edit", command{
		summary: "record your changes to the project's notes: a file exported from the project and changed since (pitch, start, length, velocity field by field; notes removed as deleted; notes added as written by you)",
		usage:   "sideman edit CHANGED.mid [--project DIR] [--key PATH]",
		examples: []string{
			"sideman edit trade.mid   # trade.mid exported from the project, then changed in a sequencer",
		},
		run: editCommand,
	})
}

func editCommand(args []string, out, errs io.Writer) error {
	proj, name, err := actsCommand("edit", args, errs, nil)
	if err != nil {
		return err
	}
	a, err := proj.Edit(ctx, name)
	if err != nil {
		return err
	}
	printActs(out, a)
	return nil
}
