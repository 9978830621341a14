package joincode

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/schollz/pake/v3"
)

// MaxTries is how many exchanges a code allows before it is burnt: every
// exchange started counts until one succeeds (an abandoned one too).
const MaxTries = 3

// ErrExpired ends an offer whose lifetime passed unused.
var ErrExpired = errors.New("the join code expired unused")

// ErrBurnt ends an offer after MaxTries failed tries.
var ErrBurnt = errors.New("the join code was burnt by wrong tries")

// ErrCancelled ends an offer withdrawn by the inviting side.
var ErrCancelled = errors.New("the join code was withdrawn")

// Host keeps the codes this device offers and answers exchanges for them.
// Safe for concurrent use.
type Host struct {
	mu     sync.Mutex
	offers map[int]*Offer // by nameplate
}

// NewHost returns a host with no offers.
func NewHost() *Host { return &Host{offers: map[int]*Offer{}} }

// Outcome is how an offer ended: a device joined (Joined), or Err
// (ErrExpired, ErrBurnt, ErrCancelled).
type Outcome struct {
	Joined Hello
	Err    error
}

// Offer is one code offered for one use.
type Offer struct {
	h       *Host
	code    Code
	expires time.Time
	payload func(Hello) ([]byte, error)
	done    chan Outcome
	endc    chan struct{}
	fin     chan struct{}
	timer   *time.Timer

	// guarded by h.mu
	tries   int
	ended   bool
	outcome *Outcome
}

// Code returns the offer's code.
func (o *Offer) Code() Code { return o.code }

// Expires returns when the code stops working.
func (o *Offer) Expires() time.Time { return o.expires }

// Done delivers the offer's outcome once.
func (o *Offer) Done() <-chan Outcome { return o.done }

// Ended is closed once the code stops working (used, expired, burnt or
// withdrawn), before its outcome is known.
func (o *Offer) Ended() <-chan struct{} { return o.endc }

// Peek returns the outcome once it is known (Finished is closed), without
// taking it from Done; nil before.
func (o *Offer) Peek() *Outcome {
	o.h.mu.Lock()
	defer o.h.mu.Unlock()
	return o.outcome
}

// Finished is closed once the outcome is known (see Peek).
func (o *Offer) Finished() <-chan struct{} { return o.fin }

// finish records the offer's outcome (once).
func (o *Offer) finish(out Outcome) {
	o.h.mu.Lock()
	o.outcome = &out
	o.h.mu.Unlock()
	o.done <- out
	close(o.fin)
}

// Cancel withdraws the code (nothing happens if it already ended).
func (o *Offer) Cancel() { o.end(Outcome{Err: ErrCancelled}) }

// end ends the offer once; callers must not hold h.mu.
func (o *Offer) end(out Outcome) {
	o.h.mu.Lock()
	first := !o.ended
	o.endLocked()
	o.h.mu.Unlock()
	if first {
		o.finish(out)
	}
}

func (o *Offer) endLocked() {
	if !o.ended {
		close(o.endc)
	}
	o.ended = true
	o.timer.Stop()
	if o.h.offers[o.code.Nameplate] == o {
		delete(o.h.offers, o.code.Nameplate)
	}
}

// Offer makes a new code, valid for ttl and one use. payload is called
// with the joining device's hello once it proved it has the code; what it
// returns is sent to that device, sealed.
func (h *Host) Offer(ttl time.Duration, payload func(Hello) ([]byte, error)) (*Offer, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var code Code
	for i := 0; ; i++ {
		c, err := New()
		if err != nil {
			return nil, err
		}
		if h.offers[c.Nameplate] == nil {
			code = c
			break
		}
		if i > 4*MaxNameplate {
			return nil, fmt.Errorf("too many join codes offered at once (%d)", len(h.offers))
		}
	}
	o := &Offer{h: h, code: code, expires: time.Now().Add(ttl), payload: payload, done: make(chan Outcome, 1), endc: make(chan struct{}), fin: make(chan struct{})}
	o.timer = time.AfterFunc(ttl, func() { o.end(Outcome{Err: ErrExpired}) })
	h.offers[code.Nameplate] = o
	return o, nil
}

// Active returns the codes on offer now.
func (h *Host) Active() []Code {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Code, 0, len(h.offers))
	for _, o := range h.offers {
		out = append(out, o.code)
	}
	return out
}

// Serve answers one exchange on rw, whose Magic has already been read (the
// caller sets the connection's deadline). It returns nil when a device
// joined, else why not.
func (h *Host) Serve(rw io.ReadWriter) error {
	m, err := recv(rw)
	if err != nil {
		return err
	}
	h.mu.Lock()
	o := h.offers[m.Nameplate]
	if o != nil && time.Now().After(o.expires) {
		o.endLocked() // the timer's outcome follows
		o = nil
	}
	if o == nil {
		h.mu.Unlock()
		_ = send(rw, wire{Err: "gone"})
		return ErrCodeGone
	}
	o.tries++
	left := MaxTries - o.tries
	burnt := left <= 0
	if burnt {
		// the last try: nobody else may start one while it runs
		delete(h.offers, o.code.Nameplate)
	}
	h.mu.Unlock()
	if err := o.exchange(rw, m, left); err != nil {
		if burnt {
			o.end(Outcome{Err: ErrBurnt})
		}
		return err
	}
	return nil
}

func (o *Offer) exchange(rw io.ReadWriter, first wire, left int) error {
	var b *pake.Pake
	err := pakeStep(func() (err error) {
		if b, err = pake.InitCurve(o.code.password(), 1, curve); err != nil {
			return err
		}
		return b.Update(first.Pake)
	})
	if err != nil {
		return err
	}
	if err := send(rw, wire{Pake: b.Bytes()}); err != nil {
		return err
	}
	up, down, err := keys(b, o.code.Nameplate)
	if err != nil {
		return err
	}
	m, err := recv(rw)
	if err != nil {
		return err
	}
	raw, err := open(up, m.Sealed)
	if err != nil {
		_ = send(rw, wire{Err: "wrong", Left: max(left, 0)})
		return ErrWrongCode
	}
	var hello Hello
	if err := cbor.Unmarshal(raw, &hello); err != nil {
		return fmt.Errorf("%w: %v", ErrProtocol, err)
	}
	// one use: claim the offer before anything is handed out
	o.h.mu.Lock()
	if o.ended {
		o.h.mu.Unlock()
		_ = send(rw, wire{Err: "gone"})
		return ErrCodeGone
	}
	o.endLocked()
	o.h.mu.Unlock()
	payload, err := o.payload(hello)
	if err != nil {
		o.finish(Outcome{Err: err})
		_ = send(rw, wire{Err: "gone"})
		return err
	}
	if err := send(rw, wire{Sealed: seal(down, payload)}); err != nil {
		o.finish(Outcome{Err: err})
		return err
	}
	o.finish(Outcome{Joined: hello})
	return nil
}
