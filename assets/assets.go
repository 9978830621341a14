// Package assets holds pwg's bundled resources: the app icon.
package assets

import _ "embed"

// IconPNG is the application icon (512×512 PNG).
//
//go:embed icon.png
var IconPNG []byte
