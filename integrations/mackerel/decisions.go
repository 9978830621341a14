package mackerel

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// memoLine matches a decision line pwg writes into a monitor's memo:
// "PWG 2026-11-30: warning 80 → 90 (alert review) [pwg:1a2b3c4d]".
var memoLine = regexp.MustCompile(`(?m)^PWG (\d{4}-\d{2}-\d{2}): (.*?)(?: \[pwg:([0-9A-Za-z-]+)\])?\s*$`)

// MemoDecision is a decision line of a monitor's memo.
type MemoDecision struct {
	Date   time.Time
	Text   string
	Marker string
}

// MemoDecisions parses the PWG lines of a memo, oldest first.
func MemoDecisions(memo string) []MemoDecision {
	var out []MemoDecision
	for _, m := range memoLine.FindAllStringSubmatch(memo, -1) {
		d, err := time.Parse(time.DateOnly, m[1])
		if err != nil {
			continue
		}
		out = append(out, MemoDecision{Date: d, Text: m[2], Marker: m[3]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// memoDecisions are the decisions written into the monitors' memos.
func memoDecisions(ms []Monitor) []Decision {
	var out []Decision
	for _, m := range ms {
		for _, d := range MemoDecisions(m.Memo) {
			change, _, _ := strings.Cut(d.Text, " (")
			out = append(out, Decision{MonitorID: m.ID, Date: d.Date, Change: change, Source: "memo"})
		}
	}
	return out
}

// mutedSince returns when a muted monitor was muted: the newest PWG memo
// line that muted it, or when pwg first saw it muted, whichever is earlier.
func mutedSince(m Monitor, seen time.Time) (time.Time, bool) {
	var since time.Time
	for _, d := range MemoDecisions(m.Memo) {
		if strings.HasPrefix(d.Text, "muted") {
			since = d.Date
		}
	}
	if !seen.IsZero() && (since.IsZero() || seen.Before(since)) {
		since = seen
	}
	return since, !since.IsZero()
}

// judged: a decision is judged once this many days passed.
const judgeAfterDays = 7

// evidence compares the alerts before and after each decision about a
// monitor. The same change on the same day from the minutes and from the
// memo counts once. as is the monitor's alerts, oldest first.
func evidence(ds []Decision, monitorID string, as []Alert, now time.Time) []Evidence {
	var out []Evidence
	seen := map[string]bool{}
	for _, d := range ds {
		if d.MonitorID != monitorID || d.Date.After(now) {
			continue
		}
		day := d.Date.UTC().Format(time.DateOnly)
		key := day + "|" + d.Change
		if seen[key] || (d.Change == "" && seen[day+"|verdict"]) {
			continue
		}
		seen[key], seen[day+"|verdict"] = true, true
		window := 30 * 24 * time.Hour
		end := d.Date.Add(window)
		if now.Before(end) {
			end = now
		}
		e := Evidence{Decision: d, AfterDays: int(end.Sub(d.Date).Hours() / 24)}
		for _, a := range as {
			switch {
			case !a.OpenedAt.Before(d.Date.Add(-window)) && a.OpenedAt.Before(d.Date):
				e.Before++
			case !a.OpenedAt.Before(d.Date) && a.OpenedAt.Before(end):
				e.After++
			}
		}
		what := describeChange(d.Change)
		if what == "" {
			what = "verdict " + d.Verdict
		}
		e.Text = fmt.Sprintf("%s on %s: %d alerts in the month before, %d after", what, d.Date.Format("01/02"), e.Before, e.After)
		if e.AfterDays < 30 {
			e.Text += fmt.Sprintf(" (%d days so far)", e.AfterDays)
		}
		judge := d.Change != "" || d.Verdict == "tune" || d.Verdict == "fix-root-cause"
		if judge && e.AfterDays >= judgeAfterDays && e.Before > 0 {
			// compare rates: the "after" window may be shorter than a month
			helped := float64(e.After)*30/float64(e.AfterDays) < float64(e.Before)
			e.Helped = &helped
			if !helped {
				e.Text += ": the alerts did not drop"
			}
		}
		out = append(out, e)
	}
	return out
}

var thresholdChange = regexp.MustCompile(`^(warning|critical|duration) (-?[0-9.]+) → (-?[0-9.]+)$`)

// describeChange says "warning raised 80 → 90" for "warning 80 → 90".
func describeChange(c string) string {
	m := thresholdChange.FindStringSubmatch(c)
	if m == nil {
		return c
	}
	a, err1 := strconv.ParseFloat(m[2], 64)
	b, err2 := strconv.ParseFloat(m[3], 64)
	switch {
	case err1 != nil || err2 != nil || a == b:
		return c
	case b > a:
		return m[1] + " raised " + m[2] + " → " + m[3]
	default:
		return m[1] + " lowered " + m[2] + " → " + m[3]
	}
}
