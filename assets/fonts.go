package assets

import _ "embed"

// The PWG Sans fonts are Fyne's Noto Sans with the arrows and key symbols of
// Fyne's InterSymbols font added (fonts/build.py makes them; both are under
// the SIL Open Font License 1.1, fonts/OFL.txt and fonts/LICENSE_Inter.txt).
// Noto Sans has no arrows: Fyne took "→" from InterSymbols, which has no
// space, so an arrow followed by a space drew a replacement box.
var (
	//go:embed fonts/PWGSans-Regular.ttf
	FontRegular []byte
	//go:embed fonts/PWGSans-Bold.ttf
	FontBold []byte
	//go:embed fonts/PWGSans-Italic.ttf
	FontItalic []byte
	//go:embed fonts/PWGSans-BoldItalic.ttf
	FontBoldItalic []byte
)
