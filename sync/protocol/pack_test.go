package protocol_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/amsafe"
	"github.com/pwg-team/pwg/sync/protocol"
)

// words makes n characters of meeting-like text.
func words(seed uint64, n int) []rune {
	vocab := []string{"alert", "fired", "host", "latency", "p99", "deploy", "rollback", "toil", "runbook", "障害", "閾値", "対応", "nginx", "SLO"}
	r := rand.New(rand.NewPCG(seed, seed))
	var out []rune
	for len(out) < n {
		out = append(out, []rune(vocab[r.IntN(len(vocab))])...)
		if r.IntN(5) == 0 {
			out = append(out, []rune(fmt.Sprintf(" %d", r.IntN(1000)))...)
		}
		out = append(out, ' ')
	}
	return out[:n]
}

// typeText types n characters at the end of the text, committing every 64
// as the editor's batching does.
func typeText(t testing.TB, d *automerge.Doc, seed uint64, n int) {
	t.Helper()
	txt := d.Path("notes").Text()
	for i, r := range words(seed, n) {
		if err := txt.Insert(txt.Len(), string(r)); err != nil {
			t.Fatal(err)
		}
		if i%64 == 63 {
			if _, err := d.Commit(""); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := d.Commit(""); err != nil {
		t.Fatal(err)
	}
}

// offlinePair returns two documents sharing shared characters of history,
// then each typing offline more of its own, with synced sync states.
func offlinePair(t testing.TB, shared, offline int) (a, b *automerge.Doc, sa, sb *automerge.SyncState, parted []automerge.ChangeHash) {
	t.Helper()
	a = automerge.New()
	if err := a.Path("notes").Set(automerge.NewText("")); err != nil {
		t.Fatal(err)
	}
	typeText(t, a, 1, shared)
	b = automerge.New()
	sa, sb = automerge.NewSyncState(a), automerge.NewSyncState(b)
	exchange(t, sa, sb)
	parted = a.Heads()
	typeText(t, a, 2, offline)
	typeText(t, b, 3, offline)
	return a, b, sa, sb, parted
}

// exchange runs the sync protocol between two states until both are quiet.
func exchange(t testing.TB, sa, sb *automerge.SyncState) {
	t.Helper()
	for i := 0; i < 100; i++ {
		ma, oka := sa.GenerateMessage()
		if oka {
			if _, err := sb.ReceiveMessage(ma.Bytes()); err != nil {
				t.Fatal(err)
			}
		}
		mb, okb := sb.GenerateMessage()
		if okb {
			if _, err := sa.ReceiveMessage(mb.Bytes()); err != nil {
				t.Fatal(err)
			}
		}
		if !oka && !okb {
			return
		}
	}
	t.Fatal("sync did not settle")
}

// changesMessage runs the sync protocol from a to b until a's message
// carries changes, and returns it with the heads both share.
func changesMessage(t testing.TB, a, b *automerge.Doc, sa, sb *automerge.SyncState) ([]byte, []automerge.ChangeHash) {
	t.Helper()
	for i := 0; i < 10; i++ {
		ma, ok := sa.GenerateMessage()
		if !ok {
			t.Fatal("a has nothing to send")
		}
		if len(ma.Changes()) > 0 {
			return ma.Bytes(), ma.Heads()
		}
		if _, err := sb.ReceiveMessage(ma.Bytes()); err != nil {
			t.Fatal(err)
		}
		if mb, ok := sb.GenerateMessage(); ok {
			if _, err := sa.ReceiveMessage(mb.Bytes()); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Fatal("no message with changes")
	return nil, nil
}

func TestPackSyncRoundTripAndSize(t *testing.T) {
	a, b, sa, sb, _ := offlinePair(t, 20000, 5000)
	msg, _ := changesMessage(t, a, b, sa, sb)
	z, err := protocol.Deflate(msg)
	if err != nil {
		t.Fatal(err)
	}
	packed, err := protocol.PackSync(msg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	back, err := protocol.UnpackSync(packed, nil, len(msg))
	if err != nil || !bytes.Equal(back, msg) {
		t.Fatalf("unpack: %v, equal %v", err, bytes.Equal(back, msg))
	}
	// The receiver takes the rebuilt message as it would the original.
	if _, err := sb.ReceiveMessage(back); err != nil {
		t.Fatal(err)
	}
	t.Logf("message %d bytes, deflated %d, packed %d", len(msg), len(z), len(packed))
	// Under a third: typed characters' value metadata is left out (it
	// follows from the characters); with it, packing took 2,344 bytes.
	if len(packed)*3 > len(z) {
		t.Errorf("packed %d bytes, not under a third of deflated %d", len(packed), len(z))
	}
}

// dictFor is the dictionary d makes for heads.
func dictFor(t testing.TB, d *automerge.Doc, heads []automerge.ChangeHash) *protocol.Dict {
	t.Helper()
	chs, err := amsafe.Recent(d, heads, protocol.DictChanges)
	if err != nil {
		t.Fatal(err)
	}
	return protocol.PackDict(chs)
}

func TestPackSyncWithSharedDictionary(t *testing.T) {
	a, b, sa, sb, shared := offlinePair(t, 20000, 5000)
	msg, _ := changesMessage(t, a, b, sa, sb)
	plain, err := protocol.PackSync(msg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	packed, err := protocol.PackSync(msg, shared, dictFor(t, a, shared))
	if err != nil {
		t.Fatal(err)
	}
	heads, err := protocol.DictHeads(packed)
	if err != nil || len(heads) != len(shared) || heads[0] != shared[0] {
		t.Fatalf("dictionary heads %v, %v; want %v", heads, err, shared)
	}
	// The receiver builds the dictionary from its own copy of the history.
	back, err := protocol.UnpackSync(packed, dictFor(t, b, heads), len(msg))
	if err != nil || !bytes.Equal(back, msg) {
		t.Fatalf("unpack with b's dictionary: %v, equal %v", err, bytes.Equal(back, msg))
	}
	t.Logf("packed %d bytes, with the shared dictionary %d", len(plain), len(packed))
	if len(packed) >= len(plain)*9/10 {
		t.Errorf("the dictionary saved too little: %d against %d", len(packed), len(plain))
	}
	// Another dictionary is refused before anything is inflated.
	other := dictFor(t, a, a.Heads())
	if _, err := protocol.UnpackSync(packed, other, len(msg)); !errors.Is(err, protocol.ErrDictMismatch) {
		t.Fatalf("unpack with another dictionary: %v, want ErrDictMismatch", err)
	}
	// A receiver lacking the heads cannot build the dictionary at all.
	if _, err := amsafe.Recent(automerge.New(), heads, protocol.DictChanges); err == nil {
		t.Fatal("Recent of heads an empty document lacks succeeded")
	}
}

func TestUnpackSyncRefusesDamage(t *testing.T) {
	a, b, sa, sb, _ := offlinePair(t, 2000, 2000)
	msg, _ := changesMessage(t, a, b, sa, sb)
	packed, err := protocol.PackSync(msg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := protocol.UnpackSync(packed, nil, len(msg)-1); !errors.Is(err, protocol.ErrTooLarge) {
		t.Errorf("limit below the message: %v, want ErrTooLarge", err)
	}
	for i := 0; i < len(packed); i += 7 {
		bad := bytes.Clone(packed)
		bad[i] ^= 0x20
		got, err := protocol.UnpackSync(bad, nil, 1<<20)
		if err == nil && !bytes.Equal(got, msg) {
			t.Fatalf("flipped byte %d: unpacked a different message without an error", i)
		}
	}
	for n := 0; n < len(packed); n += 13 {
		if _, err := protocol.UnpackSync(packed[:n], nil, 1<<20); err == nil {
			t.Fatalf("truncated to %d bytes: no error", n)
		}
	}
}

func FuzzUnpackSync(f *testing.F) {
	a, b, sa, sb, _ := offlinePair(f, 300, 300)
	msg, _ := changesMessage(f, a, b, sa, sb)
	packed, err := protocol.PackSync(msg, nil, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(packed)
	f.Add([]byte{1, 0})
	f.Fuzz(func(t *testing.T, p []byte) {
		out, err := protocol.UnpackSync(p, nil, 1<<16)
		if err == nil && len(out) > 1<<16 {
			t.Fatalf("%d bytes past the limit", len(out))
		}
	})
}

// A dictionary is named by a few heads: a packed message naming thousands
// is refused before the receiver walks back from them (under the
// document's lock), and PackSync packs without a dictionary past the bound.
func TestPackedDictionaryHeadsBounded(t *testing.T) {
	a, b, sa, sb, shared := offlinePair(t, 300, 300)
	msg, _ := changesMessage(t, a, b, sa, sb)
	many := make([]automerge.ChangeHash, 1000)
	for i := range many {
		many[i] = shared[0]
		many[i][0] = byte(i)
		many[i][1] = byte(i >> 8)
	}
	packed, err := protocol.PackSync(msg, many, dictFor(t, a, shared))
	if err != nil {
		t.Fatal(err)
	}
	if heads, err := protocol.DictHeads(packed); err != nil || len(heads) != 0 {
		t.Fatalf("packed with %d heads named: DictHeads %d, %v; want none", len(many), len(heads), err)
	}
	if back, err := protocol.UnpackSync(packed, nil, len(msg)); err != nil || !bytes.Equal(back, msg) {
		t.Fatalf("unpack: %v", err)
	}
	// As a hostile peer would send it: version, count, the heads.
	hostile := binary.AppendUvarint([]byte{1}, uint64(len(many)))
	for _, h := range many {
		hostile = append(hostile, h[:]...)
	}
	hostile = append(hostile, make([]byte, 16)...)
	if _, err := protocol.DictHeads(hostile); !errors.Is(err, protocol.ErrMalformed) {
		t.Fatalf("DictHeads of %d heads: %v, want ErrMalformed", len(many), err)
	}
	if _, err := protocol.UnpackSync(hostile, nil, len(msg)); !errors.Is(err, protocol.ErrMalformed) {
		t.Fatalf("UnpackSync of %d heads: %v, want ErrMalformed", len(many), err)
	}
}
