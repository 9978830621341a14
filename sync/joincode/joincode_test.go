package joincode_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pwg-team/pwg/sync/joincode"
)

// exchange runs one exchange over a pipe: the joining side with code, the
// host's Serve on the other end (after reading Magic, as a listener does).
func exchange(t *testing.T, h *joincode.Host, code joincode.Code) ([]byte, error, error) {
	t.Helper()
	a, b := net.Pipe()
	defer a.Close()
	served := make(chan error, 1)
	go func() {
		defer b.Close()
		magic := make([]byte, len(joincode.Magic))
		if _, err := io.ReadFull(b, magic); err != nil || string(magic) != joincode.Magic {
			served <- errors.New("no magic")
			return
		}
		served <- h.Serve(b)
	}()
	_ = a.SetDeadline(time.Now().Add(10 * time.Second))
	payload, err := joincode.Join(a, code, joincode.Hello{Fingerprint: "FP", Name: "new laptop"})
	a.Close()
	return payload, err, <-served
}

func TestJoinWithTheCode(t *testing.T) {
	h := joincode.NewHost()
	o, err := h.Offer(time.Minute, func(hello joincode.Hello) ([]byte, error) {
		return []byte("team key for " + hello.Name), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	typed, err := joincode.Parse(strings.ToUpper(strings.ReplaceAll(o.Code().String(), "-", " ")))
	if err != nil || typed != o.Code() {
		t.Fatalf("parse %q: %v %v", o.Code(), typed, err)
	}
	payload, err, serr := exchange(t, h, typed)
	if err != nil || serr != nil {
		t.Fatalf("join: %v; host: %v", err, serr)
	}
	if string(payload) != "team key for new laptop" {
		t.Fatalf("payload %q", payload)
	}
	out := <-o.Done()
	if out.Err != nil || out.Joined.Fingerprint != "FP" {
		t.Fatalf("outcome %+v", out)
	}
	// one use
	if _, err, _ := exchange(t, h, typed); !errors.Is(err, joincode.ErrCodeGone) {
		t.Fatalf("second use: %v, want ErrCodeGone", err)
	}
}

func TestWrongCodeBurnsIt(t *testing.T) {
	h := joincode.NewHost()
	handed := 0
	o, err := h.Offer(time.Minute, func(joincode.Hello) ([]byte, error) { handed++; return []byte("secret"), nil })
	if err != nil {
		t.Fatal(err)
	}
	wrong := o.Code()
	if wrong.Words[1] == "apple" {
		wrong.Words[1] = "river"
	} else {
		wrong.Words[1] = "apple"
	}
	for i := range joincode.MaxTries {
		payload, err, _ := exchange(t, h, wrong)
		if !errors.Is(err, joincode.ErrWrongCode) || payload != nil {
			t.Fatalf("try %d: %q, %v; want ErrWrongCode", i+1, payload, err)
		}
	}
	if out := <-o.Done(); !errors.Is(out.Err, joincode.ErrBurnt) {
		t.Fatalf("outcome %+v, want ErrBurnt", out)
	}
	payload, err, _ := exchange(t, h, o.Code())
	if !errors.Is(err, joincode.ErrCodeGone) || payload != nil || handed != 0 {
		t.Fatalf("right code after burning: %q %v (payload made %d times)", payload, err, handed)
	}
}

func TestExpiredCode(t *testing.T) {
	h := joincode.NewHost()
	o, err := h.Offer(time.Millisecond, func(joincode.Hello) ([]byte, error) { return []byte("x"), nil })
	if err != nil {
		t.Fatal(err)
	}
	if out := <-o.Done(); !errors.Is(out.Err, joincode.ErrExpired) {
		t.Fatalf("outcome %+v", out)
	}
	if _, err, _ := exchange(t, h, o.Code()); !errors.Is(err, joincode.ErrCodeGone) {
		t.Fatalf("expired code: %v", err)
	}
}

// TestObserverSeesNoCode: nothing of the code's words, nor of the payload,
// crosses the wire in the clear.
func TestObserverSeesNoCode(t *testing.T) {
	h := joincode.NewHost()
	o, _ := h.Offer(time.Minute, func(joincode.Hello) ([]byte, error) { return []byte("TEAMKEY-SECRET"), nil })
	a, b := net.Pipe()
	wire := &wireLog{}
	go func() {
		defer b.Close()
		io.ReadFull(b, make([]byte, len(joincode.Magic)))
		h.Serve(tee{b, wire})
	}()
	if _, err := joincode.Join(tee{a, wire}, o.Code(), joincode.Hello{Fingerprint: "FP"}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{o.Code().Words[0], o.Code().Words[1], "TEAMKEY-SECRET"} {
		if bytes.Contains(wire.bytes(), []byte(s)) {
			t.Fatalf("%q visible on the wire", s)
		}
	}
}

// wireLog keeps what both sides read.
type wireLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *wireLog) bytes() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return bytes.Clone(w.buf.Bytes())
}

type tee struct {
	rw  io.ReadWriter
	log *wireLog
}

func (t tee) Read(p []byte) (int, error) {
	n, err := t.rw.Read(p)
	t.log.mu.Lock()
	t.log.buf.Write(p[:n])
	t.log.mu.Unlock()
	return n, err
}
func (t tee) Write(p []byte) (int, error) { return t.rw.Write(p) }

func TestParseRefusesNonsense(t *testing.T) {
	for _, s := range []string{"", "7-guitar", "0-apple-river", "100-apple-river", "7-apple-zzzz", "PWG1:ABC"} {
		if _, err := joincode.Parse(s); !errors.Is(err, joincode.ErrBadCode) {
			t.Errorf("Parse(%q) = %v, want ErrBadCode", s, err)
		}
	}
}

// BenchmarkJoinCodeExchange: one whole exchange (SPAKE2 on P-256, the
// sealed hello and payload) over an in-memory pipe.
func BenchmarkJoinCodeExchange(b *testing.B) {
	for b.Loop() {
		h := joincode.NewHost()
		o, err := h.Offer(time.Minute, func(joincode.Hello) ([]byte, error) { return make([]byte, 512), nil })
		if err != nil {
			b.Fatal(err)
		}
		a, c := net.Pipe()
		go func() {
			defer c.Close()
			io.ReadFull(c, make([]byte, len(joincode.Magic)))
			h.Serve(c)
		}()
		if _, err := joincode.Join(a, o.Code(), joincode.Hello{Fingerprint: "FP"}); err != nil {
			b.Fatal(err)
		}
		a.Close()
	}
}
