package mackerelui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

// boardPane loads the pane on the seeded history and shows it tall enough
// for every row of the board and the list.
func boardPane(t *testing.T, e *env, m *fakeMinutes, edit func(*mackerelui.Options)) (*mackerelui.AlertsPane, fyne.Window, *events) {
	t.Helper()
	test.NewTempApp(t)
	ev := newEvents()
	w := test.NewTempWindow(t, nil)
	opt := ev.options(w, m, "alerts")
	if edit != nil {
		edit(&opt)
	}
	p := mackerelui.NewAlertsPane(e.c, opt)
	if err := ev.waitLoaded(t); err != nil {
		t.Fatal(err)
	}
	w.SetContent(p)
	w.Resize(fyne.NewSize(1200, 5000))
	return p, w, ev
}

func TestHygieneBoardMarkup(t *testing.T) {
	e := newEnv(t, mackereltest.Options{ReviewHistory: true})
	// a stopped clock: the open alerts' durations do not depend on the machine's speed
	c, err := mackerel.New(mackerel.Config{APIKey: e.fake.APIKey(), BaseURL: e.hs.URL, Org: mackereltest.OrgName, DB: e.db,
		Now: func() time.Time { return seedEnd }})
	if err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t)
	ev := newEvents()
	p := mackerelui.NewAlertsPane(c, ev.options(test.NewTempWindow(t, nil), newMinutes(), "alerts"))
	if err := ev.waitLoaded(t); err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, p.BoardView())
	w.Resize(fyne.NewSize(1200, 2300))
	test.AssertRendersToMarkup(t, "hygiene_board.xml", w.Canvas())
}

func TestHygieneBoardShowsFlagsWithReasons(t *testing.T) {
	e := newEnv(t, mackereltest.Options{ReviewHistory: true})
	p, _, _ := boardPane(t, e, newMinutes(), nil)
	b := p.BoardView()
	for _, want := range []string{
		"noisy: fired ",
		"of them closed by themselves within 1h (median open ",
		"decision did not help: duration raised 1 → 2 on ",
		"muted for long: muted since ",
		"silent: never fired in 180 days",
		"no runbook: the memo is empty",
		"unreviewed: fired ",
		"earlier decision: warning raised 80 → 90 on ",
	} {
		if len(labelsContaining(b, want)) == 0 {
			t.Errorf("the board does not say %q", want)
		}
	}
	rows := p.Board().Rows
	if rows[0].Name != mackereltest.BurstMonitorName {
		t.Fatalf("worst first: %q", rows[0].Name)
	}
}

func TestBoardVerdictKeepRecordsAndClearsUnreviewed(t *testing.T) {
	e := newEnv(t, mackereltest.Options{ReviewHistory: true})
	m := newMinutes()
	p, _, ev := boardPane(t, e, m, nil)
	before := len(labelsContaining(p.BoardView(), "unreviewed: "))
	test.Tap(buttonAfter(t, p.BoardView(), mackereltest.CPUMonitorName, "Keep"))
	if r := ev.waitAction(t); r.action != "review" || r.err != nil {
		t.Fatalf("keep: %+v", r)
	}
	if len(m.reviews) != 1 || m.reviews[0].Verdict != "keep" || m.reviews[0].MonitorID != mackereltest.MonitorID("cpu") {
		t.Fatalf("reviews %+v", m.reviews)
	}
	if after := len(labelsContaining(p.BoardView(), "unreviewed: ")); after != before-1 {
		t.Fatalf("unreviewed flags %d → %d", before, after)
	}
	if len(labelsContaining(p.BoardView(), "verdict: keep")) != 1 || !strings.Contains(m.Notes("alerts"), "→ keep") {
		t.Fatalf("verdict not shown or logged: %q", m.Notes("alerts"))
	}
}

