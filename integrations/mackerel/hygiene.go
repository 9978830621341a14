package mackerel

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Hygiene flags of a monitor on the alert review's board.
const (
	FlagNoisy      = "noisy"
	FlagNoRunbook  = "no runbook"
	FlagMutedLong  = "muted for long"
	FlagSilent     = "silent"
	FlagUnreviewed = "unreviewed"
	FlagDidNotHelp = "decision did not help"
)

// flagWeight orders rows: the worst first.
var flagWeight = map[string]int{
	FlagNoisy: 50, FlagDidNotHelp: 40, FlagUnreviewed: 30, FlagMutedLong: 20, FlagNoRunbook: 15, FlagSilent: 10,
}

// Rules are the thresholds of the flags.
type Rules struct {
	// QuickClose: an alert that closed by itself within it "closed quickly"
	// (default 60 minutes).
	QuickClose time.Duration
	// NoisyCount: a monitor with at least this many alerts in the review
	// period, at least half of them closed quickly by themselves, is noisy
	// (default 8).
	NoisyCount int
	// MutedFor: muted longer than this is "muted for long" (default 30 days).
	MutedFor time.Duration
	// SilentFor: no alert for this long is "silent" (default 180 days).
	SilentFor time.Duration
	// ReopenWithin: an alert of the same monitor and host opening within
	// this after the previous one closed by itself is a flap (default 30 min).
	ReopenWithin time.Duration
}

func (r Rules) withDefaults() Rules {
	if r.QuickClose <= 0 {
		r.QuickClose = time.Hour
	}
	if r.NoisyCount <= 0 {
		r.NoisyCount = 8
	}
	if r.MutedFor <= 0 {
		r.MutedFor = 30 * 24 * time.Hour
	}
	if r.SilentFor <= 0 {
		r.SilentFor = 180 * 24 * time.Hour
	}
	if r.ReopenWithin <= 0 {
		r.ReopenWithin = 30 * time.Minute
	}
	return r
}

// Period is a span of time [From, To).
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Contains reports whether t is in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// ReviewPeriods returns the review period [from, to) and the n-1 periods of
// the same length before it, oldest first (the review period last).
func ReviewPeriods(from, to time.Time, n int) []Period {
	d := to.Sub(from)
	out := make([]Period, n)
	for i := range n {
		k := n - 1 - i
		out[i] = Period{From: from.Add(-time.Duration(k) * d), To: to.Add(-time.Duration(k) * d)}
	}
	return out
}

// PeriodStats is what one monitor's alerts did in one period.
type PeriodStats struct {
	Count       int           `json:"count"`
	MedianOpen  time.Duration `json:"-"` // as medianOpenSeconds in JSON
	LongestOpen time.Duration `json:"-"` // as longestOpenSeconds in JSON
	// Flaps: swings between warning and critical while open (from the
	// alert logs) plus re-fires soon after closing by itself.
	Flaps int `json:"flaps"`
	// SelfClosedQuickly: closed by the monitor (not a person) within Rules.QuickClose.
	SelfClosedQuickly int `json:"selfClosedQuickly"`
	// NoLogs: alerts whose logs could not be read.
	NoLogs int `json:"noLogs,omitempty"`
}

// MarshalJSON writes the open times in seconds.
func (p PeriodStats) MarshalJSON() ([]byte, error) {
	type plain PeriodStats
	return json.Marshal(struct {
		plain
		MedianOpen  int64 `json:"medianOpenSeconds"`
		LongestOpen int64 `json:"longestOpenSeconds"`
	}{plain(p), int64(p.MedianOpen / time.Second), int64(p.LongestOpen / time.Second)})
}

// Flag is a hygiene flag with its reason in words.
type Flag struct {
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
}

// Decision is a change decided in a PWG meeting about a monitor: from the
// minutes' alert review records, or from a dated "PWG" line pwg wrote into
// the monitor's memo.
type Decision struct {
	MonitorID string    `json:"monitorId"`
	Date      time.Time `json:"date"`
	Verdict   string    `json:"verdict,omitempty"` // keep, tune, delete, fix-root-cause
	Change    string    `json:"change,omitempty"`  // e.g. "warning 80 → 90"
	Note      string    `json:"note,omitempty"`
	Source    string    `json:"source"` // "minutes" (with the meeting's title) or "memo"
}

