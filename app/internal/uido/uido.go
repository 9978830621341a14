// Package uido hands work from the window's background goroutines to
// Fyne's UI goroutine, one piece at a time.
//
// fyne.Do queues f for the UI goroutine with the real driver, but Fyne's
// test driver runs f at once on the calling goroutine: two background
// goroutines calling fyne.Do could then lay out and shape text at the same
// time (a go-text shaping panic was seen once, and the race detector sees
// Fyne's caches written from both). Do holds one lock for the whole app
// (package app and its panes) while handing f over, so in tests the pieces
// run one after another; with the real driver the lock is held only while
// f is queued.
package uido

import (
	"sync"

	"fyne.io/fyne/v2"
)

var mu sync.Mutex

// Do hands f to the UI goroutine. f must not call Do or DoAndWait itself.
func Do(f func()) {
	mu.Lock()
	defer mu.Unlock()
	fyne.Do(f)
}

// DoAndWait hands f to the UI goroutine and waits until it ran. It must not
// be called on the UI goroutine.
func DoAndWait(f func()) {
	done := make(chan struct{})
	Do(func() {
		defer close(done)
		f()
	})
	<-done
}
