package minutes_test

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/crdt/amsafe"
)

// grow recurses deep enough to make the goroutine's stack be copied.
//
//go:noinline
func grow(n int) int {
	var pad [256]byte
	pad[n%256] = byte(n)
	if n == 0 {
		return int(pad[0])
	}
	return grow(n-1) + int(pad[n%256])
}

// TestReceivePathUnderGCAndStackGrowth runs the sync receive path (receive,
// flush, persist) of two workspaces while other goroutines force collections
// and the receiving goroutines grow their stacks. automerge-go's
// SaveIncremental with nothing new and Apply with several changes abort the
// process under exactly this load (AUTOMERGE-GO.md); pwg must never reach
// them. PWG_STRESS=1m (a duration) runs it longer.
func TestReceivePathUnderGCAndStackGrowth(t *testing.T) {
	d := 8 * time.Second
	if testing.Short() {
		d = 500 * time.Millisecond
	}
	if v := os.Getenv("PWG_STRESS"); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			t.Fatal(err)
		}
	}
	a, b, ma, mb := twoReplicas(t)
	ha, hb := ma.Handle(), mb.Handle()
	stop := make(chan struct{})
	var busy sync.WaitGroup
	for i := 0; i < 4; i++ {
		busy.Add(1)
		go func() {
			defer busy.Done()
			for {
				select {
				case <-stop:
					return
				default:
					runtime.GC()
				}
			}
		}()
	}
	sa, err := ha.NewSyncState(nil)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := hb.NewSyncState(nil)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(d)
	rounds := 0
	for time.Now().Before(deadline) {
		rounds++
		if err := ma.AppendNotes("worklog", fmt.Sprintf("a%d ", rounds)); err != nil {
			t.Fatal(err)
		}
		if rounds%3 == 0 {
			if err := mb.AppendNotes("worklog", fmt.Sprintf("b%d ", rounds)); err != nil {
				t.Fatal(err)
			}
		}
		// Exchange until both have nothing to send; every empty round also
		// flushes with nothing new.
		for moved := true; moved; {
			moved = false
			if msg, ok := ha.GenerateSyncMessage(sa); ok {
				grow(64)
				if err := hb.ReceiveSyncMessage(sb, msg, "a"); err != nil {
					t.Fatal(err)
				}
				moved = true
			}
			if msg, ok := hb.GenerateSyncMessage(sb); ok {
				grow(64)
				if err := ha.ReceiveSyncMessage(sa, msg, "b"); err != nil {
					t.Fatal(err)
				}
				moved = true
			}
			if err := a.Flush(); err != nil {
				t.Fatal(err)
			}
			if err := b.Flush(); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(stop)
	busy.Wait()
	na, _ := ma.Notes("worklog")
	nb, _ := mb.Notes("worklog")
	if na != nb {
		t.Fatalf("replicas differ after %d rounds", rounds)
	}
	t.Logf("%d rounds of receive/flush under GC", rounds)
}

// TestApplyManyChangesUnderGC applies thousands of changes through the
// handle while the collector runs: Doc.Apply with all of them in one call
// corrupts the C heap (AUTOMERGE-GO.md).
func TestApplyManyChangesUnderGC(t *testing.T) {
	src := automerge.New()
	txt := automerge.NewText("")
	if err := src.RootMap().Set("t", txt); err != nil {
		t.Fatal(err)
	}
	text, _ := src.RootMap().Get("t")
	n := 3000
	if testing.Short() {
		n = 500
	}
	for i := 0; i < n; i++ {
		if err := text.Text().Insert(i, "x"); err != nil {
			t.Fatal(err)
		}
		if _, err := src.Commit("k"); err != nil {
			t.Fatal(err)
		}
	}
	chs, err := amsafe.Changes(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
				runtime.GC()
			}
		}
	}()
	dst := automerge.New()
	err = amsafe.Apply(dst, chs)
	close(stop)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	got, _ := dst.RootMap().Get("t")
	s, _ := got.Text().Get()
	if len(s) != n {
		t.Fatalf("applied text has %d characters, want %d", len(s), n)
	}
}

// TestChangesAndForkWithSeveralHeads checks the one-head-at-a-time forms
// against what several heads mean: after a merge of two branches, the
// changes after both heads are none, and a fork at both heads holds both
// branches' edits.
func TestChangesAndForkWithSeveralHeads(t *testing.T) {
	a := automerge.New()
	if err := a.RootMap().Set("base", int64(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Commit("base"); err != nil {
		t.Fatal(err)
	}
	b, err := a.Fork()
	if err != nil {
		t.Fatal(err)
	}
	_ = a.RootMap().Set("a", int64(1))
	_, _ = a.Commit("a")
	_ = b.RootMap().Set("b", int64(1))
	_, _ = b.Commit("b")
	if _, err := a.Merge(b); err != nil {
		t.Fatal(err)
	}
	heads := a.Heads()
	if len(heads) != 2 {
		t.Fatalf("want two heads after the merge, got %d", len(heads))
	}
	_ = a.RootMap().Set("after", int64(1))
	_, _ = a.Commit("after")
	chs, err := amsafe.Changes(a, heads)
	if err != nil {
		t.Fatal(err)
	}
	if len(chs) != 1 || chs[0].Message() != "after" {
		t.Fatalf("changes after both heads: %d", len(chs))
	}
	f, err := amsafe.Fork(a, heads)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a", "b"} {
		if v, _ := f.RootMap().Get(k); v.Kind() != automerge.KindInt64 {
			t.Fatalf("fork at both heads lacks %q", k)
		}
	}
	if v, _ := f.RootMap().Get("after"); v.Kind() != automerge.KindVoid {
		t.Fatal("fork at both heads holds a later change")
	}
}
