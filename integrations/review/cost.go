package review

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/pwg-team/pwg/integrations/mackerel"
)

// MetricRef names a service metric, written "service:name".
type MetricRef struct {
	Service string `json:"service"`
	Name    string `json:"name"`
}

func (m MetricRef) String() string { return m.Service + ":" + m.Name }

// ParseMetricRef reads "service:name".
func ParseMetricRef(text string) (MetricRef, error) {
	svc, name, ok := strings.Cut(strings.TrimSpace(text), ":")
	svc, name = strings.TrimSpace(svc), strings.TrimSpace(name)
	if !ok || svc == "" || !metricName(name) || strings.ContainsAny(svc, " \t") {
		return MetricRef{}, fmt.Errorf("%w: cost metric %q: want service:metric such as web:cost.daily.usd", ErrBadSLI, text)
	}
	return MetricRef{svc, name}, nil
}

// CostConfig names the team's cost metrics: daily service metrics in one
// currency. With Components, the review shows which moved most; the total
// is Total when set, otherwise the components' sum.
type CostConfig struct {
	Total      MetricRef   `json:"total"`
	Components []MetricRef `json:"components,omitempty"`
}

// IsZero reports whether no cost metric is named.
func (c CostConfig) IsZero() bool { return c.Total == (MetricRef{}) && len(c.Components) == 0 }

// String writes c as ParseCostConfig reads it.
func (c CostConfig) String() string {
	var parts []string
	if c.Total != (MetricRef{}) {
		parts = append(parts, "total="+c.Total.String())
	}
	for _, m := range c.Components {
		parts = append(parts, m.String())
	}
	return strings.Join(parts, ", ")
}

// ParseCostConfig reads the team setting: metrics separated by commas or
// new lines, "total=service:name" for the total and "service:name" for each
// component. A single metric without "total=" is the total.
func ParseCostConfig(text string) (CostConfig, error) {
	var c CostConfig
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == '\n' }) {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		total := false
		if rest, ok := strings.CutPrefix(f, "total="); ok {
			f, total = rest, true
		}
		m, err := ParseMetricRef(f)
		if err != nil {
			return CostConfig{}, err
		}
		if total {
			c.Total = m
		} else {
			c.Components = append(c.Components, m)
		}
	}
	if c.Total == (MetricRef{}) && len(c.Components) == 1 {
		c.Total, c.Components = c.Components[0], nil
	}
	return c, nil
}

// CostMonth is one calendar month's cost.
type CostMonth struct {
	Month string  `json:"month"` // YYYY-MM
	Cost  float64 `json:"cost"`  // sum of the daily points
	Days  int     `json:"days"`  // days with a point
	// DaysInMonth is the month's length; a month with fewer Days (the
	// month in progress, or gaps) is Projected from its mean per day.
	DaysInMonth int     `json:"daysInMonth"`
	Projected   float64 `json:"projected"`
}

// CostComponent is a component's cost this month and the month before
// (projected) and how it moved.
type CostComponent struct {
	Metric    string  `json:"metric"`
	This      float64 `json:"this"`
	Last      float64 `json:"last"`
	Change    float64 `json:"change"`
	ChangePct Num     `json:"changePct"`
}

// CostReview is the cost section's numbers: the last 12 months (oldest
// first, the month under review last), the month's changes against the
// month before and the same month a year before, and the components
// ordered by how much they moved.
type CostReview struct {
	Month          string          `json:"month"`
	Months         []CostMonth     `json:"months"`
	VsLastMonth    Num             `json:"vsLastMonth"`
	VsLastMonthPct Num             `json:"vsLastMonthPct"`
	VsLastYear     Num             `json:"vsLastYear"`
	VsLastYearPct  Num             `json:"vsLastYearPct"`
	Components     []CostComponent `json:"components,omitempty"`
	Metrics        string          `json:"metrics"`
	Error          string          `json:"error,omitempty"`
	Stale          bool            `json:"stale,omitempty"`
	// ComputedAt is when the review was read from Mackerel.
	ComputedAt time.Time `json:"computedAt,omitzero"`
}

// monthsBack returns the 13 months ending with the month of end, oldest
// first, as their first instants in loc.
func monthsBack(end time.Time, loc *time.Location) []time.Time {
	y, m, _ := end.In(loc).Date()
	out := make([]time.Time, 13)
	for i := range out {
		out[i] = time.Date(y, m-time.Month(12-i), 1, 0, 0, 0, 0, loc)
	}
	return out
}

