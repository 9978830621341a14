package app

import (
	"fyne.io/fyne/v2"

	"github.com/pwg-team/pwg/assets"
)

// The text fonts of every pwg window: Noto Sans with arrows (see
// assets/fonts.go). Fyne's own Noto Sans has no "→"; the symbol font it falls
// back to has no space, and the shaper keeps the space after an arrow in the
// arrow's font, so "80 → 90" drew "→", a "�" box and a gap.
var (
	fontRegular    = fyne.NewStaticResource("PWGSans-Regular.ttf", assets.FontRegular)
	fontBold       = fyne.NewStaticResource("PWGSans-Bold.ttf", assets.FontBold)
	fontItalic     = fyne.NewStaticResource("PWGSans-Italic.ttf", assets.FontItalic)
	fontBoldItalic = fyne.NewStaticResource("PWGSans-BoldItalic.ttf", assets.FontBoldItalic)
)

// fontTheme is a theme with pwg's text fonts; colours, sizes and icons are
// those of the theme it wraps.
type fontTheme struct {
	fyne.Theme
}

// withTextFonts wraps t so that its text is drawn in pwg's fonts; a theme
// already wrapped is returned as it is.
func withTextFonts(t fyne.Theme) fyne.Theme {
	if _, ok := t.(fontTheme); ok {
		return t
	}
	return fontTheme{Theme: t}
}

// Font returns the PWG Sans face for the style; monospace and symbol text
// keep the wrapped theme's fonts (DejaVu Sans Mono has the arrows).
func (t fontTheme) Font(s fyne.TextStyle) fyne.Resource {
	switch {
	case s.Monospace || s.Symbol:
		return t.Theme.Font(s)
	case s.Bold && s.Italic:
		return fontBoldItalic
	case s.Bold:
		return fontBold
	case s.Italic:
		return fontItalic
	}
	return fontRegular
}

// useTextFonts makes pwg's fonts the app's, keeping the current theme's look.
func useTextFonts(a fyne.App) {
	a.Settings().SetTheme(withTextFonts(a.Settings().Theme()))
}
