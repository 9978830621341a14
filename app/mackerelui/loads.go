package mackerelui

import (
	"context"
	"sync"
)

// loads owns a pane's background loads. Each load runs under a context
// that is cancelled when the next load starts or when the pane's life
// (Options.Context) ends: a superseded load stops its requests, and its
// results are dropped instead of overwriting newer ones.
type loads struct {
	mu     sync.Mutex
	cancel context.CancelFunc
}

// next cancels the running load and returns the context of a new one,
// a child of life.
func (l *loads) next(life context.Context) context.Context {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cancel != nil {
		l.cancel()
	}
	ctx, cancel := context.WithCancel(life)
	l.cancel = cancel
	return ctx
}
