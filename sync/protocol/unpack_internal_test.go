package protocol

import (
	"bytes"
	"encoding/binary"
	"errors"
	"runtime"
	"testing"
)

// packStreams makes a packed message (no dictionary) of the given streams,
// as a hostile peer could: nothing checks them before UnpackSync.
func packStreams(t testing.TB, body [numStreams][]byte) []byte {
	t.Helper()
	out := []byte{packVersion, 0}
	out = append(out, make([]byte, sumLen)...) // checksum: never reached
	for i, b := range body {
		z, err := deflateDict(b, nil)
		if err != nil {
			t.Fatal(err)
		}
		if i < numStreams-1 {
			out = binary.AppendUvarint(out, uint64(len(z)))
		}
		out = append(out, z...)
	}
	return out
}

// hostileHeaders are header streams that are cheap to send and, read
// naively, cost far more memory than the message they claim to make.
func hostileHeaders(limit int) map[string][]byte {
	hdr := func(n int) []byte { return binary.AppendUvarint([]byte{0}, uint64(n)) } // no prefix, n changes
	room := limit + limit/2                                                         // what may inflate
	raw := []byte{changeRaw, 10}                                                    // the shortest chunk
	raw = append(raw, make([]byte, 10)...)
	return map[string][]byte{
		// Empty changes sent as they are: 2 bytes each.
		"empty raw changes": append(hdr(room/2-8), make([]byte, room-16)...),
		// One change naming the change before it a million times.
		"dependencies": append(append(append(hdr(2), raw...), changePacked, 0xff, 0xff, 0x3f),
			bytes.Repeat([]byte{1}, room-64)...),
		// One change naming a million other actors, or columns.
		"actors": append(append(hdr(1), changePacked, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0x3f),
			make([]byte, room-64)...),
		"columns": append(append(hdr(1), changePacked, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0x1f),
			make([]byte, room-64)...),
		// As many of the shortest raw changes as fit the limit.
		"short raw changes": append(append(hdr(limit/len(raw)-1), bytes.Repeat(raw, limit/len(raw)-1)...), 0),
	}
}

// A packed message cannot make the receiver allocate much more than its
// limit, however its headers are made (it allocated 216 bytes per two
// header bytes: gigabytes for a message of a few hundred kilobytes).
func TestUnpackSyncBoundsMemory(t *testing.T) {
	const limit = 1 << 20
	for name, h := range hostileHeaders(limit) {
		t.Run(name, func(t *testing.T) {
			packed := packStreams(t, [numStreams][]byte{h, nil, nil})
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := UnpackSync(packed, nil, limit)
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatal("hostile headers unpacked")
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d bytes packed: %v; %d bytes allocated", len(packed), err, alloc)
			if alloc > 16*limit {
				t.Errorf("%d bytes allocated for a limit of %d", alloc, limit)
			}
		})
	}
}

func TestUnpackSyncInflatesAtMostTheBudget(t *testing.T) {
	const limit = 1 << 16
	// Each stream alone fits what one could inflate to; together they do not.
	big := make([]byte, limit)
	packed := packStreams(t, [numStreams][]byte{big, big, big})
	if _, err := UnpackSync(packed, nil, limit); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("streams of 3x the limit: %v, want ErrTooLarge", err)
	}
}

// FuzzUntranspose feeds streams straight to the rebuilding (UnpackSync's
// fuzz target mostly meets DEFLATE errors): no panic, nothing over the
// limit, and what it rebuilds is rebuilt again from its own layout.
func FuzzUntranspose(f *testing.F) {
	const limit = 1 << 16
	for _, h := range hostileHeaders(256) {
		f.Add(h, []byte{}, []byte{})
	}
	// A change packed from a real chunk: one column of each stream.
	c := change{actor: []byte{1, 2}, seq: 1, start: 1, time: 5, cols: []column{{spec: 0x17, data: []byte("hi")}, {spec: 0x14, data: []byte{1, 2}}}}
	chunk, _ := c.chunk()
	msg := append(append([]byte{syncMsgType, 0, 0, 0, 1}, uvarintLenBytes(len(chunk))...), chunk...)
	if body, err := transpose(msg); err == nil {
		f.Add(body[0], body[1], body[2])
	} else {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, h, v, c []byte) {
		out, err := untranspose([numStreams][]byte{h, v, c}, limit)
		if err != nil {
			return
		}
		if len(out) > limit {
			t.Fatalf("%d bytes past the limit", len(out))
		}
		if body, err := transpose(out); err == nil {
			if back, err := untranspose(body, limit); err != nil || !bytes.Equal(back, out) {
				t.Fatalf("transposed again: %v, equal %v", err, bytes.Equal(back, out))
			}
		}
	})
}

func uvarintLenBytes(n int) []byte { return binary.AppendUvarint(nil, uint64(n)) }
