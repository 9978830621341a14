package markdown

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/review"
)

// ReviewLabels are the words of the computed SLO and cost tables and of
// the graph notes.
type ReviewLabels struct {
	SLI, Window, Attainment, Budget, BurnRate, WorstDay, NotComputed string
	RevisitDue, Overdue                                              string
	Cost, Month, Days, Projected, VsLastMonth, VsLastYear            string
	Component, ThisMonth, LastMonth, Change                          string
	GraphNotes, Missing, StaleData                                   string
	Computed                                                         string
}

// EnglishReview are the default review labels.
var EnglishReview = ReviewLabels{
	SLI: "SLI", Window: "Window", Attainment: "Attainment", Budget: "Error budget (start → end)",
	BurnRate: "Burn rate", WorstDay: "Worst day", NotComputed: "not computed",
	RevisitDue: "Revisit due", Overdue: "overdue",
	Cost: "Cost", Month: "Month", Days: "Days", Projected: "projected", VsLastMonth: "vs last month",
	VsLastYear: "vs same month last year", Component: "Component", ThisMonth: "This month", LastMonth: "Last month",
	Change: "Change", GraphNotes: "Graph notes", Missing: "minutes without data", StaleData: "from the offline cache",
	Computed: "Computed from Mackerel",
}

// JapaneseReview are review labels for a Japanese wiki.
var JapaneseReview = ReviewLabels{
	SLI: "SLI", Window: "期間", Attainment: "達成率", Budget: "エラーバジェット (開始 → 終了)",
	BurnRate: "消費ペース", WorstDay: "最悪の日", NotComputed: "未計算",
	RevisitDue: "見直し時期", Overdue: "期限切れ",
	Cost: "コスト", Month: "月", Days: "日数", Projected: "見込み", VsLastMonth: "前月比",
	VsLastYear: "前年同月比", Component: "内訳", ThisMonth: "今月", LastMonth: "前月",
	Change: "増減", GraphNotes: "グラフの見方", Missing: "分のデータ欠損", StaleData: "オフラインキャッシュから",
	Computed: "Mackerel から計算",
}

func (l *Labels) review() *ReviewLabels {
	if l.Review != nil {
		return l.Review
	}
	return &EnglishReview
}

// snapshot decodes an SLO row's computed numbers; ok is false for a row
// typed by hand or not yet computed.
func snapshot(r minutes.SLORow) (review.Result, bool) {
	var res review.Result
	if r.Snapshot == "" || json.Unmarshal([]byte(r.Snapshot), &res) != nil {
		return res, false
	}
	return res, true
}

// sloBlock is the SLO section's table, with the SLOs whose revisit date
// has come listed above it.
func sloBlock(m *Minutes, l *Labels) string {
	if len(m.SLOs) == 0 {
		return ""
	}
	rl := l.review()
	var b strings.Builder
	if day, err := time.Parse(time.DateOnly, m.Date); err == nil {
		var due []string
		for _, r := range m.SLOs {
			switch review.RevisitState(r.RevisitDate, day, time.Time{}) {
			case review.RevisitOverdue:
				due = append(due, text(r.Name)+" ("+r.RevisitDate+", "+text(rl.Overdue)+")")
			case review.RevisitDue:
				due = append(due, text(r.Name)+" ("+r.RevisitDate+")")
			}
		}
		if len(due) > 0 {
			b.WriteString("**" + text(rl.RevisitDue) + ":** " + strings.Join(due, ", ") + "\n\n")
		}
	}
	computed := false
	for _, r := range m.SLOs {
		computed = computed || r.SLI != "" || r.Snapshot != ""
	}
	if !computed {
		b.WriteString(sloTable(m.SLOs, l))
		return b.String()
	}
	rows := make([][]string, 0, len(m.SLOs))
	var latest time.Time
	for _, r := range m.SLOs {
		met := l.No
		if r.Met {
			met = l.Yes
		}
		res, ok := snapshot(r)
		if ok && res.ComputedAt.After(latest) {
			latest = res.ComputedAt
		}
		row := []string{cell(r.Name), cell(r.SLI), cell(r.Objective), cell(r.Window)}
		switch {
		case r.SLI == "":
			row[1] = "—"
			row = append(row, cell(r.Actual), cell(met), "", "", "")
		case !ok:
			row = append(row, "*"+text(rl.NotComputed)+"*", "", "", "", "")
		default:
			att := review.FormatPercent(res.Attainment)
			if res.Missing > 0 {
				att += fmt.Sprintf(" (%d %s)", res.Missing, text(rl.Missing))
			}
			if res.Stale {
				att += " (" + text(rl.StaleData) + ")"
			}
			worst := ""
			if res.WorstDay != "" {
				worst = res.WorstDay + " (" + review.FormatPercent(res.WorstDayAttainment) + ")"
			}
			burn := "–"
			if res.BurnRate.Valid() {
				burn = fmt.Sprintf("%.2f×", float64(res.BurnRate))
			}
			row = append(row, att, cell(met),
				review.FormatPercent(res.BudgetStart)+" → "+review.FormatPercent(res.BudgetEnd)+" "+Sparkline(res.Budget),
				burn, worst)
		}
		row = append(row, cell(r.RevisitDate))
		rows = append(rows, row)
	}
	head := []string{l.SLO, rl.SLI, l.Objective, rl.Window, rl.Attainment, l.Met, rl.Budget, rl.BurnRate, rl.WorstDay, l.Revisit}
	for i := range head {
		head[i] = cell(head[i])
	}
	align := []string{" --- ", " --- ", " ---: ", " ---: ", " ---: ", " --- ", " --- ", " ---: ", " --- ", " --- "}
	b.WriteString(table(head, align, rows))
	if !latest.IsZero() {
		b.WriteString("\n*" + text(rl.Computed) + ": " + latest.Format("2006-01-02 15:04 MST") + "*\n")
	}
	return b.String()
}

