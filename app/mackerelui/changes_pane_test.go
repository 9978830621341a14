package mackerelui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

func TestScheduleDowntimeConfirmedLoggedAndAnnotatedOnce(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	m := newMinutes()
	test.NewTempApp(t)
	ev := newEvents()
	w := test.NewTempWindow(t, nil)
	p := mackerelui.NewChangesPane(e.c, ev.options(w, m, "changes"))
	if err := ev.waitLoaded(t); err != nil {
		t.Fatal(err)
	}
	w.SetContent(p)
	w.Resize(fyne.NewSize(900, 700))
	if len(labelsContaining(p, "No downtime is scheduled.")) != 1 {
		t.Fatal("the empty list is not said")
	}
	schedule := func() {
		test.Tap(buttonAfter(t, p, "", "Schedule a downtime…"))
		form := topOverlay(t, w)
		es := entries(form)
		es[0].SetText("DB maintenance")
		es[1].SetText("2026-11-27 02:00")
		es[2].SetText("90")
		var sels []*widget.Select
		for _, o := range objects(form) {
			if s, ok := o.(*widget.Select); ok {
				sels = append(sels, s)
			}
		}
		sels[0].SetSelected("role web:db")
		sels[1].SetSelected("weekly")
		test.Tap(buttonAfter(t, form, "", "Next"))
		dlg := topOverlay(t, w)
		if len(labelsContaining(dlg, "“DB maintenance”: web:db, 2026-11-27 02:00 for 1h30m, weekly")) != 1 {
			t.Fatal("the confirmation does not describe the downtime")
		}
		test.Tap(buttonAfter(t, dlg, "", "Schedule"))
		if r := ev.waitAction(t); r.action != "downtime" || r.err != nil {
			t.Fatalf("downtime: %+v", r)
		}
		if err := ev.waitLoaded(t); err != nil { // the list is read again
			t.Fatal(err)
		}
	}
	schedule()
	ds := e.fake.Downtimes()
	if len(ds) != 1 || ds[0].Duration != 90 || len(ds[0].RoleScopes) != 1 || ds[0].Recurrence == nil {
		t.Fatalf("downtimes %+v", ds)
	}
	notes := m.Notes("changes")
	if !strings.Contains(notes, "alice: downtime “DB maintenance”: web:db, 2026-11-27 02:00 for 1h30m, weekly scheduled in Mackerel; annotation added") {
		t.Fatalf("notes %q", notes)
	}
	if len(labelsContaining(p, "“DB maintenance”")) != 1 {
		t.Fatal("the scheduled downtime is not listed")
	}
	// the same plan again (a second laptop, or a retry): nothing new in Mackerel
	schedule()
	if n := len(e.fake.Downtimes()); n != 1 {
		t.Fatalf("%d downtimes after a repeat", n)
	}
	if !strings.Contains(m.Notes("changes"), "was already scheduled in Mackerel; annotation already there") {
		t.Fatalf("notes %q", m.Notes("changes"))
	}
	start := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	anns, err := e.c.Annotations(context.Background(), mackereltest.ServiceName, start, start.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range anns.Value {
		if a.Title == "PWG planned: DB maintenance" && len(a.Roles) == 1 && a.Roles[0] == "db" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d annotations of the downtime: %+v", n, anns.Value)
	}
}
