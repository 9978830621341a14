//go:build release

package main

// releaseBuild is true in the build that `fyne package -release` makes (tag release).
const releaseBuild = true
