package mackerel

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"time"
)

// RetryPolicy bounds the retries of a request that failed with 429, a 5xx
// status or a transient network error.
type RetryPolicy struct {
	// Attempts is the number of tries in all (default 4; 1 disables retries).
	Attempts int
	// Base is the first back-off (default 250 ms); each next one doubles,
	// up to Max (default 1 s), with ±25 % jitter.
	Base time.Duration
	Max  time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.Attempts <= 0 {
		p.Attempts = 4
	}
	if p.Base <= 0 {
		p.Base = 250 * time.Millisecond
	}
	if p.Max <= 0 {
		p.Max = time.Second
	}
	return p
}

// backoff returns the pause before try n+1 (n ≥ 1).
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.Base << (n - 1)
	if d > p.Max || d <= 0 {
		d = p.Max
	}
	j := time.Duration(float64(d) * (rand.Float64()*0.5 - 0.25))
	return d + j
}

// retryable reports whether a classified error may succeed on a retry.
// When idempotent is false only 429 is retried: the request was refused
// before it was processed.
func retryable(err error, idempotent bool) bool {
	if errors.Is(err, ErrRateLimited) {
		return true
	}
	return idempotent && errors.Is(err, ErrUnavailable)
}

// retryDo runs op until it succeeds, fails for good or the attempts are
// used up. op returns classified errors.
func retryDo[T any](ctx context.Context, p RetryPolicy, idempotent bool, op func(context.Context) (T, error)) (T, error) {
	var zero T
	for n := 1; ; n++ {
		v, err := op(ctx)
		if err == nil {
			return v, nil
		}
		if n >= p.Attempts || !retryable(err, idempotent) || ctx.Err() != nil {
			if n > 1 {
				return zero, errorWithTries{err, n}
			}
			return zero, err
		}
		t := time.NewTimer(p.backoff(n))
		select {
		case <-ctx.Done():
			t.Stop()
			return zero, ctx.Err()
		case <-t.C:
		}
	}
}

// errorWithTries says how many tries failed.
type errorWithTries struct {
	err   error
	tries int
}

func (e errorWithTries) Error() string {
	return e.err.Error() + " (after " + strconv.Itoa(e.tries) + " tries)"
}

func (e errorWithTries) Unwrap() error { return e.err }
