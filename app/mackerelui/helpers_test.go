package mackerelui_test

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	_ "modernc.org/sqlite"

	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

var seedEnd = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)

// env is a fake Mackerel over real HTTP, a workspace database and a client.
type env struct {
	fake *mackereltest.Server
	hs   *httptest.Server
	db   *sql.DB
	c    *mackerel.Client
}

func newEnv(t testing.TB, opts mackereltest.Options) *env {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = seedEnd
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "ws.db")+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	e := &env{fake: mackereltest.New(opts), db: db}
	e.hs = httptest.NewServer(e.fake)
	t.Cleanup(e.hs.Close)
	e.c = e.client(t, e.fake.APIKey())
	return e
}

func (e *env) client(t testing.TB, key string) *mackerel.Client {
	t.Helper()
	c, err := mackerel.New(mackerel.Config{APIKey: key, BaseURL: e.hs.URL, Org: mackereltest.OrgName, DB: e.db,
		Retry: mackerel.RetryPolicy{Attempts: 2, Base: time.Millisecond, Max: 2 * time.Millisecond},
		Now:   e.fake.Now})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fakeMinutes records what the panes write.
type fakeMinutes struct {
	mu          sync.Mutex
	notes       map[string]string
	reviews     []minutes.AlertReview
	attachments []minutes.Attachment
	blobs       [][]byte
	actions     []minutes.ActionItem
	id          string
}

func newMinutes() *fakeMinutes { return &fakeMinutes{notes: map[string]string{}} }

func (m *fakeMinutes) AppendNotes(key, text string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.notes[key] += text
	return nil
}

func (m *fakeMinutes) PutAlertReview(r minutes.AlertReview) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r.Verdict == "" {
		return errors.New("no verdict")
	}
	m.reviews = append(m.reviews, r)
	return nil
}

func (m *fakeMinutes) ID() string {
	if m.id == "" {
		return "meeting-test"
	}
	return m.id
}

func (m *fakeMinutes) AlertReviews() ([]minutes.AlertReview, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]minutes.AlertReview(nil), m.reviews...), nil
}

func (m *fakeMinutes) AddActionItem(a minutes.ActionItem) (minutes.ActionItem, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a.ID = fmt.Sprintf("a%d", len(m.actions)+1)
	m.actions = append(m.actions, a)
	return a, nil
}

func (m *fakeMinutes) AddAttachment(a minutes.Attachment, data []byte) (minutes.Attachment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a.Hash, a.Size = "h"+string(rune('0'+len(m.blobs))), len(data)
	m.attachments = append(m.attachments, a)
	m.blobs = append(m.blobs, data)
	return a, nil
}

func (m *fakeMinutes) Notes(key string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.notes[key]
}

// events collects OnLoaded and OnAction calls.
type events struct {
	loaded chan error
	acted  chan actionResult
}

type actionResult struct {
	action string
	err    error
}

func newEvents() *events {
	return &events{loaded: make(chan error, 16), acted: make(chan actionResult, 16)}
}

func (ev *events) options(w fyne.Window, m mackerelui.Minutes, section string) mackerelui.Options {
	return mackerelui.Options{Window: w, Minutes: m, SectionKey: section, User: "alice", Org: mackereltest.OrgName,
		Location: time.UTC, Now: func() time.Time { return seedEnd },
		OnLoaded: func(err error) { ev.loaded <- err },
		OnAction: func(a string, err error) { ev.acted <- actionResult{a, err} }}
}

func (ev *events) waitLoaded(t testing.TB) error {
	t.Helper()
	select {
	case err := <-ev.loaded:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("the pane did not load within 30 s")
	}
	return nil
}

func (ev *events) waitAction(t testing.TB) actionResult {
	t.Helper()
	select {
	case r := <-ev.acted:
		return r
	case <-time.After(30 * time.Second):
		t.Fatal("the action did not end within 30 s")
	}
	return actionResult{}
}

// objects lists every object laid out under o.
// objects lists the visible objects under o, as a user sees them: nothing
// inside a hidden container (the alert list reuses row widgets and hides
// the part a row does not use).
func objects(o fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		out = append(out, o)
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// buttonAfter finds the first button with text that follows a label with
// anchor text (anchor "" means from the start).
func buttonAfter(t testing.TB, root fyne.CanvasObject, anchor, text string) *widget.Button {
	t.Helper()
	seen := anchor == ""
	for _, o := range objects(root) {
		switch x := o.(type) {
		case *widget.Label:
			if x.Text == anchor {
				seen = true
			}
		case *widget.Button:
			if seen && x.Text == text && x.Visible() {
				return x
			}
		}
	}
	t.Fatalf("no button %q after %q", text, anchor)
	return nil
}

// topOverlay returns the dialog on top of the canvas.
func topOverlay(t testing.TB, w fyne.Window) fyne.CanvasObject {
	t.Helper()
	o := w.Canvas().Overlays().Top()
	if o == nil {
		t.Fatal("no dialog is shown")
	}
	return o
}

func entries(root fyne.CanvasObject) []*widget.Entry {
	var out []*widget.Entry
	for _, o := range objects(root) {
		if e, ok := o.(*widget.Entry); ok {
			out = append(out, e)
		}
	}
	return out
}

func labelsContaining(root fyne.CanvasObject, s string) []string {
	var out []string
	for _, o := range objects(root) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, s) {
			out = append(out, l.Text)
		}
	}
	return out
}