// Evidence is what happened after a decision.
type Evidence struct {
	Decision
	Before int `json:"before"` // alerts in the period before the decision
	After  int `json:"after"`  // alerts since, up to the same length
	// AfterDays is how many days "after" covers (shorter for recent decisions).
	AfterDays int    `json:"afterDays"`
	Helped    *bool  `json:"helped,omitempty"` // nil: too early or nothing to judge
	Text      string `json:"text"`
}

// MonitorHygiene is one row of the board.
type MonitorHygiene struct {
	MonitorID string   `json:"monitorId"`
	Name      string   `json:"name"`
	Type      string   `json:"type"`
	Monitor   *Monitor `json:"monitor,omitempty"` // nil for a deleted monitor
	// Periods holds the stats per board period, oldest first.
	Periods   []PeriodStats `json:"periods"`
	LastFired time.Time     `json:"lastFired,omitzero"`
	Flags     []Flag        `json:"flags"`
	Evidence  []Evidence    `json:"evidence,omitempty"`
	Verdict   string        `json:"verdict,omitempty"` // this meeting's verdict
	Score     int           `json:"score"`
}

// Current is the stats of the review period.
func (m MonitorHygiene) Current() PeriodStats { return m.Periods[len(m.Periods)-1] }

// Has reports whether the row carries a flag.
func (m MonitorHygiene) Has(kind string) bool {
	return slices.ContainsFunc(m.Flags, func(f Flag) bool { return f.Kind == kind })
}

// Board is the alert review's hygiene board.
type Board struct {
	Periods []Period         `json:"periods"` // oldest first; the last is the review period
	Rows    []MonitorHygiene `json:"monitors"`
	Now     time.Time        `json:"now"`
	// Notes are what could not be read (stale cache, logs missing).
	Notes []string `json:"notes,omitempty"`
	// Alerts and Monitors are what the board was computed from (HygieneBoard
	// fills them): the pane lists the review period's alerts from them.
	Alerts   []Alert   `json:"-"`
	Monitors []Monitor `json:"-"`
	// Stale is set when any of it came from the cache.
	Stale bool `json:"stale,omitempty"`
	// Histories says, per alert id of the periods, how it opened and
	// closed, from its logs (missing when they could not be read).
	Histories map[string]AlertHistory `json:"-"`
}

// AlertHistory is an alert's story from its logs.
type AlertHistory struct {
	OpenedAs string // the status it opened with
	Worst    string // CRITICAL when it reached it, else OpenedAs
	// ClosedBy is "monitoring" (the value recovered), "manual" (a person)
	// or another trigger; "" while open.
	ClosedBy string
	Swings   int // status changes while open
}

// historyOf reads an alert's story from its logs, oldest first.
func historyOf(logs []AlertLog) AlertHistory {
	var h AlertHistory
	for i, l := range logs {
		switch {
		case l.Status == "OK":
			h.ClosedBy = l.Trigger
		case i == 0:
			h.OpenedAs, h.Worst = l.Status, l.Status
		case l.Status == "CRITICAL":
			h.Worst = l.Status
		}
	}
	h.Swings = swings(logs)
	return h
}

// Text says how the alert went, e.g. "opened WARNING, reached CRITICAL,
// closed by itself".
func (h AlertHistory) Text() string {
	var parts []string
	if h.OpenedAs != "" {
		parts = append(parts, "opened "+h.OpenedAs)
	}
	if h.Worst != "" && h.Worst != h.OpenedAs {
		parts = append(parts, "reached "+h.Worst)
	}
	if h.Swings > 1 {
		parts = append(parts, fmt.Sprintf("%d status changes", h.Swings))
	}
	switch h.ClosedBy {
	case "":
	case "monitoring":
		parts = append(parts, "closed by itself")
	case "manual":
		parts = append(parts, "closed by a person")
	default:
		parts = append(parts, "closed ("+h.ClosedBy+")")
	}
	return strings.Join(parts, ", ")
}

// SetVerdict records the meeting's verdict on a row: it is reviewed now.
// Rows keep their order until the board is computed again.
func (b *Board) SetVerdict(monitorID, verdict string) {
	for i := range b.Rows {
		r := &b.Rows[i]
		if r.MonitorID != monitorID {
			continue
		}
		r.Verdict = verdict
		r.Flags = slices.DeleteFunc(r.Flags, func(f Flag) bool { return f.Kind == FlagUnreviewed })
		r.Score = 0
		for _, f := range r.Flags {
			r.Score += flagWeight[f.Kind]
		}
	}
}

