//go:build !race

package textsync_test

const raceEnabled = false