func TestBoardThresholdWritesBack(t *testing.T) {
	e := newEnv(t, mackereltest.Options{ReviewHistory: true})
	m := newMinutes()
	p, w, ev := boardPane(t, e, m, nil)
	{
		test.Tap(buttonAfter(t, p.BoardView(), mackereltest.MemoryMonitorName, "Threshold…"))
		form := topOverlay(t, w)
		entries(form)[0].SetText("92")
		test.Tap(buttonAfter(t, form, "", "Next"))
		test.Tap(buttonAfter(t, topOverlay(t, w), "", "Change"))
		if r := ev.waitAction(t); r.action != "thresholds" || r.err != nil {
			t.Fatalf("thresholds: %+v", r)
		}
	}
	notes := m.Notes("alerts")
	if !strings.Contains(notes, "warning 90 → 92") || !strings.Contains(notes, "written back: annotation added, memo line added") {
		t.Fatalf("notes %q", notes)
	}
	mon, _ := e.c.Monitor(context.Background(), mackereltest.MonitorID("memory"))
	if *mon.Value.Warning != 92 || strings.Count(mon.Value.Memo, "warning 90 → 92") != 1 {
		t.Fatalf("monitor after the change: %v %q", *mon.Value.Warning, mon.Value.Memo)
	}
	if m.reviews[0].Change != "warning 90 → 92" || m.reviews[0].Verdict != "tune" {
		t.Fatalf("review %+v", m.reviews)
	}
	anns, err := e.c.Annotations(context.Background(), mackereltest.ServiceName, seedEnd.Add(-time.Hour), seedEnd.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range anns.Value {
		if strings.HasPrefix(a.Title, "PWG 2026-11-20: "+mackereltest.MemoryMonitorName+" warning 90 → 92") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d annotations of the change", n)
	}
}

func TestMonitorsAsCodeMakeAnActionItem(t *testing.T) {
	e := newEnv(t, mackereltest.Options{ReviewHistory: true})
	m := newMinutes()
	p, w, ev := boardPane(t, e, m, func(o *mackerelui.Options) { o.MonitorsAsCode = "terraform" })
	puts := count(e.fake.Requests(), "PUT ")
	test.Tap(buttonAfter(t, p.BoardView(), mackereltest.MemoryMonitorName, "Threshold…"))
	form := topOverlay(t, w)
	entries(form)[0].SetText("95")
	test.Tap(buttonAfter(t, form, "", "Next"))
	dlg := topOverlay(t, w)
	if len(labelsContaining(dlg, "Terraform")) == 0 {
		t.Fatal("the dialog does not say the monitors are in code")
	}
	test.Tap(buttonAfter(t, dlg, "", "Add action item"))
	if r := ev.waitAction(t); r.action != "as-code" || r.err != nil {
		t.Fatalf("as code: %+v", r)
	}
	if count(e.fake.Requests(), "PUT ") != puts {
		t.Fatal("Mackerel was changed although the monitors are kept as code")
	}
	if len(m.actions) != 1 {
		t.Fatalf("action items %+v", m.actions)
	}
	dc := m.actions[0].DoneCriteria
	for _, want := range []string{mackereltest.MonitorID("memory"), mackereltest.MemoryMonitorName, "warning 90 → 95", "Terraform"} {
		if !strings.Contains(dc, want) {
			t.Fatalf("done criteria %q lack %q", dc, want)
		}
	}
	if len(m.reviews) != 1 || m.reviews[0].Change != "warning 90 → 95" {
		t.Fatalf("reviews %+v", m.reviews)
	}
}

func TestBoardMuteWritesBack(t *testing.T) {
	e := newEnv(t, mackereltest.Options{ReviewHistory: true})
	m := newMinutes()
	p, w, ev := boardPane(t, e, m, nil)
	test.Tap(buttonAfter(t, p.BoardView(), mackereltest.NoisyMonitorName, "Mute…"))
	dlg := topOverlay(t, w)
	if len(labelsContaining(dlg, "muted (alert review) [pwg:")) != 1 {
		t.Fatal("the memo line is not shown")
	}
	test.Tap(buttonAfter(t, dlg, "", "Mute"))
	if r := ev.waitAction(t); r.action != "mute" || r.err != nil {
		t.Fatalf("mute: %+v", r)
	}
	mon, err := e.c.Monitor(context.Background(), mackereltest.MonitorID("batch"))
	if err != nil || !mon.Value.IsMute || !strings.Contains(mon.Value.Memo, "PWG 2026-11-20: muted (alert review) [pwg:") {
		t.Fatalf("monitor %+v %v", mon.Value, err)
	}
	buttonAfter(t, p.BoardView(), mackereltest.NoisyMonitorName, "Unmute…")
	if len(m.reviews) != 1 || m.reviews[0].Change != "muted" {
		t.Fatalf("reviews %+v", m.reviews)
	}
}

func count(reqs []string, prefix string) int {
	n := 0
	for _, r := range reqs {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	return n
}

// flakyWriteBack fails the first write-back as a dropped connection would.
type flakyWriteBack struct {
	*mackerel.Client
	failed bool
}

func (f *flakyWriteBack) ApplyWriteBack(ctx context.Context, w mackerel.WriteBack) (mackerel.WriteBackResult, error) {
	if !f.failed {
		f.failed = true
		return mackerel.WriteBackResult{}, mackerel.ErrUnavailable
	}
	return f.Client.ApplyWriteBack(ctx, w)
}

func TestFailedWriteBackIsRetriedOnce(t *testing.T) {
	e := newEnv(t, mackereltest.Options{ReviewHistory: true})
	m := newMinutes()
	test.NewTempApp(t)
	ev := newEvents()
	w := test.NewTempWindow(t, nil)
	p := mackerelui.NewAlertsPane(&flakyWriteBack{Client: e.c}, ev.options(w, m, "alerts"))
	if err := ev.waitLoaded(t); err != nil {
		t.Fatal(err)
	}
	w.SetContent(p)
	w.Resize(fyne.NewSize(1200, 5000))
	test.Tap(buttonAfter(t, p.BoardView(), mackereltest.MemoryMonitorName, "Threshold…"))
	form := topOverlay(t, w)
	entries(form)[0].SetText("93")
	test.Tap(buttonAfter(t, form, "", "Next"))
	test.Tap(buttonAfter(t, topOverlay(t, w), "", "Change"))
	if r := ev.waitAction(t); r.err != nil {
		t.Fatal(r.err)
	}
	if !strings.Contains(m.Notes("alerts"), "warning 90 → 93") || !strings.Contains(m.Notes("alerts"), "not written back into Mackerel") {
		t.Fatalf("notes %q", m.Notes("alerts"))
	}
	test.Tap(buttonAfter(t, w.Content(), "", "Retry write-back (1)"))
	if r := ev.waitAction(t); r.action != "write-back" || r.err != nil {
		t.Fatalf("retry: %+v", r)
	}
	if !strings.Contains(m.Notes("alerts"), "warning 90 → 93 written back: annotation added, memo line added") {
		t.Fatalf("notes %q", m.Notes("alerts"))
	}
	mon, _ := e.c.Monitor(context.Background(), mackereltest.MonitorID("memory"))
	if strings.Count(mon.Value.Memo, "warning 90 → 93") != 1 {
		t.Fatalf("memo %q", mon.Value.Memo)
	}
}
