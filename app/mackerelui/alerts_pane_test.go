package mackerelui_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

func newAlertsPane(t *testing.T, src mackerelui.Source, m mackerelui.Minutes) (*mackerelui.AlertsPane, fyne.Window, *events) {
	t.Helper()
	test.NewTempApp(t)
	ev := newEvents()
	w := test.NewTempWindow(t, nil)
	p := mackerelui.NewAlertsPane(src, ev.options(w, m, "alerts"))
	if err := ev.waitLoaded(t); err != nil {
		t.Fatalf("load: %v", err)
	}
	w.SetContent(p)
	w.Resize(fyne.NewSize(1100, 1700)) // every group in view: the list only lays out the rows it shows
	return p, w, ev
}

func TestAlertsPaneGroupsAndCounts(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	p, w, _ := newAlertsPane(t, e.c, newMinutes())
	groups := p.Groups()
	if len(groups) != 7 {
		t.Fatalf("%d groups", len(groups))
	}
	if groups[0].MonitorName != mackereltest.NoisyMonitorName {
		t.Fatalf("first group %q, want the noisy monitor", groups[0].MonitorName)
	}
	// what the user reads
	c := w.Content()
	if got := labelsContaining(c, "alerts from 7 monitors"); len(got) != 1 {
		t.Fatalf("status: %v", got)
	}
	summary := labelsContaining(c, "alerts · ")
	if len(summary) != 7 {
		t.Fatalf("group summaries: %v", summary)
	}
	want := itoa(groups[0].Count) + " alerts · 0 open · " + itoa(groups[0].Count) + " closed"
	if !strings.HasPrefix(summary[0], want) || !strings.Contains(summary[0], "first 10/2") {
		t.Fatalf("first summary %q, want %q…", summary[0], want)
	}
	if len(labelsContaining(c, "> warning 20000 / critical 40000, duration 1")) != 1 {
		t.Fatal("the noisy monitor's thresholds are not shown")
	}
	// expanding a group lists its alerts
	test.Tap(buttonAfter(t, p.ListView(), mackereltest.NoisyMonitorName, "Alerts ▸"))
	if n := p.ListView().(*widget.List).Length(); n != len(groups)+groups[0].Count {
		t.Fatalf("%d rows, want %d groups + %d alerts", n, len(groups), groups[0].Count)
	}
	// the rows in view: how bad it got (not "OK"), the host's name, how it went
	rows := labelsContaining(p.ListView(), "  CRITICAL  batch-0")
	if len(rows) < 5 || len(labelsContaining(p.ListView(), "opened CRITICAL, closed by itself  ·  closed 11/")) < 5 {
		t.Fatalf("alert rows in view: %v", rows)
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// changeCPUThresholds drives the threshold dialogs: warning 75, duration 10.
func changeCPUThresholds(t *testing.T, p *mackerelui.AlertsPane, w fyne.Window) {
	t.Helper()
	test.Tap(buttonAfter(t, p.ListView(), mackereltest.CPUMonitorName, "Thresholds…"))
	form := topOverlay(t, w)
	es := entries(form)
	if len(es) != 3 || es[0].Text != "70" || es[1].Text != "85" || es[2].Text != "5" {
		t.Fatalf("threshold form entries %d %v", len(es), es)
	}
	es[0].SetText("75")
	es[2].SetText("10")
	test.Tap(buttonAfter(t, form, "", "Next"))
	confirm := topOverlay(t, w)
	if len(labelsContaining(confirm, "“app CPU user %”: warning 70 → 75, duration 5 → 10.")) != 1 {
		t.Fatal("the confirmation does not show before → after")
	}
	// the write-back, on by default, is shown as it will be written
	if len(labelsContaining(confirm, "“PWG 2026-11-20: app CPU user % warning 70 → 75, duration 5 → 10”")) != 1 ||
		len(labelsContaining(confirm, "“PWG 2026-11-20: warning 70 → 75, duration 5 → 10 (alert review) [pwg:")) != 1 {
		t.Fatal("the confirmation does not show the annotation and the memo line")
	}
	test.Tap(buttonAfter(t, confirm, "", "Change"))
}

func TestThresholdChangeConfirmedAndLogged(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	m := newMinutes()
	p, w, ev := newAlertsPane(t, e.c, m)
	changeCPUThresholds(t, p, w)
	if r := ev.waitAction(t); r.action != "thresholds" || r.err != nil {
		t.Fatalf("action %+v", r)
	}
	// in Mackerel
	var id string
	for _, g := range p.Groups() {
		if g.MonitorName == mackereltest.CPUMonitorName {
			id = g.MonitorID
			if g.Monitor == nil || *g.Monitor.Warning != 75 {
				t.Fatalf("pane shows %+v", g.Monitor)
			}
		}
	}
	got, err := e.c.Monitor(context.Background(), id)
	if err != nil || got.Stale || *got.Value.Warning != 75 || got.Value.Duration != 10 {
		t.Fatalf("monitor in Mackerel: %+v %v", got.Value, err)
	}
	// in the minutes: who, when, before → after
	notes := m.Notes("alerts")
	for _, want := range []string{"2026-11-20 03:00 alice:", "“app CPU user %” changed: warning 70 → 75, duration 5 → 10",
		"https://mackerel.io/orgs/pwg-demo/monitors/" + id} {
		if !strings.Contains(notes, want) {
			t.Fatalf("notes %q lack %q", notes, want)
		}
	}
	if len(labelsContaining(w.Content(), "> warning 75 / critical 85, duration 10")) != 1 {
		t.Fatal("the pane does not show the new thresholds")
	}
}

func TestFailedWriteChangesNothingInTheMinutes(t *testing.T) {
	e := newEnv(t, mackereltest.Options{ReadOnlyKey: "read-only"})
	m := newMinutes()
	p, w, ev := newAlertsPane(t, e.client(t, "read-only"), m)
	changeCPUThresholds(t, p, w)
	r := ev.waitAction(t)
	if !errors.Is(r.err, mackerel.ErrForbidden) {
		t.Fatalf("action error %v, want ErrForbidden", r.err)
	}
	if notes := m.Notes("alerts"); notes != "" {
		t.Fatalf("the minutes were written: %q", notes)
	}
	if len(labelsContaining(topOverlay(t, w), "write permission")) == 0 {
		t.Fatal("the error dialog does not say why")
	}
	got, _ := e.c.Monitors(context.Background())
	for _, mon := range got.Value {
		if mon.Name == mackereltest.CPUMonitorName && *mon.Warning != 70 {
			t.Fatalf("monitor changed: %+v", mon)
		}
	}
}

func TestReviewAndDeleteWithTypedConfirmation(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	m := newMinutes()
	p, w, ev := newAlertsPane(t, e.c, m)

	test.Tap(buttonAfter(t, p.ListView(), mackereltest.NoisyMonitorName, "Review…"))
	form := topOverlay(t, w)
	for _, o := range objects(form) {
		if s, ok := o.(interface{ SetSelectedIndex(int) }); ok {
			s.SetSelectedIndex(2) // delete: noise
		}
	}
	entries(form)[0].SetText("fires every night during the batch; nobody acts")
	test.Tap(buttonAfter(t, form, "", "Add to review"))
	if r := ev.waitAction(t); r.err != nil {
		t.Fatal(r.err)
	}
	if len(m.reviews) != 1 || m.reviews[0].Verdict != "delete" || m.reviews[0].Count != p.Groups()[0].Count {
		t.Fatalf("reviews %+v", m.reviews)
	}

	test.Tap(buttonAfter(t, p.ListView(), mackereltest.NoisyMonitorName, "Delete monitor…"))
	dlg := topOverlay(t, w)
	del := buttonAfter(t, dlg, "", "Delete monitor")
	if !del.Disabled() {
		t.Fatal("delete is enabled before the name is typed")
	}
	test.Type(entries(dlg)[0], "batch disk")
	if !del.Disabled() {
		t.Fatal("delete is enabled with half the name")
	}
	test.Type(entries(dlg)[0], " writes")
	if del.Disabled() {
		t.Fatal("delete stays disabled with the full name")
	}
	test.Tap(del)
	if r := ev.waitAction(t); r.action != "delete" || r.err != nil {
		t.Fatalf("delete: %+v", r)
	}
	if _, err := e.c.Monitor(context.Background(), p.Groups()[0].MonitorID); !errors.Is(err, mackerel.ErrNotFound) {
		t.Fatalf("the monitor still exists in Mackerel: %v", err)
	}
	notes := m.Notes("alerts")
	if !strings.Contains(notes, "→ delete") || !strings.Contains(notes, "monitor “batch disk writes” deleted") {
		t.Fatalf("notes %q", notes)
	}
}

// closeAnOpenAlert closes an open alert of the last group with one, with a
// reason, through the list's Close… and the dialogs.
func closeAnOpenAlert(t *testing.T, p *mackerelui.AlertsPane, w fyne.Window) {
	t.Helper()
	var name string
	for _, g := range p.Groups() {
		if g.Open > 0 {
			name = g.MonitorName
		}
	}
	test.Tap(buttonAfter(t, p.ListView(), name, "Alerts ▸"))
	test.Tap(buttonAfter(t, p.ListView(), name, "Close…"))
	entries(topOverlay(t, w))[0].SetText("expected after the campaign")
	test.Tap(buttonAfter(t, topOverlay(t, w), "", "Next"))
	test.Tap(buttonAfter(t, topOverlay(t, w), "", "Close alert"))
}

func TestCloseAlertWithReason(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	m := newMinutes()
	p, w, ev := newAlertsPane(t, e.c, m)
	closeAnOpenAlert(t, p, w)
	if r := ev.waitAction(t); r.action != "close" || r.err != nil {
		t.Fatalf("close: %+v", r)
	}
	if !strings.Contains(m.Notes("alerts"), "closed (WARNING → OK") {
		t.Fatalf("notes %q", m.Notes("alerts"))
	}
	for _, g := range p.Groups() {
		if g.Open != 0 {
			t.Fatalf("group %s still has %d open", g.MonitorName, g.Open)
		}
	}
}

func TestAlertsPaneOfflineStaleView(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	newAlertsPane(t, e.c, newMinutes()) // fills the cache
	e.fake.Fail(http.StatusInternalServerError, -1)
	p, w, _ := newAlertsPane(t, e.c, newMinutes())
	if len(p.Groups()) != 7 {
		t.Fatalf("%d groups offline", len(p.Groups()))
	}
	banner := labelsContaining(w.Content(), "Offline view: data fetched")
	if len(banner) != 1 || !strings.Contains(banner[0], "cannot reach Mackerel") {
		t.Fatalf("banner %v", banner)
	}
}

func TestAlertsPanePeriodFromOptionsAndOrgLookup(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	test.NewTempApp(t)
	ev := newEvents()
	w := test.NewTempWindow(t, nil)
	m := newMinutes()
	opt := ev.options(w, m, "alerts")
	opt.From, opt.To, opt.Org = seedEnd.Add(-3*24*time.Hour), seedEnd, ""
	p := mackerelui.NewAlertsPane(e.c, opt)
	if err := ev.waitLoaded(t); err != nil {
		t.Fatal(err)
	}
	w.SetContent(p)
	total := 0
	for _, g := range p.Groups() {
		total += g.Count
		if g.Last.Before(opt.From) && g.Open == 0 {
			t.Fatalf("group %s has no alert in the period", g.MonitorName)
		}
	}
	if total == 0 || total > 12 {
		t.Fatalf("%d alerts in 3 days", total)
	}
	if len(labelsContaining(w.Content(), "2026-11-17 – 2026-11-20")) != 1 {
		t.Fatal("the status does not show the period")
	}
	// the organisation is read from Mackerel for links
	test.Tap(buttonAfter(t, w.Content(), "", "Review…"))
	form := topOverlay(t, w)
	for _, o := range objects(form) {
		if s, ok := o.(interface{ SetSelectedIndex(int) }); ok {
			s.SetSelectedIndex(0)
		}
	}
	test.Tap(buttonAfter(t, form, "", "Add to review"))
	if r := ev.waitAction(t); r.err != nil {
		t.Fatal(r.err)
	}
	if len(m.reviews) != 1 || !strings.HasPrefix(m.reviews[0].Link, "https://mackerel.io/orgs/pwg-demo/monitors/") {
		t.Fatalf("review %+v", m.reviews)
	}
}
