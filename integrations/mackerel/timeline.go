package mackerel

import "time"

// AlertTimeline turns an alert group into graph data for a picture: the
// number of the group's alerts open at each moment of [from, to], sampled
// every step (an hour when zero).
func AlertTimeline(g AlertGroup, from, to time.Time, step time.Duration) GraphData {
	if step <= 0 {
		step = time.Hour
	}
	s := Series{Label: "open alerts of " + g.MonitorName}
	for t := from; !t.After(to); t = t.Add(step) {
		end := t.Add(step)
		n := 0
		for _, a := range g.Alerts {
			closed := a.ClosedAt
			if closed.IsZero() {
				closed = to
			}
			if a.OpenedAt.Before(end) && !closed.Before(t) {
				n++
			}
		}
		s.Points = append(s.Points, Point{T: t.Unix(), V: float64(n)})
	}
	return GraphData{From: from, To: to, Series: []Series{s}}
}
