package lansync

import (
	"testing"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/amsafe"
)

func TestSavedDocHeads(t *testing.T) {
	a := automerge.New()
	_ = a.RootMap().Set("x", automerge.NewText("hello"))
	_, _ = a.Commit("one")
	b, _ := a.Fork()
	_ = b.Path("x").Text().Insert(0, "B")
	_, _ = b.Commit("b")
	_ = a.Path("x").Text().Insert(0, "A")
	_, _ = a.Commit("a")
	if _, err := a.Merge(b); err != nil {
		t.Fatal(err)
	}
	if len(a.Heads()) != 2 {
		t.Fatalf("want two heads, got %v", a.Heads())
	}
	for _, d := range []*automerge.Doc{a, b, automerge.New()} {
		got, err := savedDocHeads(d.Save())
		if err != nil || !amsafe.SameHeads(got, d.Heads()) {
			t.Fatalf("got %v %v, want %v", got, err, d.Heads())
		}
	}
	for _, bad := range [][]byte{nil, {1, 2, 3}, a.Save()[:20]} {
		if _, err := savedDocHeads(bad); err == nil {
			t.Fatalf("%x parsed", bad)
		}
	}
}

func TestSyncStateEncoding(t *testing.T) {
	a := automerge.New()
	_ = a.RootMap().Set("k", "v")
	_, _ = a.Commit("c")
	ss, err := automerge.LoadSyncState(a, encodeSyncState(a.Heads()))
	if err != nil {
		t.Fatal(err)
	}
	got, err := sharedHeads(ss.Save())
	if err != nil || !amsafe.SameHeads(got, a.Heads()) {
		t.Fatalf("%v %v", got, err)
	}
}

func FuzzSavedDocHeads(f *testing.F) {
	d := automerge.New()
	_ = d.RootMap().Set("k", "v")
	_, _ = d.Commit("c")
	f.Add(d.Save())
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = savedDocHeads(b)
		_, _, _ = syncMessageQuiet(b)
	})
}

// TestSyncMessageQuiet: a message naming heads and asking for nothing is
// quiet; one that carries changes is not.
func TestSyncMessageQuiet(t *testing.T) {
	a := automerge.New()
	if err := a.RootMap().Set("k", "v"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Commit("one"); err != nil {
		t.Fatal(err)
	}
	b, err := automerge.Load(a.Save())
	if err != nil {
		t.Fatal(err)
	}
	// Same document on both sides: b's first message names a's heads.
	m, ok := automerge.NewSyncState(b).GenerateMessage()
	if !ok {
		t.Fatal("no message")
	}
	heads, quiet, _ := syncMessageQuiet(m.Bytes())
	if !quiet || !amsafe.SameHeads(heads, a.Heads()) {
		t.Fatalf("in-sync message: quiet=%v heads=%v", quiet, heads)
	}
	// An empty peer asks; a's answer to it carries changes.
	empty := automerge.NewSyncState(automerge.New())
	ask, _ := empty.GenerateMessage()
	sa := automerge.NewSyncState(a)
	if _, err := sa.ReceiveMessage(ask.Bytes()); err != nil {
		t.Fatal(err)
	}
	ans, ok := sa.GenerateMessage()
	if !ok {
		t.Fatal("no answer")
	}
	if _, quiet, _ := syncMessageQuiet(ans.Bytes()); quiet {
		t.Fatal("a message with changes reads as quiet")
	}
	if _, quiet, _ := syncMessageQuiet([]byte{0x42, 0x05}); quiet {
		t.Fatal("a truncated message reads as quiet")
	}
}

// headsMessage is a sync message Automerge takes: after an opening and
// this answer, the opener has nothing more to say (its offer settles), and
// the answer itself offers no Bloom filter, so it is never answered.
func TestHeadsMessageSettlesAnOpening(t *testing.T) {
	a := automerge.New()
	_ = a.RootMap().Set("x", automerge.NewText("hello"))
	_, _ = a.Commit("one")
	b, err := a.Fork()
	if err != nil {
		t.Fatal(err)
	}
	sb := automerge.NewSyncState(b)
	opening, ok := sb.GenerateMessage()
	if !ok {
		t.Fatal("no opening")
	}
	if heads, quiet, offers := syncMessageQuiet(opening.Bytes()); !quiet || !offers || !amsafe.SameHeads(heads, b.Heads()) {
		t.Fatalf("opening: quiet %v, offers %v, heads %v", quiet, offers, heads)
	}
	ack := headsMessage(a.Heads())
	if heads, quiet, offers := syncMessageQuiet(ack); !quiet || offers || !amsafe.SameHeads(heads, a.Heads()) {
		t.Fatalf("answer: quiet %v, offers %v, heads %v", quiet, offers, heads)
	}
	if _, err := sb.ReceiveMessage(ack); err != nil {
		t.Fatal(err)
	}
	if m, ok := sb.GenerateMessage(); ok {
		t.Fatalf("the opener answers the heads message: %d bytes", len(m.Bytes()))
	}
	if shared, err := sharedHeads(sb.Save()); err != nil || !amsafe.SameHeads(shared, a.Heads()) {
		t.Fatalf("shared heads after the answer: %v, %v", shared, err)
	}
}
