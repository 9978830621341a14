package app_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

// demoEnd is the end of the demo's seeded month in these tests.
var demoEnd = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)

// gatedSource is the real client against the fake Mackerel, whose answers
// wait for the test to open the gate: the panes load on goroutines that the
// test driver lets draw at once, so only one may run while the test waits.
// The downtimes of the upcoming-changes pane never come (not looked at).
type gatedSource struct {
	mackerelui.Source
	mu    sync.Mutex
	gates map[string]chan struct{} // by section kind
}

func newGatedSource(src mackerelui.Source) *gatedSource {
	return &gatedSource{Source: src, gates: map[string]chan struct{}{
		minutes.SectionAlerts: make(chan struct{}), minutes.SectionDashboard: make(chan struct{})}}
}

func (g *gatedSource) wait(kind string) {
	g.mu.Lock()
	gate := g.gates[kind]
	g.mu.Unlock()
	<-gate
}

// open lets the pane of a kind load; hold makes its next load wait.
func (g *gatedSource) open(kind string) { g.mu.Lock(); close(g.gates[kind]); g.mu.Unlock() }
func (g *gatedSource) hold(kind string) {
	g.mu.Lock()
	g.gates[kind] = make(chan struct{})
	g.mu.Unlock()
}

func (g *gatedSource) HygieneBoard(ctx context.Context, r mackerel.BoardRequest) (mackerel.Board, error) {
	g.wait(minutes.SectionAlerts)
	return g.Source.HygieneBoard(ctx, r)
}

func (g *gatedSource) Dashboards(ctx context.Context) (mackerel.Fetched[[]mackerel.Dashboard], error) {
	g.wait(minutes.SectionDashboard)
	return g.Source.Dashboards(ctx)
}

func (g *gatedSource) Downtimes(context.Context) (mackerel.Fetched[[]mackerel.Downtime], error) {
	<-never
	return mackerel.Fetched[[]mackerel.Downtime]{}, nil
}

// demoUI is the main window at 1600×1000 on the demo Mackerel (a fake
// seeded up to demoEnd), with a meeting on that day, panes loaded.
func demoUI(t *testing.T) (*app.UI, *gatedSource, chan string) {
	t.Helper()
	local := time.Local
	time.Local = time.UTC // the panes print local times
	t.Cleanup(func() { time.Local = local })
	a := test.NewTempApp(t)
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "onk"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	if _, err := ws.Setup("PWG", demoEnd); err != nil {
		t.Fatal(err)
	}
	e := newFakeMackerel(t, ws, demoEnd)
	src := newGatedSource(e)
	loaded := make(chan string, 8)
	u := app.New(a, ws, app.Options{Demo: true, Mackerel: src, MackerelOrg: mackereltest.OrgName,
		OnPaneLoaded: func(kind string, err error) {
			if err != nil {
				t.Errorf("%s pane: %v", kind, err)
			}
			loaded <- kind
		}})
	u.Window().Resize(fyne.NewSize(1600, 1000))
	// one pane at a time: the alerts, then (in the tests that want it) the
	// dashboard
	src.open(minutes.SectionAlerts)
	waitPane(t, loaded, minutes.SectionAlerts)
	src.hold(minutes.SectionAlerts)
	return u, src, loaded
}

// newFakeMackerel is the real client against the demo's fake Mackerel,
// seeded up to now, over real HTTP on loopback.
func newFakeMackerel(t *testing.T, ws *minutes.Workspace, now time.Time) *mackerel.Client {
	t.Helper()
	fake := mackereltest.New(mackereltest.Options{Now: now, ReviewHistory: true})
	hs := httptest.NewServer(fake)
	t.Cleanup(hs.Close)
	c, err := mackerel.New(mackerel.Config{APIKey: fake.APIKey(), BaseURL: hs.URL, Org: mackereltest.OrgName,
		DB: ws.DB(), CacheScope: "demo", Now: fake.Now})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func waitPane(t *testing.T, loaded chan string, kind string) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case k := <-loaded:
			if k == kind {
				return
			}
		case <-deadline:
			t.Fatalf("the %s pane did not load", kind)
		}
	}
}

