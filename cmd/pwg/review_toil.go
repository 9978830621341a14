package main

import (
	"context"
	"fmt"
	"io"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/toil"
)

func init() {
	extraCommands["review toil"] = parseReviewToil
}

// parseReviewToil: pwg review toil [--json] lists work that recurs across
// meetings (同じことを複数回やっているならトイル).
func parseReviewToil(g *globals, args []string) (*job, error) {
	fs := newFlags("review toil", g)
	asJSON := fs.Bool("json", false, "print JSON")
	if pos, err := parseFlags(fs, args); err != nil {
		return nil, err
	} else if len(pos) > 0 {
		return nil, usageErr("review toil takes no arguments")
	}
	return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
		cands, err := toil.Review(ws)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(out, cands)
		}
		if len(cands) == 0 {
			fmt.Fprintln(out, "no toil candidates: no work-log item recurs in two meetings")
			return nil
		}
		for i, c := range cands {
			mark := ""
			if c.Covered {
				mark = "  [action item exists]"
			}
			fmt.Fprintf(out, "%d. %s — in %d meetings%s\n", i+1, c.Title, c.Meetings, mark)
			for _, l := range c.Seen {
				fmt.Fprintf(out, "     %s %s: %s\n", l.Date, l.MeetingTitle, l.Text)
			}
		}
		return nil
	}}, nil
}
