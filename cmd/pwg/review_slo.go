package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/markdown"
	"github.com/pwg-team/pwg/integrations/review"
	"github.com/pwg-team/pwg/integrations/teamconf"
	"github.com/spf13/pflag"
)

func init() {
	register("review slo", "[MEETING] [--demo] [--json]", "SLOs computed from Mackerel, kept in the minutes", parseReviewSLO)
	register("review cost", "[MEETING] [--demo] [--json] [--metrics SPEC]", "the cost review (12 months, changes, components)", parseReviewCost)
}

// reviewMeeting finds the meeting named in pos (the newest when none);
// nil when the workspace has none.
func reviewMeeting(ws *minutes.Workspace, pos []string) (*minutes.Meeting, error) {
	if len(pos) == 1 {
		return ws.Meeting(pos[0])
	}
	infos, err := ws.Meetings()
	if err != nil && !errors.Is(err, minutes.ErrNoTeam) {
		return nil, err
	}
	if len(infos) == 0 {
		return nil, nil
	}
	return ws.Meeting(infos[0].ID)
}

// reviewSource starts the Mackerel client of the review commands (the demo
// fake with --demo); a workspace without an API key is an error.
func reviewSource(ctx context.Context, ws *minutes.Workspace, demo bool) (*mackerel.Client, func(), error) {
	mk, _, stop, err := mackerelClient(ctx, ws, demo)
	if err != nil {
		return nil, nil, fmt.Errorf("mackerel: %w", err)
	}
	if mk == nil {
		return nil, nil, fmt.Errorf("%w: add the API key in Settings, or try --demo", mackerel.ErrNoAPIKey)
	}
	return mk, stop, nil
}

// parseReviewSLO: pwg review slo [MEETING] [--demo] [--json] computes the
// SLOs of a meeting (the newest when none is given) from Mackerel and
// keeps the numbers in its SLO rows. With --demo and no SLO naming an SLI
// (or no meeting), the demo SLOs are computed over the last 30 days and
// nothing is written.
func parseReviewSLO(g *globals, fs *pflag.FlagSet) parser {
	asJSON := fs.Bool("json", false, "print JSON")
	return func(pos []string) (*job, error) {
		if len(pos) > 1 {
			return nil, usageErr("review slo takes at most one meeting id")
		}
		demo := g.demo
		return &job{run: func(ctx context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			m, err := reviewMeeting(ws, pos)
			if err != nil {
				return err
			}
			if m == nil && !demo {
				return fmt.Errorf("no meeting to review: %w (create one with pwg meeting new, or try --demo)", storage.ErrNotFound)
			}
			src, stop, err := reviewSource(ctx, ws, demo)
			if err != nil {
				return err
			}
			defer stop()
			now := time.Now()
			var rev teamconf.SLOReview
			title, note := "", ""
			useDemo := demo && !namesSLI(m)
			switch {
			case useDemo:
				p := review.Period{From: now.AddDate(0, 0, -30), To: now}
				rev, _ = teamconf.EvaluateSLOs(ctx, teamconf.DemoSLOs, p, src, now, time.Local)
				title, note = "the demo SLOs", "demo SLOs over the last 30 days; nothing was written into the minutes"
			default:
				rev, err = teamconf.ComputeSLOs(ctx, ws, m, src, now, time.Local)
				if err != nil {
					return err
				}
				title = m.Title() + " (" + m.Date() + ")"
			}
			if *asJSON {
				return writeJSON(out, rev)
			}
			return printSLOs(out, title, note, rev)
		}}, nil
	}
}

// namesSLI reports whether some SLO row of m names an SLI.
func namesSLI(m *minutes.Meeting) bool {
	if m == nil {
		return false
	}
	rows, _ := m.SLOs()
	for _, r := range rows {
		if r.SLI != "" {
			return true
		}
	}
	return false
}

func printSLOs(out io.Writer, title, note string, rev teamconf.SLOReview) error {
	fmt.Fprintf(out, "SLO review of %s: %s – %s\n\n", title, rev.Period.From.Local().Format(time.DateOnly),
		rev.Period.To.Add(-time.Second).Local().Format(time.DateOnly))
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SLO\tOBJECTIVE\tATTAINMENT\tMET\tBUDGET START\tBUDGET END\tBURN\tWORST DAY\tSLI")
	for _, r := range rev.Results {
		if r.Error != "" {
			fmt.Fprintf(tw, "%s\t\t\t\t\t\t\t\t%s (%s)\n", r.Name, r.SLI, r.Error)
			continue
		}
		met := "yes"
		if !r.Met {
			met = "NO"
		}
		burn := "–"
		if r.BurnRate.Valid() {
			burn = fmt.Sprintf("%.2f×", float64(r.BurnRate))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s %s\t%s\n", r.Name, review.FormatPercent(review.Num(r.Objective)),
			review.FormatPercent(r.Attainment), met, review.FormatPercent(r.BudgetStart), review.FormatPercent(r.BudgetEnd),
			burn, r.WorstDay, review.FormatPercent(r.WorstDayAttainment), r.SLI)
	}
	for _, r := range rev.Typed {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t\t\t\t\t(typed by hand)\n", r.Name, r.Objective, r.Actual, r.Met)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rev.Breached) > 0 {
		fmt.Fprintf(out, "\nbreached: %s\n", strings.Join(rev.Breached, ", "))
	}
	for _, d := range rev.Revisits {
		state := "due before the next meeting"
		if d.Overdue {
			state = "overdue"
		}
		fmt.Fprintf(out, "revisit: %s (%s, %s)\n", d.Name, d.Date, state)
	}
	if note != "" {
		fmt.Fprintf(out, "\nnote: %s\n", note)
	}
	return nil
}

