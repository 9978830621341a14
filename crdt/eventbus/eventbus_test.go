package eventbus_test

import (
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/eventbus"
)

func TestOrderNoBlockingAndStop(t *testing.T) {
	var b eventbus.Bus[int]
	ch, stop := b.Subscribe()
	for i := 0; i < 1000; i++ { // nobody reads yet: must not block
		b.Publish(i)
	}
	for i := 0; i < 1000; i++ {
		select {
		case got := <-ch:
			if got != i {
				t.Fatalf("got %d, want %d", got, i)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("event not delivered")
		}
	}
	b.Close()
	stop() // after Close: no panic
	stop()
	select {
	case _, ok := <-ch:
		if ok {
			t.Fatal("event after stop")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("channel not closed after stop")
	}
}
