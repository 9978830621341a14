package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/pwg-team/pwg/crdt/minutes"
)

func init() {
	register("meeting repair", "ID [--dry-run]",
		"restore fields a peer made malformed, from the meeting's own history (a new change that syncs)", parseMeetingRepair)
}

func parseMeetingRepair(g *globals, fs *pflag.FlagSet) parser {
	dry := fs.Bool("dry-run", false, "only list what is malformed")
	return func(pos []string) (*job, error) {
		if len(pos) != 1 {
			return nil, usageErr("meeting repair needs one meeting id")
		}
		return &job{mutates: !*dry, run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			m, err := ws.Meeting(pos[0])
			if err != nil {
				return err
			}
			probs := m.Problems()
			for _, p := range probs {
				fmt.Fprintln(out, "malformed:", clean(p))
			}
			if *dry || len(probs) == 0 {
				if len(probs) == 0 {
					fmt.Fprintln(out, "nothing malformed")
				}
				return nil
			}
			restored, err := m.Repair()
			if err != nil {
				return err
			}
			fmt.Fprintln(out, "restored from the meeting's history:", strings.Join(restored, ", "))
			return nil
		}}, nil
	}
}
