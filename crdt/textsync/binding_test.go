package textsync_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/crdt/textsync"
	"github.com/pwg-team/pwg/crdt/textsync/amtext"
)

// pair is a local replica bound to an editor view and a remote replica a peer
// types into directly; sync moves changes between them like the sync layer.
type pair struct {
	tb     testing.TB
	local  *amtext.Target
	remote *amtext.Target
	b      *textsync.Binding
	// sent[i] are the heads of replica i at its last sync to the other.
	sent [2][]automerge.ChangeHash
}

func newPair(tb testing.TB, text string) *pair {
	tb.Helper()
	local := newDoc(tb, "aa01")
	if text != "" {
		if err := local.Splice(0, 0, text); err != nil {
			tb.Fatal(err)
		}
	}
	remote := forkDoc(tb, local, "bb02")
	b, err := textsync.New(local, textsync.Options{BatchSize: 3})
	if err != nil {
		tb.Fatal(err)
	}
	p := &pair{tb: tb, local: local, remote: remote, b: b}
	p.sent[0], _ = local.Heads()
	p.sent[1], _ = remote.Heads()
	return p
}

// send merges the changes of replica from (0 local, 1 remote) into the other.
func (p *pair) send(from int) {
	p.tb.Helper()
	src, dst := p.local, p.remote
	if from == 1 {
		src, dst = p.remote, p.local
	}
	if from == 0 {
		if err := p.b.Flush(); err != nil {
			p.tb.Fatal(err)
		}
	}
	chs, err := src.Changes(p.sent[from]...)
	if err != nil {
		p.tb.Fatal(err)
	}
	if err := dst.Apply(chs...); err != nil {
		p.tb.Fatal(err)
	}
	if p.sent[from], err = src.Heads(); err != nil {
		p.tb.Fatal(err)
	}
}

func (p *pair) remoteSplice(pos, del int, ins string) {
	p.tb.Helper()
	if err := p.remote.Splice(pos, del, ins); err != nil {
		p.tb.Fatal(err)
	}
	if err := p.remote.Commit(); err != nil {
		p.tb.Fatal(err)
	}
}

func (p *pair) pull() textsync.Mapping {
	p.tb.Helper()
	m, err := p.b.Pull()
	if err != nil {
		p.tb.Fatal(err)
	}
	return m
}

