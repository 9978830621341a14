package review

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/pwg-team/pwg/integrations/mackerel"
)

// Source reads service metric values; *mackerel.Client is one.
type Source interface {
	ServiceMetricValues(ctx context.Context, service, name string, from, to time.Time, chunk time.Duration) (mackerel.Fetched[[]mackerel.Point], error)
}

// Evaluate reads the metric values of every definition for period p (and
// the window before it) one point a minute, and computes them. The period
// ends at now at the latest. An SLO whose values cannot be read carries the
// reason in Error; the others are still computed. Metrics shared by
// several SLOs are read once.
func Evaluate(ctx context.Context, src Source, defs []Definition, p Period, now time.Time, loc *time.Location) []Result {
	if p.To.After(now) {
		p.To = now
	}
	type key struct {
		service, name string
		from          int64
	}
	type fetched struct {
		pts   []mackerel.Point
		stale bool
		err   error
	}
	var mu sync.Mutex
	memo := map[key]*fetched{}
	get := func(service, name string, from time.Time) *fetched {
		k := key{service, name, from.Unix()}
		mu.Lock()
		f, ok := memo[k]
		mu.Unlock()
		if ok {
			return f
		}
		v, err := src.ServiceMetricValues(ctx, service, name, from, p.To, mackerel.MinuteChunk)
		f = &fetched{pts: v.Value, stale: v.Stale, err: err}
		mu.Lock()
		memo[k] = f
		mu.Unlock()
		return f
	}
	out := make([]Result, 0, len(defs))
	for _, def := range defs {
		window := def.Window
		if window <= 0 {
			window = DefaultWindow
		}
		from := p.From.Truncate(time.Minute).Add(-window)
		var in Input
		var fs []*fetched
		if def.SLI.IsRatio() {
			var g, t *fetched
			var wg sync.WaitGroup
			wg.Add(2)
			go func() { defer wg.Done(); g = get(def.SLI.Service, def.SLI.Good, from) }()
			go func() { defer wg.Done(); t = get(def.SLI.Service, def.SLI.Total, from) }()
			wg.Wait()
			in.Good, in.Total, fs = g.pts, t.pts, []*fetched{g, t}
		} else {
			v := get(def.SLI.Service, def.SLI.Metric, from)
			in.Values, fs = v.pts, []*fetched{v}
		}
		r := Compute(def, p, in, loc)
		for _, f := range fs {
			if f.err != nil {
				r = newResult(def, p, window)
				r.Error = fmt.Sprintf("reading %s: %v", def.SLI, f.err)
				break
			}
			r.Stale = r.Stale || f.stale
		}
		r.ComputedAt = now
		out = append(out, r)
	}
	return out
}
