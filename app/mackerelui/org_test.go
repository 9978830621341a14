package mackerelui_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

// lateOrg is Mackerel that cannot tell the organisation the first time it
// is asked, and holds alert closes until release is closed.
type lateOrg struct {
	mackerelui.Source
	asked   atomic.Int32
	closing chan struct{}
	release chan struct{}
}

func (s *lateOrg) Org(ctx context.Context) (mackerel.Fetched[string], error) {
	if s.asked.Add(1) == 1 {
		return mackerel.Fetched[string]{}, errors.New("offline")
	}
	return s.Source.Org(ctx)
}

func (s *lateOrg) CloseAlert(ctx context.Context, id, reason string) (mackerel.Alert, error) {
	close(s.closing)
	<-s.release
	return s.Source.CloseAlert(ctx, id, reason)
}

// TestOrgLearnedWhileAWriteIsInFlight: the alerts pane learns the
// organisation on a reload (on the UI goroutine) while a close of an alert
// is being written; the write uses what it was given when confirmed and
// both end (go test -race checks that nothing reads the options from two
// goroutines); links made afterwards name the organisation.
func TestOrgLearnedWhileAWriteIsInFlight(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	test.NewTempApp(t)
	src := &lateOrg{Source: e.c, closing: make(chan struct{}), release: make(chan struct{})}
	ev := newEvents()
	w := test.NewTempWindow(t, nil)
	m := newMinutes()
	opt := ev.options(w, m, "alerts")
	opt.Org = ""
	p := mackerelui.NewAlertsPane(src, opt)
	if err := ev.waitLoaded(t); err != nil {
		t.Fatal(err)
	}
	w.SetContent(p)
	w.Resize(fyne.NewSize(1100, 1700))
	closeAnOpenAlert(t, p, w)
	select {
	case <-src.closing:
	case <-time.After(30 * time.Second):
		t.Fatal("the close was not written within 30 s")
	}
	p.Reload()         // learns the organisation …
	close(src.release) // … while the close is written
	if err := ev.waitLoaded(t); err != nil {
		t.Fatal(err)
	}
	if r := ev.waitAction(t); r.action != "close" || r.err != nil {
		t.Fatalf("close: %+v", r)
	}
	if notes := m.Notes("alerts"); !strings.Contains(notes, "closed (WARNING → OK") || !strings.Contains(notes, "/alerts/") {
		t.Fatalf("notes %q", notes)
	}
	test.Tap(buttonAfter(t, w.Content(), "", "Review…"))
	for _, o := range objects(topOverlay(t, w)) {
		if s, ok := o.(interface{ SetSelectedIndex(int) }); ok {
			s.SetSelectedIndex(0)
		}
	}
	test.Tap(buttonAfter(t, topOverlay(t, w), "", "Add to review"))
	if r := ev.waitAction(t); r.err != nil {
		t.Fatal(r.err)
	}
	if len(m.reviews) != 1 || !strings.HasPrefix(m.reviews[0].Link, "https://mackerel.io/orgs/"+mackereltest.OrgName+"/monitors/") {
		t.Fatalf("review after the organisation was learned: %+v", m.reviews)
	}
}
