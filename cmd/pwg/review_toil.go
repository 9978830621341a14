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

// toilCandidate is a toil candidate as `pwg review toil --json` prints it.
type toilCandidate struct {
	toil.Candidate
	// Covered: an action item made from this candidate exists.
	Covered bool `json:"covered"`
}

// toilCandidates finds the team's toil: work-log lines in two meetings or
// more, each marked when an action item already deals with it.
func toilCandidates(ws *minutes.Workspace) ([]toilCandidate, error) {
	x, err := currentIndex(ws)
	if err != nil {
		return nil, err
	}
	lines, err := x.Lines(toil.IsWorkLog)
	if err != nil {
		return nil, err
	}
	var in []toil.Line
	for _, l := range lines {
		in = append(in, toil.Line{MeetingID: l.MeetingID, MeetingTitle: l.MeetingTitle, Date: l.Date, Section: l.Section, Text: l.Text})
	}
	var titles []string
	if s, err := ws.Series(); err == nil {
		items, err := s.ActionItems()
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			titles = append(titles, it.Title)
		}
	}
	out := []toilCandidate{}
	for _, c := range toil.Find(in) {
		out = append(out, toilCandidate{Candidate: c, Covered: toil.Covered(c, titles)})
	}
	return out, nil
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
		cands, err := toilCandidates(ws)
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
