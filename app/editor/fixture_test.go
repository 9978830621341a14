package editor_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/app/editor"
	"github.com/pwg-team/pwg/crdt/textsync"
	"github.com/pwg-team/pwg/crdt/textsync/amtext"
)

// replicas returns a local replica holding text, and a peer's replica of
// the same document.
func replicas(t testing.TB, text string) (local, remote *amtext.Target) {
	t.Helper()
	doc := automerge.New()
	if err := doc.SetActorID("aa01"); err != nil {
		t.Fatal(err)
	}
	local, err := amtext.New(doc, "notes")
	if err != nil {
		t.Fatal(err)
	}
	if err := local.Splice(0, 0, text); err != nil {
		t.Fatal(err)
	}
	if err := local.Commit(); err != nil {
		t.Fatal(err)
	}
	rdoc, err := automerge.Load(doc.Save())
	if err != nil {
		t.Fatal(err)
	}
	if err := rdoc.SetActorID("bb02"); err != nil {
		t.Fatal(err)
	}
	if remote, err = amtext.New(rdoc, "notes"); err != nil {
		t.Fatal(err)
	}
	return local, remote
}

// keyed is an editor that also takes key-down/up (shift selections).
type keyed interface {
	editor.Notes
	KeyDown(*fyne.KeyEvent)
	KeyUp(*fyne.KeyEvent)
	TypedShortcut(fyne.Shortcut)
	SelectedText() string
}

// fixtureOf is an editor bound to a local replica, and a peer's replica:
// the same checks run on both editors.
type fixtureOf[E keyed] struct {
	t       testing.TB
	ed      E
	local   *amtext.Target
	remote  *amtext.Target
	splices []splice
	sent    [2][]automerge.ChangeHash
	win     fyne.Window
}

type (
	fixture     = fixtureOf[*editor.Editor]
	longFixture = fixtureOf[*editor.LongEditor]
)

func newFixtureOf[E keyed](t testing.TB, text string, size fyne.Size, make func(textsync.Target, textsync.Options) (E, error)) *fixtureOf[E] {
	t.Helper()
	test.NewTempApp(t)
	local, remote := replicas(t, text)
	ed, err := make(local, textsync.Options{BatchSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixtureOf[E]{t: t, ed: ed, local: local, remote: remote}
	ed.SetOnLocalSplice(func(pos, del int, ins string) { f.splices = append(f.splices, splice{pos, del, ins}) })
	ed.SetOnError(func(err error) { t.Errorf("editor error: %v", err) })
	f.sent[0], _ = local.Heads()
	f.sent[1], _ = remote.Heads()
	f.win = test.NewWindow(ed)
	f.win.Resize(size)
	f.win.Canvas().Focus(ed)
	return f
}

func newFixture(t testing.TB, text string) *fixture {
	return newFixtureOf(t, text, fyne.NewSize(500, 300), editor.New)
}

func newLongFixture(t testing.TB, text string, size fyne.Size) *longFixture {
	return newFixtureOf(t, text, size, editor.NewLong)
}

func (f *fixtureOf[E]) docText() string {
	f.t.Helper()
	s, err := f.local.Text()
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// check asserts that the document holds what the editor shows.
func (f *fixtureOf[E]) check(want string) {
	f.t.Helper()
	if got := f.ed.Value(); got != want {
		f.t.Fatalf("editor shows %q, want %q", got, want)
	}
	if got := f.docText(); got != want {
		f.t.Fatalf("document holds %q, want %q", got, want)
	}
}

// remoteEdit makes a peer's edit and merges it into the local replica (the
// sync layer's job), then pulls it into the editor.
func (f *fixtureOf[E]) remoteEdit(pos, del int, ins string) {
	f.t.Helper()
	if err := f.remote.Splice(pos, del, ins); err != nil {
		f.t.Fatal(err)
	}
	chs, err := f.remote.Changes(f.sent[1]...)
	if err != nil {
		f.t.Fatal(err)
	}
	if f.sent[1], err = f.remote.Heads(); err != nil {
		f.t.Fatal(err)
	}
	if err := f.local.Apply(chs...); err != nil {
		f.t.Fatal(err)
	}
	if err := f.ed.Pull(); err != nil {
		f.t.Fatal(err)
	}
}

// sendLocal merges the local replica's changes into the peer's.
func (f *fixtureOf[E]) sendLocal() {
	f.t.Helper()
	if err := f.ed.Flush(); err != nil {
		f.t.Fatal(err)
	}
	chs, err := f.local.Changes(f.sent[0]...)
	if err != nil {
		f.t.Fatal(err)
	}
	if f.sent[0], err = f.local.Heads(); err != nil {
		f.t.Fatal(err)
	}
	if err := f.remote.Apply(chs...); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixtureOf[E]) key(name fyne.KeyName, times int) {
	for i := 0; i < times; i++ {
		f.ed.TypedKey(&fyne.KeyEvent{Name: name})
	}
}

// shiftKey presses name times with shift held (extends the selection).
func (f *fixtureOf[E]) shiftKey(name fyne.KeyName, times int) {
	f.ed.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	f.key(name, times)
	f.ed.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
}

// selectLeft selects n characters left of the caret with shift+left.
func (f *fixtureOf[E]) selectLeft(n int) { f.shiftKey(fyne.KeyLeft, n) }

// caret renders the caret with two characters on each side.
func (f *fixtureOf[E]) caret() string {
	return caretContext(f.ed.Value(), f.ed.CursorTextOffset())
}
