package wsnet

import (
	"errors"
	"io"
	"runtime/debug"
	"slices"
	"sync"
	"time"
)

// Bounds of the unauthenticated clients a Server takes.
const (
	// DefaultMaxClients bounds the automerge-repo clients served at once.
	DefaultMaxClients = 64
	// DefaultMaxInFlight bounds the bytes of messages that all open
	// connections may have in flight together (being read, or read and not
	// yet handled): nobody authenticated them, so together they get no more
	// than one of the largest messages; a client over the bound is dropped
	// and tries again (automerge-repo's client reconnects every 5 s).
	DefaultMaxInFlight = MaxMessage
)

// ErrInFlight is the reason a connection is dropped when the open
// connections together already have DefaultMaxInFlight bytes in flight.
var ErrInFlight = errors.New("open connections have too much data in flight; try again later")

// Limits bound what a Server's unauthenticated clients may take; zero
// fields take the defaults.
type Limits struct {
	Clients  int   // DefaultMaxClients
	InFlight int64 // DefaultMaxInFlight
}

func (l Limits) withDefaults() Limits {
	if l.Clients <= 0 {
		l.Clients = DefaultMaxClients
	}
	if l.InFlight <= 0 {
		l.InFlight = DefaultMaxInFlight
	}
	return l
}

// budget counts the bytes that open connections hold, against a limit.
type budget struct {
	mu          sync.Mutex
	used, peak  int64
	limit       int64
	refusedMsgs int64
	freeing     bool // a return of memory to the system is scheduled
}

func (b *budget) take(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit {
		b.refusedMsgs++
		return false
	}
	b.used += n
	b.peak = max(b.peak, b.used)
	return true
}

func (b *budget) give(n int64) {
	b.mu.Lock()
	b.used -= n
	schedule := n >= bigRelease && !b.freeing
	if schedule {
		b.freeing = true
	}
	b.mu.Unlock()
	if schedule {
		// Buffers of tens of megabytes from strangers: give the memory back
		// to the system soon rather than keep it in the heap for minutes
		// (eight 60 MiB messages left pwg serve at 1.44 GB). Releases
		// within freeAfter share one return.
		time.AfterFunc(freeAfter, func() {
			b.mu.Lock()
			b.freeing = false
			b.mu.Unlock()
			debug.FreeOSMemory()
		})
	}
}

const (
	bigRelease = 8 << 20                // a release this large returns memory to the system
	freeAfter  = 500 * time.Millisecond // after this pause (one return for a burst)
)

// readBudgeted reads r to its end into a buffer that grows (doubling, from
// 64 KiB) only as far as b grants. It returns the bytes taken from b, which
// the caller gives back once the message is handled (on error it gave them
// back already).
func readBudgeted(r io.Reader, b *budget) (buf []byte, taken int64, err error) {
	for {
		if len(buf) == cap(buf) {
			grow := max(64<<10, cap(buf))
			if !b.take(int64(grow)) {
				b.give(taken)
				return nil, 0, ErrInFlight
			}
			taken += int64(grow)
			buf = slices.Grow(buf, grow)
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, taken, nil
		}
		if err != nil {
			b.give(taken)
			return nil, 0, err
		}
	}
}
