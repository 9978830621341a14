package mackerel_test

import (
	"bytes"
	"image/color"
	"image/png"
	"math"
	"os"
	"testing"
	"time"

	"github.com/pwg-team/pwg/integrations/mackerel"
)

func sampleGraph() mackerel.GraphData {
	from := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(30 * 24 * time.Hour)
	var a, b []mackerel.Point
	for t := from.Unix(); t <= to.Unix(); t += 3600 {
		x := float64(t-from.Unix()) / 86400
		a = append(a, mackerel.Point{T: t, V: 200 + 50*math.Sin(x*2*math.Pi)})
		b = append(b, mackerel.Point{T: t, V: 80 + 10*math.Cos(x*2*math.Pi)})
	}
	return mackerel.GraphData{From: from, To: to,
		Series: []mackerel.Series{{Label: "p95", Points: a}, {Label: "p50", Points: b}},
		Annotations: []mackerel.Annotation{
			{Title: "Release v2.14.0", From: from.Add(12 * 24 * time.Hour), To: from.Add(12*24*time.Hour + 15*time.Minute)},
			{Title: "Incident: DB connection pool exhausted", From: from.Add(20 * 24 * time.Hour), To: from.Add(21 * 24 * time.Hour)},
		}}
}

func TestRenderPNG(t *testing.T) {
	g := sampleGraph()
	var buf bytes.Buffer
	err := mackerel.RenderPNG(&buf, g, mackerel.RenderOptions{Width: 800, Height: 320, Title: "latency (ms)",
		Footer: "2026-10-01 – 2026-10-31  https://mackerel.io/orgs/pwg-demo/services/web", Location: time.UTC,
		ReferenceLines: []mackerel.ReferenceLine{{Label: "SLO", Value: 300}}})
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("PWG_KEEP_PNG") != "" {
		_ = os.WriteFile(os.Getenv("PWG_KEEP_PNG"), buf.Bytes(), 0o644)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 320 {
		t.Fatalf("size %v", b)
	}
	// the incident band (day 20 to 21) is tinted orange over white
	x := 64 + int(20.5/30*float64(800-16-64))
	found := false
	for y := 60; y < 250; y++ {
		r, gg, b, _ := img.At(x, y).RGBA()
		if r>>8 > 0xf0 && gg>>8 > 0xd0 && gg>>8 < 0xf5 && b>>8 < 0xe0 {
			found = true
			break
		}
	}
	if !found {
		t.Fatal("no annotation band at the incident")
	}
	// both series are drawn in their palette colours
	for i := range g.Series {
		want := mackerel.Palette[i]
		n := 0
		for y := 0; y < 320; y++ {
			for x := 0; x < 800; x++ {
				if color.RGBAModel.Convert(img.At(x, y)) == want {
					n++
				}
			}
		}
		if n < 500 {
			t.Errorf("series %d: %d pixels of its colour", i, n)
		}
	}
	if _, err := mackerel.RenderImage(g, mackerel.RenderOptions{Width: 50, Height: 50}); err == nil {
		t.Fatal("a 50×50 graph was accepted")
	}
}

func TestNiceTicksAndFormat(t *testing.T) {
	ticks := mackerel.NiceTicks(0, 437, 5)
	if ticks[0] != 0 || ticks[len(ticks)-1] < 437 || len(ticks) < 4 || len(ticks) > 7 {
		t.Fatalf("ticks %v", ticks)
	}
	for v, want := range map[float64]string{0: "0", 0.5: "0.5", 1234: "1234", 12345: "12.35k", 3.1e9: "3.1G", -2e6: "-2M"} {
		if got := mackerel.FormatValue(v); got != want {
			t.Errorf("FormatValue(%v) = %q, want %q", v, got, want)
		}
	}
	from := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	tt := mackerel.TimeTicks(from, from.Add(30*24*time.Hour), 8, time.UTC)
	if len(tt) < 4 || len(tt) > 9 || tt[0] != from {
		t.Fatalf("time ticks %v", tt)
	}
}

func TestDecimateKeepsExtremes(t *testing.T) {
	var pts []mackerel.Point
	for i := range 10000 {
		v := 1.0
		if i == 5003 {
			v = 99
		}
		pts = append(pts, mackerel.Point{T: int64(i), V: v})
	}
	d := mackerel.Decimate(pts, 0, 10000, 100)
	if len(d) > 400 {
		t.Fatalf("%d points", len(d))
	}
	peak := false
	for i, p := range d {
		peak = peak || p.V == 99
		if i > 0 && p.T <= d[i-1].T {
			t.Fatal("not in time order")
		}
	}
	if !peak {
		t.Fatal("the spike was dropped")
	}
}

func TestAlertTimeline(t *testing.T) {
	from := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	g := mackerel.AlertGroup{MonitorName: "m", Alerts: []mackerel.Alert{
		{OpenedAt: from.Add(90 * time.Minute), ClosedAt: from.Add(100 * time.Minute), Status: "OK"},
		{OpenedAt: from.Add(5 * time.Hour), Status: "WARNING"},
	}}
	d := mackerel.AlertTimeline(g, from, from.Add(6*time.Hour), time.Hour)
	var got []float64
	for _, p := range d.Series[0].Points {
		got = append(got, p.V)
	}
	want := []float64{0, 1, 0, 0, 0, 1, 1}
	if len(got) != len(want) {
		t.Fatalf("timeline %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("timeline %v, want %v", got, want)
		}
	}
}
