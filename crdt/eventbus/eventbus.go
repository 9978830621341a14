// Package eventbus delivers events to subscribers without ever blocking the
// publisher: each subscriber has its own unbounded queue drained by a
// goroutine into its channel. The documents (crdt) and the sync engine both
// publish through it.
package eventbus

import "sync"

// Bus is a publish/subscribe bus of T. The zero value is ready to use.
type Bus[T any] struct {
	mu   sync.Mutex
	subs map[*sub[T]]struct{}
}

type sub[T any] struct {
	mu    sync.Mutex
	queue []T
	wake  chan struct{}
	out   chan T
	done  chan struct{}
	stop  sync.Once
}

func (s *sub[T]) close() { s.stop.Do(func() { close(s.done) }) }

// Subscribe returns a channel of events published from now on, and a
// function that stops the subscription (safe to call more than once, and
// after Close). The channel is closed once stopped.
func (b *Bus[T]) Subscribe() (<-chan T, func()) {
	s := &sub[T]{wake: make(chan struct{}, 1), out: make(chan T), done: make(chan struct{})}
	b.mu.Lock()
	if b.subs == nil {
		b.subs = map[*sub[T]]struct{}{}
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

func (s *sub[T]) run() {
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

// Publish queues ev for every subscriber; it never blocks on a slow one.
func (b *Bus[T]) Publish(ev T) {
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

// Close ends every subscription.
func (b *Bus[T]) Close() {
	b.mu.Lock()
	subs := b.subs
	b.subs = nil
	b.mu.Unlock()
	for s := range subs {
		s.close()
	}
}
