//go:build !release

package main

// releaseBuild is false in a development build (go build, go run).
const releaseBuild = false