// Sparkline draws the budget series with block characters (▁ at or below
// zero, █ untouched), "" when there is nothing to draw.
func Sparkline(pts []review.BudgetPoint) string {
	const blocks = "▁▂▃▄▅▆▇█"
	var b strings.Builder
	for _, p := range pts {
		if !p.Remaining.Valid() {
			b.WriteString(" ")
			continue
		}
		v := math.Max(0, math.Min(1, float64(p.Remaining)))
		i := int(math.Round(v * 7))
		b.WriteString(string([]rune(blocks)[i]))
	}
	return strings.TrimSpace(b.String())
}

// Money writes an amount with thousands separators and no decimals.
func Money(v float64) string {
	neg := v < 0
	s := fmt.Sprintf("%.0f", math.Abs(v))
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "−" + string(out)
	}
	return string(out)
}

// Change writes a signed change with its percentage: "+1,604 (+12.5%)".
func Change(d, pct review.Num) string {
	if !d.Valid() {
		return "–"
	}
	s := Money(float64(d))
	if float64(d) >= 0 {
		s = "+" + s
	}
	if pct.Valid() {
		s += fmt.Sprintf(" (%+.1f%%)", 100*float64(pct))
	}
	return s
}

// costBlock is the cost section's summary and tables.
func costBlock(c *review.CostReview, l *Labels) string {
	if c == nil || len(c.Months) == 0 {
		return ""
	}
	rl := l.review()
	var b strings.Builder
	cur := c.Months[len(c.Months)-1]
	fmt.Fprintf(&b, "**%s %s: %s**", text(rl.Cost), cur.Month, Money(cur.Projected))
	if cur.Days < cur.DaysInMonth {
		fmt.Fprintf(&b, " (%s, %d/%d %s)", text(rl.Projected), cur.Days, cur.DaysInMonth, text(rl.Days))
	}
	fmt.Fprintf(&b, " · %s %s · %s %s", text(rl.VsLastMonth), Change(c.VsLastMonth, c.VsLastMonthPct),
		text(rl.VsLastYear), Change(c.VsLastYear, c.VsLastYearPct))
	if c.Stale {
		b.WriteString(" (" + text(rl.StaleData) + ")")
	}
	b.WriteString("\n\n")
	rows := make([][]string, 0, len(c.Months))
	for _, m := range c.Months {
		v := Money(m.Cost)
		if m.Days < m.DaysInMonth && m.Days > 0 {
			v += " (" + text(rl.Projected) + " " + Money(m.Projected) + ")"
		}
		rows = append(rows, []string{m.Month, v, fmt.Sprintf("%d/%d", m.Days, m.DaysInMonth)})
	}
	b.WriteString(table([]string{cell(rl.Month), cell(rl.Cost), cell(rl.Days)}, []string{" --- ", " ---: ", " ---: "}, rows))
	if len(c.Components) > 0 {
		rows = rows[:0]
		for _, cc := range c.Components {
			rows = append(rows, []string{cell(cc.Metric), Money(cc.This), Money(cc.Last), Change(review.Num(cc.Change), cc.ChangePct)})
		}
		b.WriteString("\n\n")
		b.WriteString(table([]string{cell(rl.Component), cell(rl.ThisMonth), cell(rl.LastMonth), cell(rl.Change)},
			[]string{" --- ", " ---: ", " ---: ", " ---: "}, rows))
	}
	return b.String()
}

// notesBlock lists the team's notes on the dashboard's graphs.
func notesBlock(notes []minutes.MetricNote, l *Labels) string {
	if len(notes) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("**" + text(l.review().GraphNotes) + "**\n\n")
	for _, n := range notes {
		title := n.Title
		if title == "" {
			title = n.Key
		}
		fmt.Fprintf(&b, "- **%s**: %s\n", text(title), text(oneLine(n.Note)))
	}
	return strings.TrimRight(b.String(), "\n")
}

// joinBlocks joins the non-empty blocks with a blank line.
func joinBlocks(blocks ...string) string {
	var out []string
	for _, b := range blocks {
		if b = strings.Trim(b, "\n"); b != "" {
			out = append(out, b)
		}
	}
	return strings.Join(out, "\n\n")
}
