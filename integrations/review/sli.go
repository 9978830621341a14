package review

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Errors callers branch on.
var (
	// ErrBadSLI is returned for an SLI, objective or window that cannot be
	// read; the message says what was expected.
	ErrBadSLI = errors.New("bad SLO definition")
	// ErrNoData is returned when a period has no counted minute at all.
	ErrNoData = errors.New("no metric values in the period")
)

// Comparison operators of a threshold SLI.
var operators = []string{"<=", ">=", "<", ">"}

// SLI is a service level indicator in Mackerel terms: a ratio of two
// service metrics (Good / Total) or a threshold on one (Metric Op
// Threshold, per minute).
type SLI struct {
	Service   string  `json:"service"`
	Good      string  `json:"good,omitempty"`
	Total     string  `json:"total,omitempty"`
	Metric    string  `json:"metric,omitempty"`
	Op        string  `json:"op,omitempty"`
	Threshold float64 `json:"threshold,omitempty"`
}

// IsRatio reports whether s is a ratio SLI (otherwise a threshold one).
func (s SLI) IsRatio() bool { return s.Good != "" }

// String writes s in the syntax ParseSLI reads.
func (s SLI) String() string {
	if s.IsRatio() {
		return fmt.Sprintf("%s: %s / %s", s.Service, s.Good, s.Total)
	}
	return fmt.Sprintf("%s: %s %s %s", s.Service, s.Metric, s.Op, strconv.FormatFloat(s.Threshold, 'f', -1, 64))
}

// Unit is what the SLI counts: "events" (ratio) or "minutes".
func (s SLI) Unit() string {
	if s.IsRatio() {
		return "events"
	}
	return "minutes"
}

// ParseSLI reads "service: good / total" or "service: metric OP number"
// (OP one of <=, <, >=, >).
func ParseSLI(text string) (SLI, error) {
	bad := func(why string) (SLI, error) {
		return SLI{}, fmt.Errorf("%w: SLI %q: %s; want \"service: good / total\" or \"service: metric <= number\"", ErrBadSLI, text, why)
	}
	svc, rest, ok := strings.Cut(text, ":")
	svc, rest = strings.TrimSpace(svc), strings.TrimSpace(rest)
	if !ok || svc == "" || strings.ContainsAny(svc, " \t") {
		return bad("no service")
	}
	if good, total, ok := strings.Cut(rest, "/"); ok {
		good, total = strings.TrimSpace(good), strings.TrimSpace(total)
		if !metricName(good) || !metricName(total) {
			return bad("two metric names around /")
		}
		return SLI{Service: svc, Good: good, Total: total}, nil
	}
	for _, op := range operators {
		m, num, ok := strings.Cut(rest, op)
		if !ok {
			continue
		}
		m = strings.TrimSpace(m)
		v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return bad("a number after " + op)
		}
		if !metricName(m) {
			return bad("a metric name before " + op)
		}
		return SLI{Service: svc, Metric: m, Op: op, Threshold: v}, nil
	}
	return bad("neither / nor a comparison")
}

func metricName(s string) bool {
	return s != "" && !strings.ContainsAny(s, " \t/<>=:")
}

// good reports whether a threshold SLI's value v is good.
func (s SLI) good(v float64) bool {
	switch s.Op {
	case "<=":
		return v <= s.Threshold
	case "<":
		return v < s.Threshold
	case ">=":
		return v >= s.Threshold
	default:
		return v > s.Threshold
	}
}

// ParseObjective reads "99.9%", "99.9" (a percentage) or "0.999" (a
// fraction) and returns the fraction, which must lie in (0, 1).
func ParseObjective(text string) (float64, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text), "%"))
	v, err := strconv.ParseFloat(t, 64)
	if err == nil && (strings.HasSuffix(strings.TrimSpace(text), "%") || v >= 1) {
		v /= 100
	}
	if err != nil || !(v > 0 && v < 1) {
		return 0, fmt.Errorf("%w: objective %q: want a percentage below 100 such as 99.9%%", ErrBadSLI, text)
	}
	return v, nil
}

// DefaultWindow is the rolling window of an SLO that names none.
const DefaultWindow = 28 * 24 * time.Hour

// ParseWindow reads a window in days: "28d", "28" or "" (DefaultWindow).
func ParseWindow(text string) (time.Duration, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text), "d"))
	if t == "" {
		return DefaultWindow, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 1 || n > 366 {
		return 0, fmt.Errorf("%w: window %q: want days such as 28d (1 to 366)", ErrBadSLI, text)
	}
	return time.Duration(n) * 24 * time.Hour, nil
}

// FormatWindow writes a window as ParseWindow reads it ("28d").
func FormatWindow(w time.Duration) string { return fmt.Sprintf("%dd", int(w/(24*time.Hour))) }

// FormatPercent writes a fraction as a percentage: up to three decimals
// between 90 % and 100 % (where the nines matter: "99.95%"), one
// elsewhere ("-88.4%"); "–" for a missing value.
func FormatPercent(v Num) string {
	if !v.Valid() {
		return "–"
	}
	scale := 10.0
	if v >= 0.9 && v <= 1 {
		scale = 1000
	}
	s := strconv.FormatFloat(math.Round(float64(v)*100*scale)/scale, 'f', -1, 64)
	return s + "%"
}

// Definition is an SLO to compute.
type Definition struct {
	Name      string
	SLI       SLI
	Objective float64       // fraction, e.g. 0.999
	Window    time.Duration // rolling window of the error budget
	// MissingAsBad counts minutes without a point as bad minutes (threshold
	// SLIs only; see the package documentation).
	MissingAsBad bool
}

// Num is a number that may be missing (NaN); it is null in JSON.
type Num float64

// None is a missing Num.
var None = Num(math.NaN())

// Valid reports whether n is a number.
func (n Num) Valid() bool { return !math.IsNaN(float64(n)) && !math.IsInf(float64(n), 0) }

// MarshalJSON writes null for a missing number.
func (n Num) MarshalJSON() ([]byte, error) {
	if !n.Valid() {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(n), 'g', -1, 64), nil
}

// UnmarshalJSON reads null as a missing number.
func (n *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = None
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("number %s: %w", b, err)
	}
	*n = Num(v)
	return nil
}
