package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/teamconf"
	"github.com/spf13/pflag"
)

func init() {
	register("review alerts", "[MEETING] [--demo] [--json]", "the alert review's hygiene board (newest meeting)", parseReviewAlerts)
}

// parseReviewAlerts: pwg review alerts [MEETING] [--demo] [--json] prints
// the alert review's hygiene board of a meeting (the newest when none is
// given), the same data as the alert pane.
func parseReviewAlerts(g *globals, fs *pflag.FlagSet) parser {
	asJSON := fs.Bool("json", false, "print JSON")
	return func(pos []string) (*job, error) {
		if len(pos) > 1 {
			return nil, usageErr("review alerts takes at most one meeting id")
		}
		demo := g.demo
		return &job{run: func(ctx context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			req, title, err := alertBoardRequest(ws, pos)
			if err != nil {
				return err
			}
			mk, stop, err := reviewSource(ctx, ws, demo)
			if err != nil {
				return err
			}
			defer stop()
			board, err := mk.HygieneBoard(ctx, req)
			if err != nil {
				return err
			}
			if *asJSON {
				return writeJSON(out, board)
			}
			return printBoard(out, title, board)
		}}, nil
	}
}

// alertBoardRequest finds the meeting (the newest when none is named) and
// builds its board request; with no meeting at all, the last 30 days.
func alertBoardRequest(ws *minutes.Workspace, pos []string) (mackerel.BoardRequest, string, error) {
	m, err := reviewMeeting(ws, pos)
	if err != nil {
		return mackerel.BoardRequest{}, "", err
	}
	if m == nil {
		to := time.Now().Truncate(time.Hour)
		return mackerel.BoardRequest{From: to.AddDate(0, 0, -30), To: to}, "the last 30 days", nil
	}
	req, err := teamconf.AlertBoardRequest(ws, m, time.Local)
	return req, m.Title() + " (" + m.Date() + ")", err
}

func printBoard(out io.Writer, title string, b mackerel.Board) error {
	p := b.Periods[len(b.Periods)-1]
	fmt.Fprintf(out, "Alert review of %s: %s – %s, with the %d periods before\n\n", title,
		p.From.Local().Format(time.DateOnly), p.To.Local().Format(time.DateOnly), len(b.Periods)-1)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MONITOR\tALERTS (oldest → now)\tOPEN median / longest\tFLAPS\tSELF-CLOSED\tVERDICT\tFLAGS")
	for _, r := range b.Rows {
		counts := make([]string, len(r.Periods))
		for i, st := range r.Periods {
			counts[i] = fmt.Sprint(st.Count)
		}
		cur := r.Current()
		open := "—"
		if cur.Count > 0 {
			open = mackerel.ShortDuration(cur.MedianOpen) + " / " + mackerel.ShortDuration(cur.LongestOpen)
		}
		kinds := make([]string, len(r.Flags))
		for i, f := range r.Flags {
			kinds[i] = f.Kind
		}
		verdict := r.Verdict
		if verdict == "" {
			verdict = "—"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\t%s\n", r.Name, strings.Join(counts, " "), open, cur.Flaps,
			cur.SelfClosedQuickly, verdict, strings.Join(kinds, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range b.Rows {
		if len(r.Flags) == 0 && len(r.Evidence) == 0 {
			continue
		}
		fmt.Fprintf(out, "\n%s\n", r.Name)
		for _, f := range r.Flags {
			fmt.Fprintf(out, "  %s: %s\n", f.Kind, f.Reason)
		}
		for _, e := range r.Evidence {
			if e.Helped == nil || *e.Helped {
				fmt.Fprintf(out, "  earlier decision: %s\n", e.Text)
			}
		}
	}
	for _, n := range b.Notes {
		fmt.Fprintf(out, "\nnote: %s\n", n)
	}
	return nil
}
