package review

import (
	"math"
	"time"

	"github.com/pwg-team/pwg/integrations/mackerel"
)

// Period is the review period [From, To).
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// BudgetPoint is the error budget left at a moment.
type BudgetPoint struct {
	At        time.Time `json:"at"`
	Remaining Num       `json:"remaining"`
}

// Result is an SLO computed over a review period: the numbers kept in the
// minutes as a snapshot.
type Result struct {
	Name      string  `json:"name"`
	SLI       string  `json:"sli"`
	Objective float64 `json:"objective"`
	Window    string  `json:"window"` // "28d"
	Period    Period  `json:"period"`
	// Attainment is good / total over the period; Met when it reaches the
	// objective.
	Attainment Num  `json:"attainment"`
	Met        bool `json:"met"`
	// Good and Total are the period's counted events (requests for a
	// ratio SLI, minutes for a threshold SLI, see Unit).
	Good  float64 `json:"good"`
	Total float64 `json:"total"`
	Unit  string  `json:"unit"`
	// Minutes is the period's length in minutes; Missing how many of them
	// had no point (see the package documentation).
	Minutes int `json:"minutes"`
	Missing int `json:"missingMinutes"`
	// BudgetStart and BudgetEnd are the error budget left (1 = untouched,
	// below 0 overspent) of the window ending at the period's start / end.
	BudgetStart Num `json:"budgetStart"`
	BudgetEnd   Num `json:"budgetEnd"`
	// BurnRate is the period's bad share over the allowed one.
	BurnRate Num `json:"burnRate"`
	// WorstDay is the day (YYYY-MM-DD) of lowest attainment.
	WorstDay           string        `json:"worstDay,omitempty"`
	WorstDayAttainment Num           `json:"worstDayAttainment"`
	Budget             []BudgetPoint `json:"budget"`
	// Error says why the SLO could not be computed (then the numbers are
	// missing).
	Error string `json:"error,omitempty"`
	// Stale is set when some values came from the offline cache.
	Stale bool `json:"stale,omitempty"`
	// ComputedAt is when the numbers were computed (Evaluate's now).
	ComputedAt time.Time `json:"computedAt,omitzero"`
}

// Input is the metric values of one SLO: Good and Total for a ratio SLI,
// Values for a threshold SLI. They must cover [period.From − window,
// period.To).
type Input struct {
	Good, Total, Values []mackerel.Point
}

// minuteSums holds prefix sums over the minutes from base: good and total
// events and missing minutes before minute i.
type minuteSums struct {
	base    int64
	good    []float64
	total   []float64
	missing []int32
}

func (s *minuteSums) index(t time.Time) int {
	i := (t.Unix() - s.base) / 60
	return int(max(0, min(i, int64(len(s.good)-1))))
}

func (s *minuteSums) sums(i, j int) (good, total float64, missing int) {
	return s.good[j] - s.good[i], s.total[j] - s.total[i], int(s.missing[j] - s.missing[i])
}

// place spreads points over n minutes from base; absent minutes are NaN.
func place(pts []mackerel.Point, base int64, n int, buf []float64) []float64 {
	if cap(buf) < n {
		buf = make([]float64, n)
	}
	buf = buf[:n]
	for i := range buf {
		buf[i] = math.NaN()
	}
	for _, p := range pts {
		i := (p.T - base) / 60
		if p.T >= base && i < int64(n) && !math.IsNaN(p.V) {
			buf[i] = p.V
		}
	}
	return buf
}

