package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/pflag"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/integrations/issues"
	"github.com/pwg-team/pwg/integrations/teamconf"
)

func init() {
	register("review carry-over", "[MEETING] [--offline] [--json]", "carried-over action items with their GitHub issue's state (newest meeting)", parseReviewCarryOver)
	register("review postmortems", "[MEETING] [--json]", "postmortem issues since the previous meeting, with open follow-ups", parseReviewPostmortems)
}

// reviewedMeeting returns the meeting named, or the newest; unlike
// reviewMeeting, a workspace without a meeting (or without a team) is an
// error.
func reviewedMeeting(ws *minutes.Workspace, pos []string) (*minutes.Meeting, error) {
	m, err := reviewMeeting(ws, pos)
	if err == nil && m == nil {
		if _, err := ws.Meetings(); err != nil {
			return nil, err // minutes.ErrNoTeam, as before the first meeting
		}
		return nil, fmt.Errorf("no meeting yet: %w", storage.ErrNotFound)
	}
	return m, err
}

// carriedJSON is one line of `pwg review carry-over --json`.
type carriedJSON struct {
	issues.Carried
	Error string `json:"error,omitempty"`
}

// parseReviewCarryOver: pwg review carry-over [MEETING] [--offline] [--json]
// lists the action items a meeting carries over with their issues' state,
// fetched from GitHub (cached; --offline: the cache only).
func parseReviewCarryOver(g *globals, fs *pflag.FlagSet) parser {
	asJSON := fs.Bool("json", false, "print JSON")
	offline := fs.Bool("offline", false, "show the cached issue states, ask GitHub nothing")
	return func(pos []string) (*job, error) {
		if len(pos) > 1 {
			return nil, usageErr("review carry-over takes at most one meeting id")
		}
		return &job{run: func(ctx context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			m, err := reviewedMeeting(ws, pos)
			if err != nil {
				return err
			}
			items, err := teamconf.CarryOver(ctx, ws, m, !*offline)
			if err != nil {
				return err
			}
			if *asJSON {
				rows := make([]carriedJSON, 0, len(items))
				for _, c := range items {
					r := carriedJSON{Carried: c}
					if c.Err != nil {
						r.Error = c.Err.Error()
					}
					rows = append(rows, r)
				}
				return writeJSON(out, rows)
			}
			if len(items) == 0 {
				fmt.Fprintf(out, "%s carries over no action item\n", m.Title())
				return nil
			}
			for _, c := range items {
				state := "no issue"
				switch {
				case c.Issue != nil:
					state = fmt.Sprintf("#%d %s", c.Issue.Number, c.Issue.Describe())
				case c.Item.IssueURL != "":
					state = "issue state not fetched"
				}
				if c.OfferDone {
					state += " — mark it done?"
				}
				if c.Err != nil {
					state += " (" + c.Err.Error() + ")"
				}
				fmt.Fprintf(out, "[%s] %s — %s\n", c.Item.Status, c.Item.Title, state)
			}
			return nil
		}}, nil
	}
}

// parseReviewPostmortems: pwg review postmortems [MEETING] [--json] lists
// the postmortem issues opened or updated since the meeting before MEETING.
func parseReviewPostmortems(g *globals, fs *pflag.FlagSet) parser {
	asJSON := fs.Bool("json", false, "print JSON")
	return func(pos []string) (*job, error) {
		if len(pos) > 1 {
			return nil, usageErr("review postmortems takes at most one meeting id")
		}
		return &job{run: func(ctx context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			m, err := reviewedMeeting(ws, pos)
			if err != nil {
				return err
			}
			since, label, pms, err := teamconf.Postmortems(ctx, ws, m, time.Local)
			if err != nil {
				return err
			}
			if *asJSON {
				return writeJSONList(out, pms)
			}
			fmt.Fprintf(out, "postmortems (label %s) since %s\n", label, since.Format(time.DateOnly))
			if len(pms) == 0 {
				fmt.Fprintln(out, "none")
			}
			for _, p := range pms {
				state := "open"
				if !p.Open {
					state = "closed"
				}
				fmt.Fprintf(out, "#%d %s — by %s, %s, updated %s\n    %s\n", p.Number, p.Title, p.Author, state, p.Updated.Local().Format(time.DateOnly), p.URL)
				for _, f := range p.FollowUps {
					fmt.Fprintf(out, "    - [ ] %s\n", f.Text)
				}
			}
			return nil
		}}, nil
	}
}