// PeriodAlerts returns the board's alerts opened in [from, to] or still open.
func (b Board) PeriodAlerts(from, to time.Time) []Alert {
	var out []Alert
	for _, a := range b.Alerts {
		if (!a.OpenedAt.Before(from) && !a.OpenedAt.After(to)) || a.Open() {
			out = append(out, a)
		}
	}
	return out
}

// BoardInput is what ComputeBoard needs. Alerts should reach back
// Rules.SilentFor before Now.
type BoardInput struct {
	Now      time.Time
	Periods  []Period
	Alerts   []Alert
	Monitors []Monitor
	Logs     map[string][]AlertLog // by alert id
	// Verdicts of the current meeting by monitor id.
	Verdicts map[string]string
	// Decisions of earlier meetings (memo lines are added by ComputeBoard).
	Decisions []Decision
	// MutedSince: when pwg first saw a monitor muted (memo lines may say earlier).
	MutedSince map[string]time.Time
	Rules      Rules
}

// ComputeBoard computes the board: one row per monitor (and per deleted
// monitor that fired in the periods), worst first.
func ComputeBoard(in BoardInput) Board {
	r := in.Rules.withDefaults()
	b := Board{Periods: in.Periods, Now: in.Now}
	rows := map[string]*MonitorHygiene{}
	var order []string
	row := func(id string) *MonitorHygiene {
		if x := rows[id]; x != nil {
			return x
		}
		x := &MonitorHygiene{MonitorID: id, Periods: make([]PeriodStats, len(in.Periods))}
		rows[id] = x
		order = append(order, id)
		return x
	}
	for i := range in.Monitors {
		m := &in.Monitors[i]
		x := row(m.ID)
		x.Name, x.Type, x.Monitor = m.Name, m.Type, m
	}
	byMonitor := map[string][]Alert{}
	for _, a := range in.Alerts {
		byMonitor[a.MonitorID] = append(byMonitor[a.MonitorID], a)
	}
	for id, as := range byMonitor {
		sort.Slice(as, func(i, j int) bool { return as[i].OpenedAt.Before(as[j].OpenedAt) })
		inPeriods := false
		for _, a := range as {
			if periodOf(in.Periods, a.OpenedAt) >= 0 {
				inPeriods = true
			}
		}
		if rows[id] == nil && !inPeriods {
			continue
		}
		x := row(id)
		if x.Monitor == nil {
			x.Name, x.Type = fmt.Sprintf("(deleted monitor %s)", id), as[0].Type
		}
		x.LastFired = as[len(as)-1].OpenedAt
		fillStats(x, as, in, r)
	}
	decisions := append(slices.Clone(in.Decisions), memoDecisions(in.Monitors)...)
	for _, id := range order {
		x := rows[id]
		x.Verdict = in.Verdicts[id]
		x.Evidence = evidence(decisions, id, byMonitor[id], in.Now)
		x.Flags = flags(x, in, r)
		for _, f := range x.Flags {
			x.Score += flagWeight[f.Kind]
		}
		b.Rows = append(b.Rows, *x)
	}
	sort.SliceStable(b.Rows, func(i, j int) bool {
		a, c := b.Rows[i], b.Rows[j]
		if a.Score != c.Score {
			return a.Score > c.Score
		}
		if a.Current().Count != c.Current().Count {
			return a.Current().Count > c.Current().Count
		}
		return a.Name < c.Name
	})
	return b
}

func periodOf(ps []Period, t time.Time) int {
	for i, p := range ps {
		if p.Contains(t) {
			return i
		}
	}
	return -1
}

