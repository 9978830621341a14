package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

func TestMackerelPanesInTheirSections(t *testing.T) {
	a := test.NewTempApp(t)
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "Alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.Setup("Web", time.Now()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, key, stop, err := mackereltest.StartDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	mk, err := mackerel.New(mackerel.Config{APIKey: key, BaseURL: base, DB: ws.DB(), Org: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	// The panes load on goroutines whose fyne.Do runs at once in the test
	// driver; hold their first reads so this test only looks at the layout.
	u := app.New(a, ws, app.Options{Demo: true, Mackerel: heldSource{mk}, MackerelOrg: "demo"})
	v := u.Current()
	if _, ok := v.Section("alerts").Pane().(*mackerelui.AlertsPane); !ok {
		t.Fatalf("alerts section pane = %T", v.Section("alerts").Pane())
	}
	if _, ok := v.Section("dashboard").Pane().(*mackerelui.DashboardPane); !ok {
		t.Fatalf("dashboard section pane = %T", v.Section("dashboard").Pane())
	}
	if v.Section("topics").Pane() != nil {
		t.Fatal("a notes section got a pane")
	}
}

// heldSource never answers the panes' first reads (the test ends first).
type heldSource struct{ mackerelui.Source }

var never = make(chan struct{})

func (heldSource) Monitors(context.Context) (mackerel.Fetched[[]mackerel.Monitor], error) {
	<-never
	return mackerel.Fetched[[]mackerel.Monitor]{}, nil
}

func (heldSource) HygieneBoard(context.Context, mackerel.BoardRequest) (mackerel.Board, error) {
	<-never
	return mackerel.Board{}, nil
}

func (heldSource) Downtimes(context.Context) (mackerel.Fetched[[]mackerel.Downtime], error) {
	<-never
	return mackerel.Fetched[[]mackerel.Downtime]{}, nil
}

func (heldSource) Dashboards(context.Context) (mackerel.Fetched[[]mackerel.Dashboard], error) {
	<-never
	return mackerel.Fetched[[]mackerel.Dashboard]{}, nil
}

func TestFirstStartDemoButton(t *testing.T) {
	a := test.NewTempApp(t)
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "Alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.Setup("Web", time.Now())
	started := 0
	u := app.New(a, ws, app.Options{StartDemo: func() (mackerelui.Source, string, error) {
		started++
		return heldSource{}, mackereltest.OrgName, nil
	}})
	if _, ok := u.Current().Section("alerts").Pane().(*mackerelui.AlertsPane); ok {
		t.Fatal("alerts pane before Mackerel is set up")
	}
	u.UseDemo()
	if started != 1 {
		t.Fatalf("demo started %d times", started)
	}
	if _, ok := u.Current().Section("alerts").Pane().(*mackerelui.AlertsPane); !ok {
		t.Fatalf("after the demo button the alerts pane is %T", u.Current().Section("alerts").Pane())
	}
	if !strings.Contains(u.Window().Title(), "DEMO") {
		t.Fatalf("title %q does not say DEMO", u.Window().Title())
	}
}