// inView reports whether o is drawn wholly inside the window's height.
func inView(u *app.UI, o fyne.CanvasObject) bool {
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	return o.Visible() && p.Y >= 0 && p.Y+o.Size().Height <= u.Window().Canvas().Size().Height
}

// visibleLabels returns the texts of the labels of o drawn inside the window.
func visibleLabels(u *app.UI, o fyne.CanvasObject) map[string]bool {
	out := map[string]bool{}
	walk(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && inView(u, l) {
			out[l.Text] = true
		}
	})
	return out
}

// boardTitleShown reports whether the hygiene board's title is in view.
func boardTitleShown(u *app.UI, p *mackerelui.AlertsPane) bool {
	for text := range visibleLabels(u, p) {
		if strings.HasPrefix(text, "Hygiene board:") && strings.Contains(text, "periods before") {
			return true
		}
	}
	return false
}

func TestMainWindowAlertSectionWithDemoData(t *testing.T) {
	u, _, _ := demoUI(t)
	v := u.Current()
	v.ScrollTo("alerts")
	p := v.Section("alerts").Pane().(*mackerelui.AlertsPane)
	shown := visibleLabels(u, p)
	n := 0
	for _, g := range p.Groups() {
		if shown[g.MonitorName] {
			n++
		}
	}
	// Issue 11: eight at least. The hygiene board is folded to its summary
	// line in the main window, so the list has the pane.
	if len(p.Groups()) < 8 || n < 8 {
		t.Errorf("%d of %d monitor groups in view at 1600×1000, want 8 at least", n, len(p.Groups()))
	}
	if !p.BoardFolded() || boardTitleShown(u, p) {
		t.Error("the hygiene board is not folded in the main window")
	}
	if !strings.Contains(p.BoardSummary(), fmt.Sprintf("%d monitors", len(p.Board().Rows))) {
		t.Errorf("board summary %q does not count the board's %d monitors", p.BoardSummary(), len(p.Board().Rows))
	}
	test.AssertRendersToMarkup(t, "main_alerts_1600x1000.xml", u.Window().Canvas())

	// Unfolded from its summary line, the board shows its monitors again.
	var show *widget.Button
	walk(p, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Show board" {
			show = b
		}
	})
	if show == nil {
		t.Fatal("no Show board button on the folded board")
	}
	test.Tap(show)
	if p.BoardFolded() || !boardTitleShown(u, p) {
		t.Error("Show board did not unfold the hygiene board into view")
	}
}

func TestMainWindowDashboardSectionWithDemoData(t *testing.T) {
	u, src, loaded := demoUI(t)
	src.open(minutes.SectionDashboard)
	waitPane(t, loaded, minutes.SectionDashboard)
	v := u.Current()
	v.ScrollTo("dashboard")
	p := v.Section("dashboard").Pane().(*mackerelui.DashboardPane)
	rows := map[float32]bool{}
	walk(p, func(o fyne.CanvasObject) {
		if g, ok := o.(*mackerelui.Graph); ok && inView(u, g) {
			rows[fyne.CurrentApp().Driver().AbsolutePositionForObject(g).Y] = true
		}
	})
	if len(rows) < 2 {
		t.Errorf("%d rows of graphs wholly in view at 1600×1000, want 2 at least", len(rows))
	}
	test.AssertRendersToMarkup(t, "main_dashboard_1600x1000.xml", u.Window().Canvas())
}

func TestFacilitatorViewWithDemoDataAt1920x1080(t *testing.T) {
	u, src, loaded := demoUI(t)
	f := u.NewFacilitator()
	w := test.NewWindow(f.Object())
	defer w.Close()
	w.Resize(fyne.NewSize(1920, 1080))
	f.Show("alerts") // a new alerts pane, at the projector's scale
	src.open(minutes.SectionAlerts)
	waitPane(t, loaded, minutes.SectionAlerts)
	test.AssertRendersToMarkup(t, "facilitator_alerts_1920x1080.xml", w.Canvas())
}
