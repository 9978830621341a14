package mackerel

import (
	"context"
	"fmt"
	"time"
)

// BoardRequest asks for the hygiene board of a review period.
type BoardRequest struct {
	From, To time.Time // the review period
	// Periods is how many periods the board shows, the review period
	// included (default 4).
	Periods int
	// Verdicts of the current meeting, by monitor id.
	Verdicts map[string]string
	// Decisions of earlier meetings, from the minutes.
	Decisions []Decision
	Rules     Rules
	// Workers is how many alert-log requests run at once (default 4).
	Workers int
	// Progress, when set, is told what is being read.
	Progress func(what string)
}

const mutedSeenKey = "muted-seen:"

// HygieneBoard reads the monitors, the alerts back to Rules.SilentFor (at
// least the board's periods) and the logs of the alerts in the periods, and
// computes the board. What could not be read live comes from the cache,
// and Board.Notes says so.
func (c *Client) HygieneBoard(ctx context.Context, req BoardRequest) (Board, error) {
	if req.Periods <= 0 {
		req.Periods = 4
	}
	rules := req.Rules.withDefaults()
	say := func(format string, a ...any) {
		if req.Progress != nil {
			req.Progress(fmt.Sprintf(format, a...))
		}
	}
	periods := ReviewPeriods(req.From, req.To, req.Periods)
	now := c.now()
	var notes []string
	say("Reading monitors…")
	mons, err := c.Monitors(ctx)
	if err != nil {
		return Board{}, err
	}
	if mons.Stale {
		notes = append(notes, "Monitors: "+mons.StaleNote(now))
	}
	from := periods[0].From
	if s := now.Add(-rules.SilentFor); s.Before(from) {
		from = s
	}
	say("Reading alerts…")
	alerts, err := c.AlertsOfPeriod(ctx, from, req.To, func(n int) { say("Reading alerts… %d read", n) })
	if err != nil {
		return Board{}, err
	}
	if alerts.Stale {
		notes = append(notes, "Alerts: "+alerts.StaleNote(now))
	}
	var inPeriods []Alert
	for _, a := range alerts.Value {
		if periodOf(periods, a.OpenedAt) >= 0 {
			inPeriods = append(inPeriods, a)
		}
	}
	workers := req.Workers
	if workers <= 0 {
		workers = 4
	}
	logs, lerr := c.alertLogsOf(ctx, inPeriods, workers, func(done, all int) { say("Reading alert logs… %d of %d", done, all) })
	if lerr != nil {
		if ctx.Err() != nil {
			return Board{}, ctx.Err()
		}
		notes = append(notes, fmt.Sprintf("The logs of %d of %d alerts could not be read (%v): their flaps and closes are not counted",
			len(inPeriods)-len(logs), len(inPeriods), lerr))
	}
	b := ComputeBoard(BoardInput{
		Now: now, Periods: periods, Alerts: alerts.Value, Monitors: mons.Value, Logs: logs,
		Verdicts: req.Verdicts, Decisions: req.Decisions, MutedSince: c.mutedSeen(ctx, mons.Value, now), Rules: rules,
	})
	b.Notes = notes
	b.Alerts, b.Monitors, b.Stale = alerts.Value, mons.Value, alerts.Stale || mons.Stale
	b.Histories = make(map[string]AlertHistory, len(logs))
	for id, l := range logs {
		b.Histories[id] = historyOf(l)
	}
	return b, nil
}

// mutedSeen returns when pwg first saw each muted monitor muted, and
// remembers it in the cache (Mackerel does not say when a monitor was muted).
func (c *Client) mutedSeen(ctx context.Context, ms []Monitor, now time.Time) map[string]time.Time {
	out := map[string]time.Time{}
	if c.cache == nil {
		return out
	}
	for _, m := range ms {
		key := mutedSeenKey + m.ID
		if !m.IsMute {
			_ = c.cache.delete(ctx, key)
			continue
		}
		var seen int64
		_, ok, err := c.cache.get(ctx, key, &seen)
		if err != nil {
			continue
		}
		if !ok {
			seen = now.Unix()
			_ = c.cache.put(ctx, key, seen, now)
		}
		out[m.ID] = time.Unix(seen, 0)
	}
	return out
}
