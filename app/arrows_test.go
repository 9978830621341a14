package app_test

import (
	"image"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// renderLeft draws s left-aligned at 32 px in a window of the app's theme.
func renderLeft(t *testing.T, s string, style fyne.TextStyle) image.Image {
	t.Helper()
	txt := canvas.NewText(s, nil)
	txt.TextSize = 32
	txt.TextStyle = style
	w := test.NewWindow(txt)
	defer w.Close()
	w.SetPadded(false)
	w.Resize(fyne.NewSize(320, 50))
	return w.Canvas().Capture()
}

// TestArrowThenSpaceHasNoReplacementGlyph: "→ " and "← " must draw just the
// arrow (a space adds no ink), and "80 → 90" is as wide as its pieces. Fyne's
// Noto Sans has no arrows and the symbol font it falls back to has no space,
// which drew "→" plus a "�" box and a gap.
func TestArrowThenSpaceHasNoReplacementGlyph(t *testing.T) {
	newUI(t) // the app's theme, as the window has it
	for _, style := range []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Bold: true, Italic: true}} {
		for _, s := range []string{"80 →", "←"} {
			if !sameImage(renderLeft(t, s, style), renderLeft(t, s+" ", style)) {
				t.Errorf("%+v: %q followed by a space draws more than the arrow (a replacement glyph)", style, s)
			}
		}
		whole := fyne.MeasureText("warning 80 → 90", 14, style).Width
		parts := fyne.MeasureText("warning 80 →", 14, style).Width + fyne.MeasureText(" 90", 14, style).Width
		if math.Abs(float64(whole-parts)) > 1 {
			t.Errorf("%+v: \"warning 80 → 90\" is %.1f wide, its pieces %.1f: the space after the arrow is not a space", style, whole, parts)
		}
	}
}
