package mackerelui_test

import (
	"bytes"
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

func newDashboardPane(t testing.TB, src mackerelui.Source, m mackerelui.Minutes) (*mackerelui.DashboardPane, fyne.Window, *events) {
	t.Helper()
	test.NewTempApp(t)
	ev := newEvents()
	w := test.NewTempWindow(t, nil)
	p := mackerelui.NewDashboardPane(src, ev.options(w, m, "dashboard"))
	if err := ev.waitLoaded(t); err != nil {
		t.Fatalf("load: %v", err)
	}
	w.SetContent(p)
	w.Resize(fyne.NewSize(1280, 1400))
	return p, w, ev
}

func graphs(root fyne.CanvasObject) []*mackerelui.Graph {
	var out []*mackerelui.Graph
	for _, o := range objects(root) {
		if g, ok := o.(*mackerelui.Graph); ok {
			out = append(out, g)
		}
	}
	return out
}

func TestDashboardPaneDrawsThePWGDashboard(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	m := newMinutes()
	p, w, ev := newDashboardPane(t, e.c, m)
	if p.Dashboard().Title != mackereltest.PWGDashboard {
		t.Fatalf("dashboard %q", p.Dashboard().Title)
	}
	c := w.Content()
	if n := len(graphs(c)); n != 7 {
		t.Fatalf("%d graphs drawn, want the 7 host/role/service graphs", n)
	}
	links := map[string]string{}
	for _, o := range objects(c) {
		if h, ok := o.(*widget.Hyperlink); ok {
			links[h.Text] = h.URL.String()
		}
	}
	if !strings.Contains(links["app loadavg5 (expression)"], "/orgs/pwg-demo/dashboards/") ||
		!strings.Contains(links["HTTP server duration (query)"], "/orgs/pwg-demo/dashboards/") {
		t.Fatalf("expression/query widgets are not links to Mackerel: %v", links)
	}
	if links["app CPU user %"] != "https://mackerel.io/orgs/pwg-demo/services/web/app" {
		t.Fatalf("role graph link %q", links["app CPU user %"])
	}
	// the layout grid: the two graphs of row 3 sit side by side, 12 columns each
	var lat, cpu fyne.CanvasObject
	for _, o := range objects(c) {
		if h, ok := o.(*widget.Hyperlink); ok {
			switch h.Text {
			case "p50 / p95 latency (ms)":
				lat = h
			case "app CPU user %":
				cpu = h
			}
		}
	}
	d := fyne.CurrentApp().Driver()
	lp, cp := d.AbsolutePositionForObject(lat), d.AbsolutePositionForObject(cpu)
	if lp.Y != cp.Y || cp.X-lp.X < 500 {
		t.Fatalf("latency at %v, cpu at %v: not side by side", lp, cp)
	}

	// pin a graph to the minutes
	test.Tap(buttonAfter(t, c, "", "Pin"))
	if r := ev.waitAction(t); r.action != "pin" || r.err != nil {
		t.Fatalf("pin: %+v", r)
	}
	if len(m.attachments) != 1 || !bytes.HasPrefix(m.blobs[0], []byte("\x89PNG")) || m.attachments[0].Period == "" {
		t.Fatalf("attachments %+v", m.attachments)
	}
	if notes := m.Notes("dashboard"); !strings.Contains(notes, "](pwg-blob:h0)") {
		t.Fatalf("notes %q", notes)
	}
}

func TestDashboardPaneOfflineStaleBanner(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	newDashboardPane(t, e.c, newMinutes())
	e.fake.Fail(http.StatusInternalServerError, -1)
	_, w, _ := newDashboardPane(t, e.c, newMinutes())
	if n := len(graphs(w.Content())); n != 7 {
		t.Fatalf("%d graphs offline", n)
	}
	if len(labelsContaining(w.Content(), "Offline view: data fetched")) != 1 {
		t.Fatal("no stale banner")
	}
}

func sampleGraph() mackerel.GraphData {
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	day := int64(86400)
	f := from.Unix()
	return mackerel.GraphData{From: from, To: from.Add(4 * 24 * time.Hour),
		Series: []mackerel.Series{
			{Label: "p95", Points: []mackerel.Point{{T: f, V: 200}, {T: f + day, V: 220}, {T: f + 2*day, V: 410}, {T: f + 3*day, V: 380}, {T: f + 4*day, V: 210}}},
			{Label: "p50", Points: []mackerel.Point{{T: f, V: 80}, {T: f + day, V: 85}, {T: f + 2*day, V: 120}, {T: f + 3*day, V: 110}, {T: f + 4*day, V: 82}}},
		},
		Annotations: []mackerel.Annotation{{Title: "Release v2.14.0", Description: "recommendation API",
			From: from.Add(36 * time.Hour), To: from.Add(40 * time.Hour), Service: "web"}},
	}
}

func TestGraphWithAnnotationMarkup(t *testing.T) {
	test.NewTempApp(t)
	g := mackerelui.NewGraph(sampleGraph(), []mackerel.ReferenceLine{{Label: "SLO", Value: 300}}, time.UTC)
	w := test.NewTempWindow(t, g)
	w.Resize(fyne.NewSize(420, 240))
	test.AssertRendersToMarkup(t, "graph_annotation.xml", w.Canvas())

	// hover over the annotation: time, values and the annotation's title
	pos := d(g).AbsolutePositionForObject(g)
	x := float32(44) + (420-8-8-44)*float32(38)/96 // 38 h into a 96 h period
	test.MoveMouse(w.Canvas(), fyne.NewPos(pos.X+x, pos.Y+60))
	hover := g.HoverText()
	for _, want := range []string{"2026-11-02 1", "p95: ", "p50: ", "Release v2.14.0", "recommendation API"} {
		if !strings.Contains(hover, want) {
			t.Fatalf("hover %q lacks %q", hover, want)
		}
	}
	test.MoveMouse(w.Canvas(), fyne.NewPos(pos.X+x+150, pos.Y+60))
	if strings.Contains(g.HoverText(), "Release") {
		t.Fatalf("annotation shown away from it: %q", g.HoverText())
	}
}

func d(fyne.CanvasObject) fyne.Driver { return fyne.CurrentApp().Driver() }
