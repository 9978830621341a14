package mackerelui_test

import (
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

// mapNotes keeps graph notes in a map (the app keeps them in the series
// document).
type mapNotes struct {
	mu sync.Mutex
	m  map[string]string
}

func (n *mapNotes) GraphNote(key string) (string, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	v, ok := n.m[key]
	return v, ok
}

func (n *mapNotes) SetGraphNote(key, _, note string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.m[key] = note
	return nil
}

// TestGraphNotes: each graph shows its note, a graph without one is
// marked, and a note changed elsewhere shows after RefreshNotes.
func TestGraphNotes(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	test.NewTempApp(t)
	latency := mackerel.GraphSpec{Type: "service", ServiceName: mackereltest.ServiceName, Name: "app.latency"}.Key()
	notes := &mapNotes{m: map[string]string{latency: "p95 over 300 ms breaks the latency SLO"}}
	ev := newEvents()
	w := test.NewTempWindow(t, nil)
	opts := ev.options(w, newMinutes(), "dashboard")
	opts.Notes = notes
	p := mackerelui.NewDashboardPane(e.c, opts)
	if err := ev.waitLoaded(t); err != nil {
		t.Fatal(err)
	}
	w.SetContent(p)
	w.Resize(fyne.NewSize(1280, 1400))
	if got, ok := p.NoteText("p50 / p95 latency (ms)"); !ok || got != "p95 over 300 ms breaks the latency SLO" {
		t.Errorf("latency note %q %v", got, ok)
	}
	cpu, ok := p.NoteText("app CPU user %")
	if !ok || !strings.HasPrefix(cpu, "No note yet") {
		t.Errorf("a graph without a note is not marked: %q", cpu)
	}
	// 9 graph widgets (7 drawn, expression and query linked), one with a note
	if n := p.GraphsWithoutNote(); n != 8 || !strings.HasSuffix(p.Status(), " · 8 of 9 graphs without a note") {
		t.Errorf("%d graphs without a note, want 8; status %q", n, p.Status())
	}
	_ = notes.SetGraphNote(mackerel.GraphSpec{Type: "role", RoleFullName: "web:app", Name: "cpu.user.percentage"}.Key(), "", "85 % pages")
	p.RefreshNotes()
	if cpu, _ := p.NoteText("app CPU user %"); cpu != "85 % pages" {
		t.Errorf("after a sync: %q", cpu)
	}
	if p.GraphsWithoutNote() != 7 || !strings.HasSuffix(p.Status(), " · 7 of 9 graphs without a note") {
		t.Errorf("still %d without a note; status %q", p.GraphsWithoutNote(), p.Status())
	}
}
