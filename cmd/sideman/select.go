package main

import (
	"io"
)

func init() {
	register("select", command{
		summary: "record your choice of one machine candidate (one of vary's variations): a selection, counted in the authorship report; the other candidates in its folder are left out",
		usage:   "sideman select CANDIDATE.mid [--project DIR] [--key PATH]",
		examples: []string{
			"sideman select lick-variations/03.mid",
		},
		run: selectCommand,
	})
}

func selectCommand(args []string, out, errs io.Writer) error {
	proj, name, err := actsCommand("select", args, errs, nil)
	if err != nil {
		return err
	}
	a, err := proj.Select(ctx, name)
	if err != nil {
		return err
	}
	printActs(out, a)
	return nil
}
