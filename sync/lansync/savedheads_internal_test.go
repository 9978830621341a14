package lansync

import (
	"testing"

	"github.com/automerge/automerge-go"
)

func sameSet(a, b []automerge.ChangeHash) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[automerge.ChangeHash]bool{}
	for _, h := range a {
		m[h] = true
	}
	for _, h := range b {
		if !m[h] {
			return false
		}
	}
	return true
}

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
		if err != nil || !sameSet(got, d.Heads()) {
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
	if err != nil || !sameSet(got, a.Heads()) {
		t.Fatalf("%v %v", got, err)
	}
}

func FuzzSavedDocHeads(f *testing.F) {
	d := automerge.New()
	_ = d.RootMap().Set("k", "v")
	_, _ = d.Commit("c")
	f.Add(d.Save())
	f.Fuzz(func(t *testing.T, b []byte) { _, _ = savedDocHeads(b) })
}