func text(tb testing.TB, t textsync.Target) string {
	tb.Helper()
	s, err := t.Text()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// sel renders a text with its selection as [..] and the caret as |.
func sel(s string, anchor, caret int) string {
	rs := []rune(s)
	lo, hi := min(anchor, caret), max(anchor, caret)
	var b strings.Builder
	for i := 0; i <= len(rs); i++ {
		if i == caret {
			b.WriteByte('|')
		}
		if lo != hi && i == lo {
			b.WriteByte('[')
		}
		if lo != hi && i == hi {
			b.WriteByte(']')
		}
		if i < len(rs) {
			b.WriteRune(rs[i])
		}
	}
	return b.String()
}

func TestRemoteEditsKeepCaretAndSelection(t *testing.T) {
	const start = "アラート: CPU 使用率 😀 が高い"
	// The selection covers "CPU 使用率", the caret at its end.
	anchor, caret := 6, 13
	if got := sel(start, anchor, caret); got != "アラート: [CPU 使用率|] 😀 が高い" {
		t.Fatalf("test setup: %s", got)
	}
	cases := []struct {
		name     string
		pos, del int
		ins      string
		want     string
	}{
		{"insert before", 0, 0, "【重要】", "【重要】アラート: [CPU 使用率|] 😀 が高い"},
		{"delete before", 0, 4, "", ": [CPU 使用率|] 😀 が高い"},
		{"insert at selection start stays outside", 6, 0, "mackerel ", "アラート: mackerel [CPU 使用率|] 😀 が高い"},
		{"insert inside", 9, 0, " (host-1)", "アラート: [CPU (host-1) 使用率|] 😀 が高い"},
		{"delete inside", 6, 4, "", "アラート: [使用率|] 😀 が高い"},
		{"insert at caret stays after caret", 13, 0, "×2", "アラート: [CPU 使用率|]×2 😀 が高い"},
		{"insert after", 15, 0, "👍🏼", "アラート: [CPU 使用率|] 😀👍🏼 が高い"},
		{"delete across the end", 11, 4, "", "アラート: [CPU 使|] が高い"},
		{"delete all of it", 5, 9, "", "アラート:|😀 が高い"},
		{"combining mark after the caret", 13, 0, "e\u0301", "アラート: [CPU 使用率|]e\u0301 😀 が高い"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newPair(t, start)
			p.remoteSplice(c.pos, c.del, c.ins)
			p.send(1)
			m := p.pull()
			a, k := m.Selection(anchor, caret)
			if got := sel(p.b.Text(), a, k); got != c.want {
				t.Fatalf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestCaretWithoutSelection(t *testing.T) {
	p := newPair(t, "abc def")
	caret := 3                  // "abc|"
	p.remoteSplice(3, 0, "XYZ") // exactly at the caret
	p.remoteSplice(0, 1, "")    // before it
	p.send(1)
	m := p.pull()
	if got := sel(p.b.Text(), m.Caret(caret), m.Caret(caret)); got != "bc|XYZ def" {
		t.Fatalf("got %s", got)
	}
}

// TestRunsOfIdenticalCharacters pins down what the caret does when the
// merged text cannot tell which of several identical characters changed:
// the diff puts the edit at the end of the run, so a caret inside a run of
// n identical characters that becomes m keeps its distance k from the start
// of the run, clamped to m.
func TestRunsOfIdenticalCharacters(t *testing.T) {
	for n := 0; n <= 4; n++ {
		for m := 0; m <= 4; m++ {
			old := "x" + strings.Repeat("a", n) + "y"
			new := "x" + strings.Repeat("a", m) + "y"
			mp := textsync.NewMapping(textsync.DiffStrings(old, new))
			for k := 0; k <= n; k++ {
				if got, want := mp.Caret(1+k), 1+min(k, m); got != want {
					t.Errorf("%q→%q: caret %d maps to %d, want %d", old, new, 1+k, got, want)
				}
			}
		}
	}
	// The same through a real merge: the peer inserted the "a" at the start
	// of the run, but the caret (after the second "a") stays after the
	// second "a" of the merged run.
	p := newPair(t, "xaaay")
	p.remoteSplice(1, 0, "a")
	p.send(1)
	m := p.pull()
	if got := sel(p.b.Text(), m.Caret(3), m.Caret(3)); got != "xaa|aay" {
		t.Fatalf("got %s", got)
	}
}

// TestLocalSpliceOnStaleView types into a view that has not pulled a merged
// remote change yet: the keystroke lands between the same characters in the
// document, and nothing is lost or doubled.
func TestLocalSpliceOnStaleView(t *testing.T) {
	p := newPair(t, "minutes: alerts")
	p.remoteSplice(0, 0, "PWG ")
	p.remoteSplice(12, 0, " and graphs") // "PWG minutes: and graphs alerts"
	p.send(1)                            // merged, but the view still shows the old text
	// The user types " cpu" after "alerts" and deletes "minutes".
	if err := p.b.Local(15, 0, " cpu"); err != nil {
		t.Fatal(err)
	}
	if err := p.b.Local(0, 7, "議事録"); err != nil {
		t.Fatal(err)
	}
	if got, want := p.b.Text(), "議事録: alerts cpu"; got != want {
		t.Fatalf("view %q, want %q", got, want)
	}
	want := "PWG 議事録: and graphs alerts cpu"
	if got := text(t, p.local); got != want {
		t.Fatalf("document %q, want %q", got, want)
	}
	p.pull()
	if got := p.b.Text(); got != want {
		t.Fatalf("view after pull %q, want %q", got, want)
	}
	p.send(0)
	if got := text(t, p.remote); got != want {
		t.Fatalf("remote %q, want %q", got, want)
	}
}

// TestLocalDeleteKeepsConcurrentInsert deletes a range in which a peer has
// inserted text the view has not seen: the peer's text survives.
func TestLocalDeleteKeepsConcurrentInsert(t *testing.T) {
	p := newPair(t, "keep DELETE keep")
	p.remoteSplice(8, 0, "peer")
	p.send(1)
	if err := p.b.Local(5, 7, ""); err != nil {
		t.Fatal(err)
	}
	if got, want := text(t, p.local), "keep peerkeep"; got != want {
		t.Fatalf("document %q, want %q", got, want)
	}
}

// racyTarget merges a remote change right before the first SpliceIf, as a
// sync goroutine could.
type racyTarget struct {
	*amtext.Target
	merge func()
}

func (r *racyTarget) SpliceIf(v uint64, pos, del int, ins string) error {
	if r.merge != nil {
		m := r.merge
		r.merge = nil
		m()
	}
	return r.Target.SpliceIf(v, pos, del, ins)
}

func TestMergeBetweenReadAndSplice(t *testing.T) {
	p := newPair(t, "hello world")
	p.remoteSplice(0, 0, ">> ")
	rt := &racyTarget{Target: p.local, merge: func() { p.send(1) }}
	b, err := textsync.New(rt, textsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Local(5, 0, ","); err != nil {
		t.Fatal(err)
	}
	if got, want := text(t, p.local), ">> hello, world"; got != want {
		t.Fatalf("document %q, want %q", got, want)
	}
}

// plainTarget is a Target with neither versions nor commits, like a bare
// automerge.Text.
type plainTarget struct{ t *amtext.Target }

func (p plainTarget) Text() (string, error)                 { return p.t.Text() }
func (p plainTarget) Splice(pos, del int, ins string) error { return p.t.Splice(pos, del, ins) }

func TestPlainTargetReadsBeforeEverySplice(t *testing.T) {
	p := newPair(t, "abc")
	b, err := textsync.New(plainTarget{p.local}, textsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p.remoteSplice(0, 0, "0")
	p.send(1)
	if err := b.Local(3, 0, "d"); err != nil {
		t.Fatal(err)
	}
	if got := text(t, p.local); got != "0abcd" {
		t.Fatalf("document %q", got)
	}
}

func TestUndoRedoOwnEditsOnly(t *testing.T) {
	p := newPair(t, "")
	for i, r := range "hello world" {
		if err := p.b.Local(i, 0, string(r)); err != nil {
			t.Fatal(err)
		}
	}
	// A peer adds text before and after; undo must not touch it.
	p.send(0)
	p.remoteSplice(0, 0, "[peer] ")
	p.remoteSplice(18, 0, " [peer]")
	p.send(1)
	p.pull()
	if got := p.b.Text(); got != "[peer] hello world [peer]" {
		t.Fatalf("merged %q", got)
	}
	caret, ok, err := p.b.Undo() // removes "world"
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if got := sel(p.b.Text(), caret, caret); got != "[peer] hello | [peer]" {
		t.Fatalf("after undo %s", got)
	}
	if _, ok, _ := p.b.Undo(); !ok { // removes "hello "
		t.Fatal("second undo")
	}
	if got := p.b.Text(); got != "[peer]  [peer]" {
		t.Fatalf("after second undo %q", got)
	}
	if _, ok, _ := p.b.Undo(); ok {
		t.Fatal("undo beyond own edits")
	}
	caret, ok, err = p.b.Redo()
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if got := sel(p.b.Text(), caret, caret); got != "[peer] hello | [peer]" {
		t.Fatalf("after redo %s", got)
	}
	if got := text(t, p.local); got != p.b.Text() {
		t.Fatalf("document %q differs from view", got)
	}
}

func TestUndoDropsEditsAPeerChanged(t *testing.T) {
	p := newPair(t, "")
	if err := p.b.Local(0, 0, "draft "); err != nil {
		t.Fatal(err)
	}
	if err := p.b.Local(6, 0, "text"); err != nil {
		t.Fatal(err)
	}
	p.send(0)
	p.remoteSplice(7, 2, "EX") // the peer rewrote part of "text"
	p.send(1)
	p.pull()
	if _, ok, _ := p.b.Undo(); ok {
		t.Fatal("undo of an edit a peer changed")
	}
	if got := p.b.Text(); got != "draft tEXt" {
		t.Fatalf("text %q", got)
	}
}

func TestSpliceOutsideText(t *testing.T) {
	p := newPair(t, "abc")
	if err := p.b.Local(2, 2, ""); !errors.Is(err, textsync.ErrRange) {
		t.Fatalf("got %v", err)
	}
}

func TestCommitsInBatches(t *testing.T) {
	p := newPair(t, "")
	heads := func() int {
		chs, err := p.local.Doc().Changes()
		if err != nil {
			t.Fatal(err)
		}
		return len(chs)
	}
	before := heads()
	for i := 0; i < 7; i++ { // BatchSize 3: commits after the 3rd and 6th
		if err := p.b.Local(i, 0, "x"); err != nil {
			t.Fatal(err)
		}
	}
	if got := p.b.Pending(); got != 1 {
		t.Fatalf("pending %d", got)
	}
	if err := p.b.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := heads() - before; got != 3 {
		t.Fatalf("%d commits for 7 splices in batches of 3", got)
	}
}
