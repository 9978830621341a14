package transport

import (
	"bytes"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

type result struct {
	c   *Conn
	err error
}

func pair(t *testing.T, keyA, keyB []byte) (a, b result) {
	t.Helper()
	idA, _ := NewIdentity()
	idB, _ := NewIdentity()
	pa, pb := net.Pipe()
	ch := make(chan result, 1)
	go func() {
		c, err := Handshake(pb, Config{Identity: idB, TeamKey: keyB, HandshakeTimeout: 5 * time.Second}, false)
		ch <- result{c, err}
	}()
	c, err := Handshake(pa, Config{Identity: idA, TeamKey: keyA, HandshakeTimeout: 5 * time.Second}, true)
	a = result{c, err}
	b = <-ch
	if a.err == nil && b.err == nil {
		if a.c.RemoteFingerprint() != idB.Fingerprint() || b.c.RemoteFingerprint() != idA.Fingerprint() {
			t.Fatal("remote identities do not match")
		}
	}
	return a, b
}

func TestMessagesBothWays(t *testing.T) {
	key := NewTeamKey()
	a, b := pair(t, key, key)
	if a.err != nil || b.err != nil {
		t.Fatalf("handshake: %v / %v", a.err, b.err)
	}
	big := bytes.Repeat([]byte("0123456789"), 300_000) // 3 MB: many records
	msgs := [][]byte{[]byte("hello"), {}, big, []byte("after")}
	go func() {
		for _, m := range msgs {
			if err := a.c.SendKeepalive(); err != nil {
				return
			}
			if err := a.c.Send(m); err != nil {
				return
			}
		}
	}()
	for i, want := range msgs {
		got, err := b.c.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("message %d: %d bytes, want %d", i, len(got), len(want))
		}
	}
	go b.c.Send([]byte("back"))
	if got, err := a.c.Recv(); err != nil || string(got) != "back" {
		t.Fatalf("reply: %q %v", got, err)
	}
}

func TestWrongTeamKey(t *testing.T) {
	a, b := pair(t, NewTeamKey(), NewTeamKey())
	if !errors.Is(b.err, ErrHandshake) {
		t.Fatalf("responder: got %v, want ErrHandshake", b.err)
	}
	if a.err == nil {
		t.Fatal("initiator completed a handshake with the wrong key")
	}
}

// recorder keeps a copy of every byte written through it.
type recorder struct {
	io.ReadWriteCloser
	buf bytes.Buffer
}

func (r *recorder) Write(p []byte) (int, error) {
	r.buf.Write(p)
	return r.ReadWriteCloser.Write(p)
}

// TestReplayedHandshake records everything a team device sends in a real
// session (handshake and a document message), replays it to a fresh
// responder, and checks the handshake fails and no message is delivered.
func TestReplayedHandshake(t *testing.T) {
	key := NewTeamKey()
	idA, _ := NewIdentity()
	idB, _ := NewIdentity()
	pa, pb := net.Pipe()
	rec := &recorder{ReadWriteCloser: pa}
	done := make(chan error, 1)
	go func() {
		c, err := Handshake(pb, Config{Identity: idB, TeamKey: key}, false)
		if err == nil {
			_, err = c.Recv()
		}
		done <- err
	}()
	ca, err := Handshake(rec, Config{Identity: idA, TeamKey: key}, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := ca.Send([]byte("secret minutes")); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	recorded := rec.buf.Bytes()

	// Replay to a new responder (the same device B, as an attacker would).
	attacker, victim := net.Pipe()
	got := make(chan result, 1)
	go func() {
		c, err := Handshake(victim, Config{Identity: idB, TeamKey: key, HandshakeTimeout: 5 * time.Second}, false)
		if err == nil {
			if _, rerr := c.Recv(); rerr == nil {
				got <- result{c, errors.New("a message was delivered")}
			} else {
				got <- result{c, errors.New("the handshake completed")}
			}
			return
		}
		got <- result{nil, err}
	}()
	go func() {
		// Read whatever the victim answers so its writes do not block.
		_, _ = io.Copy(io.Discard, attacker)
	}()
	_, _ = attacker.Write(recorded)
	r := <-got
	if !errors.Is(r.err, ErrHandshake) {
		t.Fatalf("replay: got %v, want ErrHandshake", r.err)
	}
	attacker.Close()
}

func TestTamperedRecord(t *testing.T) {
	key := NewTeamKey()
	idA, _ := NewIdentity()
	idB, _ := NewIdentity()
	pa, pb := net.Pipe()
	ch := make(chan result, 1)
	go func() {
		c, err := Handshake(pb, Config{Identity: idB, TeamKey: key}, false)
		ch <- result{c, err}
	}()
	ca, err := Handshake(pa, Config{Identity: idA, TeamKey: key}, true)
	if err != nil {
		t.Fatal(err)
	}
	rb := <-ch
	if rb.err != nil {
		t.Fatal(rb.err)
	}
	// Write a forged record under the frame layer.
	go func() { _ = WriteFrame(ca.rwc, bytes.Repeat([]byte{7}, 40)) }()
	if _, err := rb.c.Recv(); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("got %v, want ErrDecrypt", err)
	}
}

func TestFrameBounds(t *testing.T) {
	var buf bytes.Buffer
	buf.Write([]byte{0x7f, 0xff, 0xff, 0xff})
	if _, err := ReadFrame(&buf, maxNoise); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("got %v", err)
	}
	buf.Reset()
	_ = WriteFrame(&buf, []byte("abc"))
	b, err := ReadFrame(&buf, 3)
	if err != nil || string(b) != "abc" {
		t.Fatalf("%q %v", b, err)
	}
	buf.Reset()
	buf.Write([]byte{0, 0, 0, 5, 'a'})
	if _, err := ReadFrame(&buf, 10); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated: %v", err)
	}
}

func TestHandshakeTimeout(t *testing.T) {
	id, _ := NewIdentity()
	pa, pb := net.Pipe()
	defer pb.Close()
	_, err := Handshake(pa, Config{Identity: id, TeamKey: NewTeamKey(), HandshakeTimeout: 50 * time.Millisecond}, false)
	if !errors.Is(err, ErrHandshake) {
		t.Fatalf("silent peer: got %v", err)
	}
}

func TestMessageLimit(t *testing.T) {
	key := NewTeamKey()
	idA, _ := NewIdentity()
	idB, _ := NewIdentity()
	pa, pb := net.Pipe()
	ch := make(chan result, 1)
	go func() {
		c, err := Handshake(pb, Config{Identity: idB, TeamKey: key, MaxMessage: 100_000}, false)
		ch <- result{c, err}
	}()
	ca, err := Handshake(pa, Config{Identity: idA, TeamKey: key}, true)
	if err != nil {
		t.Fatal(err)
	}
	rb := <-ch
	go func() { _ = ca.Send(make([]byte, 200_000)) }()
	if _, err := rb.c.Recv(); !errors.Is(err, ErrMessageTooLarge) {
		t.Fatalf("got %v", err)
	}
	pa.Close()
}

func FuzzReadFrame(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 9})
	f.Add([]byte{0xff, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ReadFrame(bytes.NewReader(b), 1024)
		if err == nil && (len(got) > 1024 || len(got) > len(b)-4) {
			t.Fatal("frame longer than input or bound")
		}
	})
}
