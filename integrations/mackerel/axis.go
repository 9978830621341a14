package mackerel

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Helpers shared by the PNG renderer and the GUI's graph widget.

// NiceTicks returns about n round values spanning [lo, hi], ascending,
// the first ≤ lo and the last ≥ hi.
func NiceTicks(lo, hi float64, n int) []float64 {
	if n < 2 {
		n = 2
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return []float64{0, 1}
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	if hi == lo {
		if lo == 0 {
			hi = 1
		} else {
			lo, hi = lo-math.Abs(lo)*0.1, hi+math.Abs(hi)*0.1
		}
	}
	raw := (hi - lo) / float64(n-1)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	start := math.Floor(lo/step) * step
	var out []float64
	for v := start; ; v += step {
		out = append(out, math.Round(v/step)*step)
		if v >= hi || len(out) > 50 {
			break
		}
	}
	return out
}

// TicksFor is NiceTicks for the values of series: when every value is a
// whole number (counts: alerts per hour, requests), ticks are whole
// numbers too — never 0.5 alerts.
func TicksFor(series []Series, lo, hi float64, n int) []float64 {
	t := NiceTicks(lo, hi, n)
	if len(t) < 2 || t[1]-t[0] >= 1 || !wholeValues(series) {
		return t
	}
	out := []float64{}
	for v := math.Floor(lo); ; v++ {
		out = append(out, v)
		if v >= hi || len(out) > 50 {
			break
		}
	}
	if len(out) < 2 {
		out = append(out, out[0]+1)
	}
	return out
}

func wholeValues(series []Series) bool {
	any := false
	for _, s := range series {
		for _, p := range s.Points {
			if p.V != math.Trunc(p.V) {
				return false
			}
			any = true
		}
	}
	return any
}

// FormatValue formats a value for an axis or a tooltip: 1234 is "1.23k",
// 3.1e9 is "3.1G", 0.5 is "0.5".
func FormatValue(v float64) string {
	a := math.Abs(v)
	suffix := ""
	switch {
	case a >= 1e12:
		v, suffix = v/1e12, "T"
	case a >= 1e9:
		v, suffix = v/1e9, "G"
	case a >= 1e6:
		v, suffix = v/1e6, "M"
	case a >= 1e4:
		v, suffix = v/1e3, "k"
	}
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s + suffix
}

// TimeTicks returns about n tick times in [from, to] at round boundaries
// of loc (days for long periods, hours for short ones).
func TimeTicks(from, to time.Time, n int, loc *time.Location) []time.Time {
	if loc == nil {
		loc = time.Local
	}
	if n < 1 {
		n = 1
	}
	span := to.Sub(from)
	if span <= 0 {
		return nil
	}
	steps := []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
		24 * time.Hour, 2 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 28 * 24 * time.Hour}
	step := steps[len(steps)-1]
	for _, s := range steps {
		if span/s <= time.Duration(n) {
			step = s
			break
		}
	}
	f := from.In(loc)
	var t time.Time
	if step >= 24*time.Hour {
		t = time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc)
	} else {
		t = f.Truncate(step)
	}
	var out []time.Time
	for ; !t.After(to); t = advance(t, step) {
		if !t.Before(from) {
			out = append(out, t)
		}
	}
	return out
}

func advance(t time.Time, step time.Duration) time.Time {
	if step >= 24*time.Hour {
		return t.AddDate(0, 0, int(step/(24*time.Hour)))
	}
	return t.Add(step)
}

// TimeLabel formats a tick: the date for day ticks, the time otherwise.
func TimeLabel(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.Local
	}
	t = t.In(loc)
	if t.Hour() == 0 && t.Minute() == 0 {
		return t.Format("01/02")
	}
	return t.Format("15:04")
}

// ValueRange returns the smallest and largest value of the series and the
// extra values (reference lines); ok is false when there is none. The range
// starts at 0 for values that are all positive, as Mackerel draws them.
func ValueRange(series []Series, extra ...float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, p := range s.Points {
			lo, hi = math.Min(lo, p.V), math.Max(hi, p.V)
		}
	}
	for _, v := range extra {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if math.IsInf(lo, 0) {
		return 0, 1, false
	}
	if lo > 0 {
		lo = 0
	}
	return lo, hi, true
}

// Decimate keeps at most the first, minimum, maximum and last point of
// each of buckets equal time slices of [from, to], so a line drawn through
// the result looks like one drawn through every point.
func Decimate(pts []Point, from, to int64, buckets int) []Point {
	if buckets < 1 || len(pts) <= 4*buckets || to <= from {
		return pts
	}
	out := make([]Point, 0, 4*buckets)
	width := float64(to-from) / float64(buckets)
	i := 0
	for i < len(pts) {
		b := int(float64(pts[i].T-from) / width)
		j := i
		lo, hi := i, i
		for j < len(pts) && int(float64(pts[j].T-from)/width) == b {
			if pts[j].V < pts[lo].V {
				lo = j
			}
			if pts[j].V > pts[hi].V {
				hi = j
			}
			j++
		}
		idx := []int{i, lo, hi, j - 1}
		// keep time order, no duplicates
		for k := 1; k < len(idx); k++ {
			for m := k; m > 0 && idx[m] < idx[m-1]; m-- {
				idx[m], idx[m-1] = idx[m-1], idx[m]
			}
		}
		last := -1
		for _, k := range idx {
			if k != last {
				out = append(out, pts[k])
				last = k
			}
		}
		i = j
	}
	return out
}
