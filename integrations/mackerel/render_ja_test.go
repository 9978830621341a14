package mackerel_test

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"testing"
	"time"

	"github.com/pwg-team/pwg/assets"
	"github.com/pwg-team/pwg/integrations/mackerel"
)

func renderTitle(t *testing.T, title string) image.Image {
	t.Helper()
	var buf bytes.Buffer
	g := sampleGraph()
	if err := mackerel.RenderPNG(&buf, g, mackerel.RenderOptions{Width: 400, Height: 200, Title: title, Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// titleDiffers reports whether two renders differ in the title row.
func titleDiffers(a, b image.Image) bool {
	for y := 0; y < 24; y++ {
		for x := 0; x < a.Bounds().Dx(); x++ {
			if a.At(x, y) != b.At(x, y) {
				return true
			}
		}
	}
	return false
}

// TestPinnedGraphDrawsJapanese: graph titles in Japanese are drawn with real
// glyphs (different words give different pictures; missing glyphs would all
// be the same box).
func TestPinnedGraphDrawsJapanese(t *testing.T) {
	if _, _, err := assets.CJKFont(); errors.Is(err, assets.ErrNoCJKFont) {
		t.Skip("no CJK font installed (.ci/deps installs fonts-noto-cjk)")
	}
	a, b := renderTitle(t, "応答時間"), renderTitle(t, "エラー率")
	if !titleDiffers(a, b) {
		t.Fatal("two Japanese titles render the same: glyphs are boxes")
	}
	if !titleDiffers(a, renderTitle(t, "\ue000\ue001\ue002\ue003")) {
		t.Fatal("Japanese title renders like missing glyphs")
	}
}
