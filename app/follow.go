package app

import (
	"context"
	"time"
)

// follow hands each event of events to apply on the UI goroutine (onUI)
// until ctx ends or events closes, then calls stop: the one way the window
// follows a subscription (documents, the sync node).
func follow[T any](ctx context.Context, events <-chan T, stop func(), apply func(T)) {
	go func() {
		defer stop()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-events:
				if !ok {
					return
				}
				onUI(func() { apply(ev) })
			}
		}
	}()
}

// every runs fn on the UI goroutine every period until ctx ends.
func every(ctx context.Context, period time.Duration, fn func()) {
	go func() {
		tick := time.NewTicker(period)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				onUI(fn)
			}
		}
	}()
}
