package teamconf

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/review"
)

// ReviewPeriod is the period a meeting reviews (AlertReviewPeriod): from
// the previous meeting's date (or 30 days before) to the end of the
// meeting's day, in loc.
func ReviewPeriod(ws *minutes.Workspace, m *minutes.Meeting, loc *time.Location) review.Period {
	if loc == nil {
		loc = time.Local
	}
	from, to := AlertReviewPeriod(ws, m, loc)
	return review.Period{From: from, To: to}
}

// SLODefinition reads the SLO definition of a row; ok is false for a row
// typed by hand (no SLI).
func SLODefinition(r minutes.SLORow) (def review.Definition, ok bool, err error) {
	if r.SLI == "" {
		return def, false, nil
	}
	def.Name = r.Name
	if def.SLI, err = review.ParseSLI(r.SLI); err != nil {
		return def, true, err
	}
	if def.Objective, err = review.ParseObjective(r.Objective); err != nil {
		return def, true, err
	}
	def.Window, err = review.ParseWindow(r.Window)
	return def, true, err
}

// SLOReview is the SLO section's computation: one result per row naming an
// SLI (in row order) and the rows whose revisit date has come.
type SLOReview struct {
	Meeting  string           `json:"meeting"`
	Period   review.Period    `json:"period"`
	Results  []review.Result  `json:"slos"`
	Revisits []DueRevisit     `json:"revisitsDue"`
	Typed    []minutes.SLORow `json:"typedByHand,omitempty"`
	Breached []string         `json:"breached"`
}

// EvaluateSLOs computes the rows naming an SLI over period p without
// keeping anything; rows typed by hand are listed in Typed. rows[i] is the
// row of Results[i] for the returned computed rows.
func EvaluateSLOs(ctx context.Context, rows []minutes.SLORow, p review.Period, src review.Source, now time.Time, loc *time.Location) (SLOReview, []minutes.SLORow) {
	out := SLOReview{Period: p, Breached: []string{}, Results: []review.Result{}, Revisits: []DueRevisit{}}
	var defs []review.Definition
	var computed []minutes.SLORow
	bad := map[int]review.Result{}
	for _, r := range rows {
		def, ok, err := SLODefinition(r)
		switch {
		case !ok:
			out.Typed = append(out.Typed, r)
			continue
		case err != nil:
			bad[len(computed)] = review.Failed(r.Name, r.SLI, p, err)
		default:
			defs = append(defs, def)
		}
		computed = append(computed, r)
	}
	results := review.Evaluate(ctx, src, defs, p, now, loc)
	for i := range computed {
		res, isBad := bad[i]
		if !isBad {
			res, results = results[0], results[1:]
		}
		out.Results = append(out.Results, res)
		if res.Error == "" && !res.Met {
			out.Breached = append(out.Breached, res.Name)
		}
	}
	return out, computed
}

// ComputeSLOs reads the metric values of every SLO row of m naming an SLI
// over the meeting's review period, computes them and keeps each result in
// its row (Snapshot, Actual, Met). A row whose definition is wrong or
// whose values could not be read gets the reason in its result and keeps
// its earlier numbers.
func ComputeSLOs(ctx context.Context, ws *minutes.Workspace, m *minutes.Meeting, src review.Source, now time.Time, loc *time.Location) (SLOReview, error) {
	rows, err := m.SLOs()
	if err != nil {
		return SLOReview{Meeting: m.ID()}, err
	}
	out, computed := EvaluateSLOs(ctx, rows, ReviewPeriod(ws, m, loc), src, now, loc)
	out.Meeting = m.ID()
	var errs []error
	for i, r := range computed {
		res := out.Results[i]
		if res.Error != "" {
			continue
		}
		js, err := json.Marshal(res)
		if err != nil {
			return out, fmt.Errorf("SLO %s: %w", r.Name, err)
		}
		r.Snapshot, r.Actual, r.Met = string(js), review.FormatPercent(res.Attainment), res.Met
		if err := m.PutSLO(r); err != nil {
			errs = append(errs, fmt.Errorf("keeping SLO %s in the minutes: %w", r.Name, err))
		}
	}
	out.Revisits, err = RevisitsDue(ws, m)
	return out, errors.Join(append(errs, err)...)
}

// DueRevisit is an SLO whose document must be revisited at a meeting.
type DueRevisit struct {
	Name    string `json:"name"`
	Date    string `json:"date"`
	Overdue bool   `json:"overdue"`
}

