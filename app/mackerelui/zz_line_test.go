package mackerelui_test

import (
	"fmt"
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"image/color"
	"testing"
)

func TestZZLine(t *testing.T) {
	test.NewTempApp(t)
	mk := func(x1, y1, x2, y2 float32, sw float32) *canvas.Line {
		l := canvas.NewLine(color.NRGBA{255, 0, 0, 255})
		l.StrokeWidth = sw
		l.Position1 = fyne.NewPos(x1, y1)
		l.Position2 = fyne.NewPos(x2, y2)
		return l
	}
	cases := [][5]float32{{10, 10, 50, 10, 1.5}, {10, 20, 50, 20.4, 1.5}, {10, 30, 50, 31.2, 1.5}, {10, 40, 50, 40.4, 1}, {10, 50, 50, 50, 1}, {60, 10, 60, 50, 1.5}, {70, 10, 70.4, 50, 1.5}}
	var objs []fyne.CanvasObject
	for _, c := range cases {
		objs = append(objs, mk(c[0], c[1], c[2], c[3], c[4]))
	}
	w := test.NewTempWindow(t, container.NewWithoutLayout(objs...))
	w.Resize(fyne.NewSize(100, 70))
	img := w.Canvas().Capture()
	for i, c := range cases {
		n := 0
		for y := 0; y < 70; y++ {
			for x := 0; x < 100; x++ {
				r, g, _, _ := img.At(x, y).RGBA()
				if r>>8 > 200 && g>>8 < 100 {
					_ = c
					n++
				}
			}
		}
		_ = i
		fmt.Println()
		break
		_ = n
	}
	// count per case region
	for i, c := range cases {
		n := 0
		x0, x1 := int(c[0])+4-2, int(c[2])+4+2
		y0, y1 := int(c[1])+4-2, int(c[3])+4+2
		if x1 <= x0+4 {
			x1 = x0 + 6
		}
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				r, g, _, _ := img.At(x, y).RGBA()
				if r>>8 > 150 && g>>8 < 120 {
					n++
				}
			}
		}
		fmt.Println(i, c, n)
	}
}
