package crdt

import (
	"sync"

	"github.com/automerge/automerge-go"
)

// Event says that a document changed: a local edit (Local) or changes merged
// from a peer. For meetings, Sections lists the sections whose notes changed
// in a merge, so an open editor knows to take the new text.
type Event struct {
	DocID    string
	Local    bool
	Heads    []automerge.ChangeHash
	Sections []string
}

// bus delivers events to subscribers without ever blocking the publisher:
// each subscriber has its own unbounded queue drained by a goroutine.
type bus struct {
	mu   sync.Mutex
	subs map[*subscriber]struct{}
}

type subscriber struct {
	mu    sync.Mutex
	queue []Event
	wake  chan struct{}
	out   chan Event
	done  chan struct{}
	stop  sync.Once
}

func (s *subscriber) close() { s.stop.Do(func() { close(s.done) }) }

func (b *bus) subscribe() (<-chan Event, func()) {
	s := &subscriber{wake: make(chan struct{}, 1), out: make(chan Event), done: make(chan struct{})}
	b.mu.Lock()
	if b.subs == nil {
		b.subs = map[*subscriber]struct{}{}
	}
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	go s.run()
	return s.out, func() {
		b.mu.Lock()
		delete(b.subs, s)
		b.mu.Unlock()
		s.close()
	}
}

func (s *subscriber) run() {
	defer close(s.out)
	for {
		s.mu.Lock()
		if len(s.queue) == 0 {
			s.mu.Unlock()
			select {
			case <-s.wake:
				continue
			case <-s.done:
				return
			}
		}
		ev := s.queue[0]
		s.queue = s.queue[1:]
		s.mu.Unlock()
		select {
		case s.out <- ev:
		case <-s.done:
			return
		}
	}
}

func (b *bus) publish(ev Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		s.mu.Lock()
		s.queue = append(s.queue, ev)
		s.mu.Unlock()
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

func (b *bus) closeAll() {
	b.mu.Lock()
	subs := b.subs
	b.subs = nil
	b.mu.Unlock()
	for s := range subs {
		s.close()
	}
}