// monthly sums daily points into the 13 months ending with end's month.
func monthly(pts []mackerel.Point, end time.Time, loc *time.Location) []CostMonth {
	starts := monthsBack(end, loc)
	out := make([]CostMonth, len(starts))
	days := make([]map[int]bool, len(starts))
	for i, s := range starts {
		out[i] = CostMonth{Month: s.Format("2006-01"), DaysInMonth: s.AddDate(0, 1, -1).Day()}
		days[i] = map[int]bool{}
	}
	for _, p := range pts {
		t := time.Unix(p.T, 0).In(loc)
		i := int(t.Year()*12+int(t.Month())-1) - (starts[0].Year()*12 + int(starts[0].Month()) - 1)
		if i < 0 || i >= len(out) || t.After(end) {
			continue
		}
		out[i].Cost += p.V
		days[i][t.Day()] = true
	}
	for i := range out {
		out[i].Days = len(days[i])
		out[i].Projected = out[i].Cost
		if out[i].Days > 0 && out[i].Days < out[i].DaysInMonth {
			out[i].Projected = out[i].Cost / float64(out[i].Days) * float64(out[i].DaysInMonth)
		}
	}
	return out
}

func change(this, before CostMonth) (Num, Num) {
	if this.Days == 0 || before.Days == 0 {
		return None, None
	}
	d := this.Projected - before.Projected
	if before.Projected == 0 {
		return Num(d), None
	}
	return Num(d), Num(d / before.Projected)
}

// ComputeCost builds the review of the month of end from the daily points
// of each metric of cfg (keyed by MetricRef.String()).
func ComputeCost(cfg CostConfig, end time.Time, loc *time.Location, data map[string][]mackerel.Point) CostReview {
	if loc == nil {
		loc = time.Local
	}
	r := CostReview{Month: end.In(loc).Format("2006-01"), Metrics: cfg.String(),
		VsLastMonth: None, VsLastMonthPct: None, VsLastYear: None, VsLastYearPct: None}
	var total []CostMonth
	if cfg.Total != (MetricRef{}) {
		total = monthly(data[cfg.Total.String()], end, loc)
	}
	for _, c := range cfg.Components {
		ms := monthly(data[c.String()], end, loc)
		this, last := ms[12], ms[11]
		d, pct := change(this, last)
		cc := CostComponent{Metric: c.String(), This: this.Projected, Last: last.Projected, ChangePct: pct}
		if d.Valid() {
			cc.Change = float64(d)
		}
		r.Components = append(r.Components, cc)
		if cfg.Total == (MetricRef{}) {
			if total == nil {
				total = ms
				continue
			}
			for i := range total {
				total[i].Cost += ms[i].Cost
				total[i].Projected += ms[i].Projected
				total[i].Days = max(total[i].Days, ms[i].Days)
			}
		}
	}
	slices.SortStableFunc(r.Components, func(a, b CostComponent) int {
		return cmp.Compare(math.Abs(b.Change), math.Abs(a.Change))
	})
	if total == nil {
		r.Error = "no cost metric is named (team settings: cost metrics)"
		return r
	}
	r.Months = total[1:]
	r.VsLastMonth, r.VsLastMonthPct = change(total[12], total[11])
	r.VsLastYear, r.VsLastYearPct = change(total[12], total[0])
	if total[12].Days == 0 {
		r.Error = "no cost values for " + r.Month
	}
	return r
}

// FetchCost reads cfg's metrics for the 13 months ending with end's month
// (daily points) and computes the review.
func FetchCost(ctx context.Context, src Source, cfg CostConfig, end time.Time, loc *time.Location) CostReview {
	if loc == nil {
		loc = time.Local
	}
	from := monthsBack(end, loc)[0]
	refs := append([]MetricRef{}, cfg.Components...)
	if cfg.Total != (MetricRef{}) {
		refs = append(refs, cfg.Total)
	}
	data := map[string][]mackerel.Point{}
	stale := false
	for _, m := range refs {
		v, err := src.ServiceMetricValues(ctx, m.Service, m.Name, from, end, 0)
		if err != nil {
			r := ComputeCost(CostConfig{}, end, loc, nil)
			r.Metrics, r.Error = cfg.String(), fmt.Sprintf("reading %s: %v", m, err)
			return r
		}
		data[m.String()] = v.Value
		stale = stale || v.Stale
	}
	r := ComputeCost(cfg, end, loc, data)
	r.Stale, r.ComputedAt = stale, time.Now()
	return r
}
