package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// bigTheme is the projector theme of the facilitator view: large type and
// high contrast, in the variant chosen (light or dark), whatever the
// desktop's setting.
type bigTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
	scale   float32
}

func newBigTheme(dark bool) *bigTheme {
	v := theme.VariantLight
	if dark {
		v = theme.VariantDark
	}
	return &bigTheme{Theme: withTextFonts(theme.DefaultTheme()), variant: v, scale: 2}
}

func (t *bigTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	dark := t.variant == theme.VariantDark
	switch n {
	case theme.ColorNameBackground:
		if dark {
			return color.Black
		}
		return color.White
	case theme.ColorNameForeground:
		if dark {
			return color.White
		}
		return color.Black
	case theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
		if dark {
			return color.NRGBA{R: 0xcc, G: 0xcc, B: 0xcc, A: 0xff}
		}
		return color.NRGBA{R: 0x44, G: 0x44, B: 0x44, A: 0xff}
	}
	return t.Theme.Color(n, t.variant)
}

func (t *bigTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText, theme.SizeNameCaptionText,
		theme.SizeNameInlineIcon, theme.SizeNamePadding, theme.SizeNameInnerPadding, theme.SizeNameLineSpacing:
		return t.Theme.Size(n) * t.scale
	}
	return t.Theme.Size(n)
}
