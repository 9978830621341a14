package assets

import (
	"errors"
	"os"
	"strings"
)

// ErrNoCJKFont is returned when no font with Japanese glyphs is installed.
var ErrNoCJKFont = errors.New("no CJK font found: install fonts-noto-cjk (Debian/Ubuntu)")

// CJKFontPaths are the files searched for a font with Japanese glyphs, best
// first: Noto Sans CJK (Debian's fonts-noto-cjk), IPA, Droid fallback, macOS.
var CJKFontPaths = []string{
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
	"/System/Library/Fonts/Hiragino Sans GB.ttc",
}

// CJKFont returns the bytes of the first installed CJK font, and whether it
// is a collection (.ttc) whose first face is to be used.
func CJKFont() (data []byte, collection bool, err error) {
	for _, p := range CJKFontPaths {
		b, err := os.ReadFile(p)
		if err == nil {
			return b, strings.HasSuffix(strings.ToLower(p), ".ttc"), nil
		}
	}
	return nil, false, ErrNoCJKFont
}
