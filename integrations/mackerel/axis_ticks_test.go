package mackerel

import (
	"testing"
	"time"
)

// An alert timeline counts alerts: its axis never shows half an alert.
func TestCountAxisHasWholeTicks(t *testing.T) {
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	g := AlertTimeline(AlertGroup{MonitorName: "cpu", Alerts: []Alert{{OpenedAt: from.Add(3 * time.Hour)}}},
		from, from.Add(48*time.Hour), time.Hour)
	lo, hi, _ := ValueRange(g.Series)
	ticks := TicksFor(g.Series, lo, hi, 6)
	if len(ticks) < 2 {
		t.Fatalf("ticks %v", ticks)
	}
	for _, v := range ticks {
		if v != float64(int(v)) {
			t.Fatalf("count axis ticks %v: %v is not a whole number", ticks, v)
		}
	}
	// a metric with fractions keeps fine ticks
	frac := []Series{{Points: []Point{{T: 1, V: 0.2}, {T: 2, V: 0.7}}}}
	if ticks := TicksFor(frac, 0.2, 0.7, 6); ticks[1]-ticks[0] >= 1 {
		t.Fatalf("fractional values got ticks %v", ticks)
	}
}
