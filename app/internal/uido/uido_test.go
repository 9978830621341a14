package uido_test

import (
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/app/internal/uido"
)

// TestDoRunsOnePieceAtATime: with the test driver, which runs f on the
// calling goroutine, a second goroutine's f waits for the first's to end.
func TestDoRunsOnePieceAtATime(t *testing.T) {
	test.NewTempApp(t)
	in, release, second := make(chan struct{}), make(chan struct{}), make(chan bool, 1)
	var firstDone atomic.Bool
	go uido.Do(func() {
		close(in)
		<-release
		firstDone.Store(true)
	})
	<-in
	go uido.DoAndWait(func() { second <- firstDone.Load() })
	select {
	case <-second:
		t.Fatal("the second piece ran while the first was running")
	default:
	}
	close(release)
	select {
	case after := <-second:
		if !after {
			t.Fatal("the second piece ran before the first ended")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the second piece never ran")
	}
}