// parseReviewCost: pwg review cost [MEETING] [--demo] [--json] computes
// the cost review of a meeting from the team's cost metrics and keeps it
// in the meeting. --metrics SPEC first sets the team's cost metrics. With
// --demo and no cost metrics set (or no meeting), the demo's metrics are
// used for this month and nothing is written.
func parseReviewCost(g *globals, fs *pflag.FlagSet) parser {
	asJSON := fs.Bool("json", false, "print JSON")
	spec := fs.String("metrics", "", "set the team's cost metrics first (total=service:metric, service:metric, ...)")
	return func(pos []string) (*job, error) {
		if len(pos) > 1 {
			return nil, usageErr("review cost takes at most one meeting id")
		}
		if *spec != "" {
			if _, err := review.ParseCostConfig(*spec); err != nil {
				return nil, usageErr("%v", err)
			}
		}
		demo := g.demo
		return &job{run: func(ctx context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			m, err := reviewMeeting(ws, pos)
			if err != nil {
				return err
			}
			if m == nil && !demo {
				return fmt.Errorf("no meeting to review: %w (create one with pwg meeting new, or try --demo)", storage.ErrNotFound)
			}
			if *spec != "" && m != nil {
				s, err := m.Series()
				if err != nil {
					return err
				}
				cfg, _ := review.ParseCostConfig(*spec)
				if err := s.SetCostMetrics(cfg.String()); err != nil {
					return err
				}
			}
			src, stop, err := reviewSource(ctx, ws, demo)
			if err != nil {
				return err
			}
			defer stop()
			now := time.Now()
			var c review.CostReview
			note := ""
			useDemo := m == nil
			if m != nil && demo {
				_, cfgErr := teamconf.CostConfig(m)
				useDemo = errors.Is(cfgErr, teamconf.ErrNoCostMetrics)
			}
			switch {
			case !useDemo:
				if c, err = teamconf.ComputeCost(ctx, ws, m, src, now, time.Local); err != nil {
					return err
				}
			default:
				cfg, _ := review.ParseCostConfig(teamconf.DemoCostMetrics)
				c = review.FetchCost(ctx, src, cfg, now, time.Local)
				if c.Error != "" {
					return errors.New(c.Error)
				}
				note = "the demo's cost metrics for this month; nothing was written into the minutes"
			}
			if *asJSON {
				return writeJSON(out, c)
			}
			return printCost(out, c, note)
		}}, nil
	}
}

func printCost(out io.Writer, c review.CostReview, note string) error {
	cur := c.Months[len(c.Months)-1]
	fmt.Fprintf(out, "Cost of %s: %s", cur.Month, markdown.Money(cur.Projected))
	if cur.Days < cur.DaysInMonth {
		fmt.Fprintf(out, " (projected from %d of %d days)", cur.Days, cur.DaysInMonth)
	}
	fmt.Fprintf(out, "\nvs last month: %s\nvs same month last year: %s\nmetrics: %s\n\n",
		markdown.Change(c.VsLastMonth, c.VsLastMonthPct), markdown.Change(c.VsLastYear, c.VsLastYearPct), c.Metrics)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MONTH\tCOST\tDAYS")
	for _, mo := range c.Months {
		fmt.Fprintf(tw, "%s\t%s\t%d/%d\n", mo.Month, markdown.Money(mo.Cost), mo.Days, mo.DaysInMonth)
	}
	if len(c.Components) > 0 {
		fmt.Fprintln(tw, "\nCOMPONENT\tTHIS MONTH\tLAST MONTH\tCHANGE")
		for _, cc := range c.Components {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", cc.Metric, markdown.Money(cc.This), markdown.Money(cc.Last),
				markdown.Change(review.Num(cc.Change), cc.ChangePct))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if note != "" {
		fmt.Fprintf(out, "\nnote: %s\n", note)
	}
	return nil
}
