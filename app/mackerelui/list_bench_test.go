package mackerelui_test

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	mkr "github.com/mackerelio/mackerel-client-go"

	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

// thousandAlerts loads the pane on a fake with 1,000 alerts of 40 monitors
// in the review period, every group expanded, in a 1100×900 window.
func thousandAlerts(tb testing.TB) (*mackerelui.AlertsPane, fyne.Window) {
	e := newEnv(tb, mackereltest.Options{Empty: true})
	f := func(v float64) *float64 { return &v }
	var ids []string
	for i := range 40 {
		ids = append(ids, e.fake.AddMonitor(&mkr.MonitorHostMetric{Type: "host", Name: fmt.Sprintf("monitor %02d", i),
			Metric: "cpu.user.percentage", Operator: ">", Warning: f(70), Critical: f(90), Duration: 3}))
	}
	for i := range 1000 {
		opened := seedEnd.Add(-29 * 24 * time.Hour).Add(time.Duration(i) * 40 * time.Minute)
		e.fake.AddAlert(mkr.Alert{Status: "OK", MonitorID: ids[i%40], Type: "host", HostID: "h1", Value: 80,
			OpenedAt: opened.Unix(), ClosedAt: opened.Add(10 * time.Minute).Unix()})
	}
	test.NewTempApp(tb)
	ev := newEvents()
	w := test.NewTempWindow(tb, nil)
	p := mackerelui.NewAlertsPane(e.c, ev.options(w, newMinutes(), "alerts"))
	if err := ev.waitLoaded(tb); err != nil {
		tb.Fatal(err)
	}
	w.SetContent(p)
	w.Resize(fyne.NewSize(1100, 900))
	for _, id := range ids {
		p.SetExpanded(id, true)
	}
	return p, w
}

func TestAlertListIsVirtualised(t *testing.T) {
	p, _ := thousandAlerts(t)
	l := p.ListView().(*widget.List)
	if n := l.Length(); n != 1040 {
		t.Fatalf("%d rows, want 40 groups + 1000 alerts", n)
	}
	l.ScrollToBottom()
	l.ScrollToTop()
	if n := p.RowWidgets(); n > 60 {
		t.Fatalf("%d row widgets for 1,040 rows: the list is not virtualised", n)
	}
}

// BenchmarkAlertListScroll: 1,000 alerts of 40 monitors, all expanded;
// one op scrolls the list by 120 px (rows bound and laid out); painted
// adds a software rendering of the list.
func BenchmarkAlertListScroll(b *testing.B) { benchmarkAlertListScroll(b, false) }

// BenchmarkAlertListScrollPainted is BenchmarkAlertListScroll with a paint.
func BenchmarkAlertListScrollPainted(b *testing.B) { benchmarkAlertListScroll(b, true) }

func benchmarkAlertListScroll(b *testing.B, paint bool) {
	p, w := thousandAlerts(b)
	w.SetContent(p.ListView())
	l := p.ListView().(*widget.List)
	off := float32(0)
	b.ResetTimer()
	for range b.N {
		off += 120
		if off > 40000 {
			off = 0
		}
		l.ScrollToOffset(off)
		if paint {
			w.Canvas().Capture()
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/scroll")
	b.ReportMetric(float64(p.RowWidgets()), "row-widgets")
}
