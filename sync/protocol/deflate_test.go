package protocol_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/pwg-team/pwg/sync/protocol"
)

func TestDeflateRoundTrip(t *testing.T) {
	in := bytes.Repeat([]byte("sync message "), 1000)
	z, err := protocol.Deflate(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(z) >= len(in)/4 {
		t.Fatalf("compressed %d bytes to %d", len(in), len(z))
	}
	out, err := protocol.Inflate(z, len(in))
	if err != nil || !bytes.Equal(out, in) {
		t.Fatalf("inflate: %v, %d bytes back of %d", err, len(out), len(in))
	}
}

func TestInflateRefusesBombAndGarbage(t *testing.T) {
	z, err := protocol.Deflate(make([]byte, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := protocol.Inflate(z, 64<<10); !errors.Is(err, protocol.ErrTooLarge) {
		t.Fatalf("1 MiB of zeros under a 64 KiB limit: %v, want ErrTooLarge", err)
	}
	if _, err := protocol.Inflate([]byte{0xff, 0xfe, 0x00, 0x13}, 1<<20); !errors.Is(err, protocol.ErrMalformed) {
		t.Fatalf("garbage: %v, want ErrMalformed", err)
	}
}
