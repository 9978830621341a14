package main

import (
	"context"
	"fmt"
	"io"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/toil"
	"github.com/spf13/pflag"
)

func init() {
	register("review toil", "[--json]", "work-log items that recur across meetings", parseReviewToil)
}

// parseReviewToil: pwg review toil [--json] lists work that recurs across
// meetings (同じことを複数回やっているならトイル).
func parseReviewToil(g *globals, fs *pflag.FlagSet) parser {
	asJSON := fs.Bool("json", false, "print JSON")
	return func(pos []string) (*job, error) {
		if len(pos) > 0 {
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
}