// fillStats fills the per-period stats from the monitor's alerts, oldest first.
func fillStats(x *MonitorHygiene, as []Alert, in BoardInput, r Rules) {
	opens := make([][]time.Duration, len(in.Periods))
	lastClose := map[string]time.Time{} // host → when its last alert closed by itself
	for _, a := range as {
		i := periodOf(in.Periods, a.OpenedAt)
		logs, haveLogs := in.Logs[a.ID]
		selfClosed := false
		if haveLogs {
			for _, l := range logs {
				if l.Status == "OK" && l.Trigger == "monitoring" {
					selfClosed = true
				}
			}
		}
		if i >= 0 {
			st := &x.Periods[i]
			st.Count++
			end := a.ClosedAt
			if a.Open() || end.IsZero() {
				end = in.Now // still open: open until now
			}
			d := max(0, end.Sub(a.OpenedAt))
			opens[i] = append(opens[i], d)
			st.LongestOpen = max(st.LongestOpen, d)
			if !haveLogs {
				st.NoLogs++
			}
			if selfClosed && !a.Open() && d <= r.QuickClose {
				st.SelfClosedQuickly++
			}
			st.Flaps += swings(logs)
			if c, ok := lastClose[a.HostID]; ok && a.OpenedAt.Sub(c) <= r.ReopenWithin {
				st.Flaps++
			}
		}
		if selfClosed && !a.Open() {
			lastClose[a.HostID] = a.ClosedAt
		} else {
			delete(lastClose, a.HostID)
		}
	}
	for i, ds := range opens {
		if len(ds) > 0 {
			slices.Sort(ds)
			x.Periods[i].MedianOpen = ds[len(ds)/2]
			if len(ds)%2 == 0 {
				x.Periods[i].MedianOpen = (ds[len(ds)/2-1] + ds[len(ds)/2]) / 2
			}
		}
	}
}

// swings counts the changes of status while an alert was open.
func swings(logs []AlertLog) int {
	n := 0
	prev := ""
	for _, l := range logs {
		if l.Status == "OK" {
			break
		}
		if prev != "" && l.Status != prev {
			n++
		}
		prev = l.Status
	}
	return n
}

func hasLink(memo string) bool {
	return strings.Contains(memo, "https://") || strings.Contains(memo, "http://")
}

// flags computes a row's flags with their reasons.
func flags(x *MonitorHygiene, in BoardInput, r Rules) []Flag {
	var out []Flag
	cur := x.Current()
	if cur.Count >= r.NoisyCount && cur.SelfClosedQuickly*2 >= cur.Count {
		out = append(out, Flag{FlagNoisy, fmt.Sprintf("fired %s this period and %d of them closed by themselves within %s (median open %s)",
			times(cur.Count), cur.SelfClosedQuickly, shortDuration(r.QuickClose), shortDuration(cur.MedianOpen))})
	}
	for _, e := range x.Evidence {
		if e.Helped != nil && !*e.Helped {
			out = append(out, Flag{FlagDidNotHelp, e.Text})
		}
	}
	if cur.Count > 0 && x.Verdict == "" {
		out = append(out, Flag{FlagUnreviewed, fmt.Sprintf("fired %s this period and has no verdict in the minutes yet", times(cur.Count))})
	}
	m := x.Monitor
	if m == nil {
		return out
	}
	if m.IsMute {
		since, ok := mutedSince(*m, in.MutedSince[m.ID])
		switch {
		case ok && in.Now.Sub(since) > r.MutedFor:
			out = append(out, Flag{FlagMutedLong, fmt.Sprintf("muted since %s (%d days): unmute it or delete it",
				since.Format(time.DateOnly), int(in.Now.Sub(since).Hours()/24))})
		}
	}
	switch {
	case strings.TrimSpace(m.Memo) == "":
		out = append(out, Flag{FlagNoRunbook, "the memo is empty: a monitor nobody can write a runbook for should not exist"})
	case !hasLink(m.Memo):
		out = append(out, Flag{FlagNoRunbook, "the memo has no link to a runbook"})
	}
	silentFrom := in.Now.Add(-r.SilentFor)
	if x.LastFired.Before(silentFrom) {
		out = append(out, Flag{FlagSilent, fmt.Sprintf("never fired in %d days (since %s): still needed?",
			int(r.SilentFor.Hours()/24), silentFrom.Format(time.DateOnly))})
	}
	return out
}

// shortDuration formats 90m as "1h30m", 45s as "45s".
func shortDuration(d time.Duration) string {
	switch {
	case d >= time.Hour:
		s := strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
		return strings.TrimSuffix(s, "h0m") + map[bool]string{true: "h", false: ""}[strings.HasSuffix(s, "h0m")]
	case d >= time.Minute:
		return fmt.Sprintf("%dm", int(d.Round(time.Minute).Minutes()))
	default:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
}

// ShortDuration formats a duration for the board ("1h30m", "5m", "40s").
func ShortDuration(d time.Duration) string { return shortDuration(d) }

func times(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}
