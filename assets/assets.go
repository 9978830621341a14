// Package assets holds pwg's bundled resources: the app icon, the text fonts and the
// translations of the user interface.
package assets

import (
	"embed"
	_ "embed"
)

// IconPNG is the application icon (512×512 PNG).
//
//go:embed icon.png
var IconPNG []byte

// Translations holds i18n/ja.json: English UI text → Japanese (go-i18n format).
//
//go:embed i18n/*.json
var Translations embed.FS