// RevisitsDue lists the SLO rows of m whose revisit date has passed or
// falls before the next meeting (the next listed one, else a month later).
func RevisitsDue(ws *minutes.Workspace, m *minutes.Meeting) ([]DueRevisit, error) {
	rows, err := m.SLOs()
	if err != nil {
		return nil, err
	}
	day, err := time.Parse(time.DateOnly, m.Date())
	if err != nil {
		return nil, nil
	}
	var next time.Time
	if infos, err := ws.Meetings(); err == nil {
		for _, in := range infos { // newest first: the last one after m is the next
			if d, err := time.Parse(time.DateOnly, in.Date); err == nil && in.Date > m.Date() {
				next = d
			}
		}
	}
	out := []DueRevisit{}
	for _, r := range rows {
		switch review.RevisitState(r.RevisitDate, day, next) {
		case review.RevisitOverdue:
			out = append(out, DueRevisit{Name: r.Name, Date: r.RevisitDate, Overdue: true})
		case review.RevisitDue:
			out = append(out, DueRevisit{Name: r.Name, Date: r.RevisitDate})
		}
	}
	return out, nil
}

// ErrNoCostMetrics is returned when the team has not named its cost metrics.
var ErrNoCostMetrics = errors.New("the team's cost metrics are not set (Cost section → Cost metrics, or pwg review cost --metrics)")

// CostEnd is the end of the month a cost review covers: the calendar month
// holding most of the review period, up to now.
func CostEnd(p review.Period, now time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.Local
	}
	mid := p.From.Add(p.To.Sub(p.From) / 2).In(loc)
	end := time.Date(mid.Year(), mid.Month()+1, 1, 0, 0, 0, 0, loc).Add(-time.Second)
	if end.After(now) {
		end = now
	}
	return end
}

// CostConfig reads the team's cost metrics setting of m's series.
func CostConfig(m *minutes.Meeting) (review.CostConfig, error) {
	s, err := m.Series()
	if err != nil {
		return review.CostConfig{}, err
	}
	if s.CostMetrics() == "" {
		return review.CostConfig{}, ErrNoCostMetrics
	}
	return review.ParseCostConfig(s.CostMetrics())
}

// ComputeCost reads the team's cost metrics for the month under review
// and the year before, and keeps the review in the meeting (unless it
// failed: then the earlier snapshot stays).
func ComputeCost(ctx context.Context, ws *minutes.Workspace, m *minutes.Meeting, src review.Source, now time.Time, loc *time.Location) (review.CostReview, error) {
	cfg, err := CostConfig(m)
	if err != nil {
		return review.CostReview{}, err
	}
	r := review.FetchCost(ctx, src, cfg, CostEnd(ReviewPeriod(ws, m, loc), now, loc), loc)
	if r.Error != "" {
		return r, errors.New(r.Error)
	}
	js, err := json.Marshal(r)
	if err != nil {
		return r, fmt.Errorf("cost review: %w", err)
	}
	return r, m.SetCostSnapshot(string(js))
}

// CostSnapshot decodes the cost review kept in m; ok is false when none
// (or when it is damaged).
func CostSnapshot(m *minutes.Meeting) (review.CostReview, bool) {
	c, err := costSnapshot(m)
	if err != nil || c == nil {
		return review.CostReview{}, false
	}
	return *c, true
}

// costSnapshot decodes the cost review kept in m: nil when none, an error
// when it is damaged.
func costSnapshot(m *minutes.Meeting) (*review.CostReview, error) {
	js := m.CostSnapshot()
	if js == "" {
		return nil, nil
	}
	var c review.CostReview
	if err := json.Unmarshal([]byte(js), &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// Demo SLOs and cost metrics, named after the demo Mackerel's service
// metrics (integrations/mackerel/mackereltest).
var (
	DemoSLOs = []minutes.SLORow{
		{Name: "Availability (no 5xx)", Objective: "99.5%", Window: "28d", SLI: "web: app.requests.success / app.requests.total"},
		{Name: "Latency (requests under 300 ms)", Objective: "99%", Window: "28d", SLI: "web: app.requests.fast / app.requests.total"},
		{Name: "p95 latency ≤ 300 ms (minutes)", Objective: "95%", Window: "28d", SLI: "web: app.latency.p95 <= 300"},
	}
	DemoCostMetrics = "total=web:cost.daily.usd, web:cost.component.compute, web:cost.component.database, " +
		"web:cost.component.network, web:cost.component.storage"
)
