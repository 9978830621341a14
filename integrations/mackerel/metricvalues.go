package mackerel

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// MinuteChunk is the longest span Mackerel answers with one point a minute.
// A longer span comes back rolled up (5 minutes up to 7 days, an hour up to
// 31 days, a day beyond).
const MinuteChunk = 24 * time.Hour

// ServiceMetricValues reads the service metric name over [from, to], in
// requests of at most chunk each (MinuteChunk for one point a minute; 0 for
// a single request, Mackerel's rolled-up resolution). Chunks are read four
// at a time and cached one by one, so the days of a long window read once
// stay in the cache (chunks are aligned to multiples of chunk since the
// epoch: UTC days); when some chunk had to come from the cache the result
// is Stale, with the oldest fetch time. Points are in time order.
func (c *Client) ServiceMetricValues(ctx context.Context, service, name string, from, to time.Time, chunk time.Duration) (Fetched[[]Point], error) {
	if service == "" || name == "" {
		return Fetched[[]Point]{}, fmt.Errorf("%w: a service metric needs a service and a name", ErrRejected)
	}
	if to.Before(from) {
		return Fetched[[]Point]{}, fmt.Errorf("%w: %s of %s: the period ends before it starts", ErrRejected, name, service)
	}
	type span struct{ from, to int64 }
	var spans []span
	f, t := from.Unix(), to.Unix()
	if chunk <= 0 {
		spans = []span{{f, t}}
	} else {
		// chunks end on multiples of the chunk since the epoch (UTC days),
		// so the days of overlapping periods share their cache entries
		step := int64(chunk / time.Second)
		for s := f; s <= t; {
			e := min((s/step+1)*step-1, t)
			spans = append(spans, span{s, e})
			s = e + 1
		}
	}
	results := make([]Fetched[[]Point], len(spans))
	errs := make([]error, len(spans))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, sp := range spans {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			key := fmt.Sprintf("svcvalues:%s:%s:%d:%d", service, name, sp.from, sp.to)
			results[i], errs[i] = read(ctx, c, key, func(ctx context.Context) ([]Point, error) {
				vs, err := c.api.FetchServiceMetricValuesContext(ctx, service, name, sp.from, sp.to)
				if err != nil {
					return nil, fmt.Errorf("%s of service %s: %w", name, service, classify(err))
				}
				return toPoints(vs), nil
			})
			if errs[i] != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	if err := firstCause(errs); err != nil {
		return Fetched[[]Point]{}, err
	}
	out := Fetched[[]Point]{FetchedAt: c.now()}
	for _, r := range results {
		if r.Stale {
			out.Stale, out.Cause = true, r.Cause
		}
		if r.FetchedAt.Before(out.FetchedAt) {
			out.FetchedAt = r.FetchedAt
		}
		out.Value = append(out.Value, r.Value...)
	}
	return out, nil
}

// firstCause returns the first error that is not a cancellation caused by
// another chunk's failure, or the first error.
func firstCause(errs []error) error {
	var first error
	for _, err := range errs {
		if err == nil {
			continue
		}
		if !errors.Is(err, context.Canceled) {
			return err
		}
		if first == nil {
			first = err
		}
	}
	return first
}
