package mackerelui_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	mkr "github.com/mackerelio/mackerel-client-go"

	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

// benchDashboard adds a dashboard of 12 host, role and service graphs.
func benchDashboard(fake *mackereltest.Server) {
	svc := func(n string) mkr.Graph { return mkr.Graph{Type: "service", ServiceName: "web", Name: n} }
	role := func(r, n string) mkr.Graph { return mkr.Graph{Type: "role", RoleFullName: "web:" + r, Name: n} }
	host := func(h, n string) mkr.Graph { return mkr.Graph{Type: "host", HostID: fake.HostID(h), Name: n} }
	gs := []mkr.Graph{
		svc("app.latency"), svc("app.requests"), svc("app.errors"), svc("cost.daily.usd"),
		role("app", "cpu.user.percentage"), role("app", "memory.used"), role("app", "loadavg5"), role("batch", "disk.xvda.writes.delta"),
		host("db-01", "loadavg5"), host("db-01", "cpu.user.percentage"), host("batch-01", "cpu.user.percentage"), host("app-01", "cpu.system.percentage"),
	}
	d := mkr.Dashboard{Title: "bench"}
	for i, g := range gs {
		d.Widgets = append(d.Widgets, mkr.Widget{Type: "graph", Title: g.Name, Graph: g,
			Layout: mkr.Layout{X: int64(i%3) * 8, Y: int64(i/3) * 6, Width: 8, Height: 6}})
	}
	fake.AddDashboard(d)
}

// benchmarkDashboard opens the 12-graph dashboard from the cache (the
// client works offline) in a 1280×1000 window; paint adds a software
// rendering of the whole window.
func benchmarkDashboard(b *testing.B, paint bool) {
	e := newEnv(b, mackereltest.Options{})
	benchDashboard(e.fake)
	test.NewTempApp(b)
	ev := newEvents()
	w := test.NewTempWindow(b, nil)
	w.Resize(fyne.NewSize(1280, 1000))
	opt := ev.options(w, newMinutes(), "dashboard")
	opt.DashboardTitle = "bench"
	mackerelui.NewDashboardPane(e.c, opt) // fills the cache
	if err := ev.waitLoaded(b); err != nil {
		b.Fatal(err)
	}
	e.c.SetOffline(true)
	b.ResetTimer()
	for range b.N {
		p := mackerelui.NewDashboardPane(e.c, opt)
		if err := ev.waitLoaded(b); err != nil {
			b.Fatal(err)
		}
		w.SetContent(p)
		if n := len(graphs(w.Content())); n != 12 {
			b.Fatalf("%d graphs", n)
		}
		if paint {
			w.Canvas().Capture()
		}
	}
}

func BenchmarkDashboard12GraphsFromCache(b *testing.B) { benchmarkDashboard(b, false) }

func BenchmarkDashboard12GraphsFromCachePainted(b *testing.B) { benchmarkDashboard(b, true) }
