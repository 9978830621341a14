//go:build !linux || !cgo

package amsafe

// TrimMemory returns the C heap's free memory to the system where the C
// library allows it (glibc); elsewhere it does nothing.
func TrimMemory() {}
