package protocol_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/pwg-team/pwg/sync/protocol"
)

func TestStreamRoundTripAndRepeats(t *testing.T) {
	w, r := protocol.NewStreamWriter(protocol.StreamDict("a", "b")), protocol.NewStreamReader(protocol.StreamDict("a", "b"))
	var plain, wire int
	big := bytes.Repeat([]byte("0123456789abcdef"), 8<<10) // 128 KiB: past the window
	for i := 0; i < 300; i++ {
		m, err := protocol.Encode(&protocol.Message{Type: protocol.TypeSync, SenderID: "peer-aaaaaaaaaaaaaaaa", TargetID: "peer-bbbbbbbbbbbbbbbb",
			DocumentID: "2gyB8PeVqPAXpzkha8uPdz3TRGKC", Data: []byte(fmt.Sprintf("change %d", i))})
		if err != nil {
			t.Fatal(err)
		}
		if i == 150 {
			m = big
		}
		z, err := w.Compress(m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Decompress(z, 1<<20)
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if !bytes.Equal(got, m) {
			t.Fatalf("message %d differs after the round trip", i)
		}
		if i != 150 {
			plain += len(m)
			wire += len(z)
		}
	}
	t.Logf("%d bytes of small messages sent as %d", plain, wire)
	if wire*3 > plain {
		t.Errorf("repeated envelopes compressed to %d of %d bytes, want under a third", wire, plain)
	}
}

func TestStreamRefusesDamage(t *testing.T) {
	w := protocol.NewStreamWriter(nil)
	m := bytes.Repeat([]byte("presence of a person "), 50)
	z, err := w.Compress(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := protocol.NewStreamReader(nil).Decompress(z, len(m)-1); !errors.Is(err, protocol.ErrTooLarge) {
		t.Errorf("over the limit: %v, want ErrTooLarge", err)
	}
	for n := 0; n < len(z); n++ {
		if got, err := protocol.NewStreamReader(nil).Decompress(z[:n], 1<<20); err == nil && bytes.Equal(got, m) {
			t.Fatalf("cut to %d of %d bytes: read whole", n, len(z))
		} else if err == nil {
			t.Fatalf("cut to %d of %d bytes: no error", n, len(z))
		}
	}
}

func FuzzStreamDecompress(f *testing.F) {
	w := protocol.NewStreamWriter(protocol.StreamDict("a", "b"))
	for _, m := range []string{"first message", "first message again", ""} {
		z, err := w.Compress([]byte(m))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(z)
	}
	f.Fuzz(func(t *testing.T, z []byte) {
		r := protocol.NewStreamReader(protocol.StreamDict("a", "b"))
		if out, err := r.Decompress(z, 1<<12); err == nil && len(out) > 1<<12 {
			t.Fatalf("%d bytes past the limit", len(out))
		}
	})
}