func buildSums(def Definition, in Input, base int64, n int) *minuteSums {
	s := &minuteSums{base: base, good: make([]float64, n+1), total: make([]float64, n+1), missing: make([]int32, n+1)}
	if def.SLI.IsRatio() {
		gv := place(in.Good, base, n, nil)
		tv := place(in.Total, base, n, nil)
		for i := 0; i < n; i++ {
			g, t, miss := 0.0, 0.0, int32(0)
			if math.IsNaN(gv[i]) || math.IsNaN(tv[i]) {
				miss = 1
			} else {
				t = max(tv[i], 0)
				g = max(0, min(gv[i], t))
			}
			s.good[i+1], s.total[i+1], s.missing[i+1] = s.good[i]+g, s.total[i]+t, s.missing[i]+miss
		}
		return s
	}
	vv := place(in.Values, base, n, nil)
	for i := 0; i < n; i++ {
		g, t, miss := 0.0, 0.0, int32(0)
		switch {
		case math.IsNaN(vv[i]):
			miss = 1
			if def.MissingAsBad {
				t = 1
			}
		case def.SLI.good(vv[i]):
			g, t = 1, 1
		default:
			t = 1
		}
		s.good[i+1], s.total[i+1], s.missing[i+1] = s.good[i]+g, s.total[i]+t, s.missing[i]+miss
	}
	return s
}

// newResult is def's result before computing: every number missing.
func newResult(def Definition, p Period, window time.Duration) Result {
	return Result{Name: def.Name, SLI: def.SLI.String(), Objective: def.Objective, Window: FormatWindow(window),
		Period: p, Unit: def.SLI.Unit(), Attainment: None, BudgetStart: None, BudgetEnd: None, BurnRate: None,
		WorstDayAttainment: None}
}

// Failed is the result of an SLO that could not be computed (a wrong
// definition): every number missing, the reason in Error.
func Failed(name, sli string, p Period, err error) Result {
	return Result{Name: name, SLI: sli, Period: p, Attainment: None, BudgetStart: None, BudgetEnd: None,
		BurnRate: None, WorstDayAttainment: None, Error: err.Error()}
}

func ratio(good, total float64) Num {
	if total <= 0 {
		return None
	}
	return Num(good / total)
}

// Compute computes def over period p from its metric values; days are
// calendar days in loc.
func Compute(def Definition, p Period, in Input, loc *time.Location) Result {
	if loc == nil {
		loc = time.Local
	}
	window := def.Window
	if window <= 0 {
		window = DefaultWindow
	}
	r := newResult(def, p, window)
	from, to := p.From.Truncate(time.Minute), p.To.Truncate(time.Minute)
	if !to.After(from) {
		r.Error = "the period is empty"
		return r
	}
	base := from.Add(-window).Unix()
	n := int((to.Unix() - base) / 60)
	s := buildSums(def, in, base, n)
	wMin := int(window / time.Minute)
	budget := func(at time.Time) Num {
		j := s.index(at)
		g, t, _ := s.sums(max(0, j-wMin), j)
		if t <= 0 {
			return None
		}
		return Num(1 - (t-g)/((1-def.Objective)*t))
	}

	p0, p1 := s.index(from), n
	r.Good, r.Total, r.Missing = s.sums(p0, p1)
	r.Minutes = p1 - p0
	r.Attainment = ratio(r.Good, r.Total)
	if r.Attainment.Valid() {
		r.Met = float64(r.Attainment) >= def.Objective
		r.BurnRate = Num((1 - float64(r.Attainment)) / (1 - def.Objective))
	} else {
		r.Error = ErrNoData.Error()
	}
	r.BudgetStart, r.BudgetEnd = budget(from), budget(to)

	// days of the period, and the budget at each midnight
	r.Budget = append(r.Budget, BudgetPoint{At: from, Remaining: r.BudgetStart})
	for day := from; day.Before(to); {
		y, m, d := day.In(loc).Date()
		next := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
		if next.After(to) {
			next = to
		}
		g, t, _ := s.sums(s.index(day), s.index(next))
		if a := ratio(g, t); a.Valid() && (!r.WorstDayAttainment.Valid() || a < r.WorstDayAttainment) {
			r.WorstDay, r.WorstDayAttainment = day.In(loc).Format(time.DateOnly), a
		}
		r.Budget = append(r.Budget, BudgetPoint{At: next, Remaining: budget(next)})
		day = next
	}
	return r
}
