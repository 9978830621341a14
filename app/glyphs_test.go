package app_test

import (
	"image"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

func render(t *testing.T, s string) image.Image {
	t.Helper()
	txt := canvas.NewText(s, nil)
	txt.TextSize = 32
	w := test.NewWindow(container.NewCenter(txt))
	defer w.Close()
	w.Resize(fyne.NewSize(280, 60))
	return w.Canvas().Capture()
}

func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// TestJapaneseGlyphsNotBoxes renders Japanese text: different characters
// must give different pictures (missing glyphs all draw the same box), and
// the picture matches the golden one made with the CJK font .ci/deps installs.
func TestJapaneseGlyphsNotBoxes(t *testing.T) {
	test.NewTempApp(t)
	a, b, tofu := render(t, "障害"), render(t, "雑談"), render(t, "\ue000\ue001")
	if sameImage(a, b) {
		t.Fatal("two different Japanese words render identically: glyphs are boxes")
	}
	if sameImage(a, tofu) {
		t.Fatal("Japanese renders like missing glyphs")
	}
	test.AssertImageMatches(t, "ja_glyphs.png", render(t, "障害ふりかえり"))
}
