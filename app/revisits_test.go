package app_test

import (
	"strings"
	"testing"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/minutes"
)

// waitRevisits waits until the revisits due of the meeting shown are shown.
func waitRevisits(t *testing.T, u *app.UI) {
	t.Helper()
	recv(t, u.RevisitsShown(), "revisits due")
}

// TestRevisitsAreWorkedOutOffTheUIGoroutine: a refresh of the review (a
// document change) returns before the revisits due are worked out (they
// list every meeting); the refreshes that come meanwhile cost one more
// computation, whose result is the one shown; a meeting naming no revisit
// date shows none at once, without a computation.
func TestRevisitsAreWorkedOutOffTheUIGoroutine(t *testing.T) {
	u, _ := newUI(t) // the meeting of 2026-11-24
	m := u.Current().Meeting()
	started, hold := make(chan struct{}, 16), make(chan struct{})
	app.SetRevisitsHook(u, func() {
		started <- struct{}{}
		<-hold
	})
	changed := docs.Event{DocID: m.ID(), Origin: docs.FromLocal, Meta: true} // an SLO saved
	put := func(r minutes.SLORow) {
		t.Helper()
		if err := m.PutSLO(r); err != nil {
			t.Fatal(err)
		}
		u.Apply(changed)
	}
	put(minutes.SLORow{Name: "availability", Objective: "99.9%", RevisitDate: "2026-10-01"})
	recv(t, started, "the first computation")
	if got := u.Revisits(); got != "" {
		t.Fatalf("banner %q before the computation ended", got)
	}
	put(minutes.SLORow{Name: "latency", Objective: "99%", RevisitDate: "2026-11-01"})
	u.Apply(changed)
	u.Apply(changed)
	select {
	case <-started:
		t.Fatal("a second computation started while the first ran")
	default:
	}
	close(hold)
	waitRevisits(t, u)
	if n := len(started); n != 1 {
		t.Errorf("%d more computations after a burst of refreshes, want 1", n)
	}
	got := u.Revisits()
	if !strings.Contains(got, "availability (2026-10-01, overdue)") || !strings.Contains(got, "latency (2026-11-01, overdue)") {
		t.Errorf("banner %q, want both overdue revisits (the latest state)", got)
	}

	// No revisit date left: the banner goes at once.
	<-started
	rows, err := m.SLOs()
	if err != nil || len(rows) != 2 {
		t.Fatalf("SLOs %+v %v", rows, err)
	}
	for _, r := range rows {
		r.RevisitDate = ""
		if err := m.PutSLO(r); err != nil {
			t.Fatal(err)
		}
	}
	u.Apply(changed)
	if got := u.Revisits(); got != "" {
		t.Errorf("banner %q with no revisit date", got)
	}
	if len(started) != 0 {
		t.Error("a computation ran for a meeting naming no revisit date")
	}
}

// TestKeystrokesDoNotRefreshTheReview: a keystroke in the notes (a Typing
// event) does not work out the revisits again; a change of the SLOs
// committed together with notes typed before it does.
func TestKeystrokesDoNotRefreshTheReview(t *testing.T) {
	u, _ := newUI(t)
	m := u.Current().Meeting()
	if err := m.PutSLO(minutes.SLORow{Name: "availability", Objective: "99.9%", RevisitDate: "2026-10-01"}); err != nil {
		t.Fatal(err)
	}
	keystroke := docs.Event{DocID: m.ID(), Origin: docs.FromLocal}
	if !keystroke.Typing() {
		t.Fatal("the keystroke event is not Typing")
	}
	u.Apply(keystroke)
	select {
	case <-u.RevisitsShown():
	default:
		t.Fatal("a keystroke started working out the revisits")
	}
	if got := u.Revisits(); got != "" {
		t.Fatalf("banner %q after a keystroke", got)
	}
	u.Apply(docs.Event{DocID: m.ID(), Origin: docs.FromLocal, Sections: []string{"topics"}, Meta: true})
	waitRevisits(t, u)
	if got := u.Revisits(); !strings.Contains(got, "availability (2026-10-01, overdue)") {
		t.Errorf("banner %q after the SLO change committed with notes", got)
	}
}
