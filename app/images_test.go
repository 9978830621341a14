package app_test

import (
	"bytes"
	"image/color"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
)

// pinGraphPNG attaches a rendered graph to the dashboard section as the
// pane's Pin does and returns the attachment.
func pinGraphPNG(t *testing.T, m *minutes.Meeting) minutes.Attachment {
	t.Helper()
	from := time.Date(2026, 10, 24, 0, 0, 0, 0, time.UTC)
	data := mackerel.GraphData{From: from, To: from.Add(30 * 24 * time.Hour)}
	s := mackerel.Series{Label: "p95"}
	for i := range 60 {
		s.Points = append(s.Points, mackerel.Point{T: from.Add(time.Duration(i) * 12 * time.Hour).Unix(), V: float64(100 + (i%7)*40)})
	}
	data.Series = []mackerel.Series{s}
	var buf bytes.Buffer
	if err := mackerel.RenderPNG(&buf, data, mackerel.RenderOptions{Width: 960, Height: 400, Title: "p95 latency"}); err != nil {
		t.Fatal(err)
	}
	att, err := m.AddAttachment(minutes.Attachment{Name: "p95.png", Mime: "image/png", Caption: "p95 latency"}, buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := m.AppendNotes("dashboard", "Look:\n"+minutes.AttachmentMarkdown(att)+" ([Mackerel](https://mackerel.io/orgs/demo))\n"); err != nil {
		t.Fatal(err)
	}
	return att
}

// walk calls visit on o and everything drawn under it, visible or not.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	visit(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walk(c, visit)
		}
	}
}

// images returns the images in o's tree.
func images(o fyne.CanvasObject) []*canvas.Image {
	var out []*canvas.Image
	walk(o, func(o fyne.CanvasObject) {
		if i, ok := o.(*canvas.Image); ok {
			out = append(out, i)
		}
	})
	return out
}

func TestPinnedGraphShowsAsImageInPreview(t *testing.T) {
	u, ws := newUI(t)
	u.Window().Resize(fyne.NewSize(1600, 1000))
	v := u.Current()
	m, _ := ws.Meeting(v.Meeting().ID())
	att := pinGraphPNG(t, m)
	secs, _ := m.Sections()
	for _, s := range secs {
		v.Section(s.Key).Update(s)
	}
	sv := v.Section("dashboard")
	if got := sv.Thumbs().Captions(); len(got) != 1 || got[0] != "p95 latency" {
		t.Fatalf("thumbnails under the editor: %v", got)
	}
	sv.SetPreview(true)
	v.ScrollTo("dashboard")
	var img *canvas.Image
	for _, i := range images(sv.Object()) {
		if i.Resource != nil && strings.Contains(i.Resource.Name(), att.Hash) && i.Size().Width > 300 {
			img = i
		}
	}
	if img == nil {
		t.Fatal("the preview shows no image of the pinned graph")
	}
	// what is drawn there is the graph: many colours, not a blank or a
	// broken-image icon
	shot := u.Window().Canvas().Capture()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(img)
	scale := float32(shot.Bounds().Dx()) / u.Window().Canvas().Size().Width
	colours := map[color.RGBA]bool{}
	for y := pos.Y; y < pos.Y+img.Size().Height; y += 2 {
		for x := pos.X; x < pos.X+img.Size().Width; x += 2 {
			r, g, b, a := shot.At(int(x*scale), int(y*scale)).RGBA()
			colours[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}] = true
		}
	}
	if len(colours) < 20 {
		t.Fatalf("the image area has %d colours: the graph is not drawn", len(colours))
	}
}
