//go:build race

package textsync_test

// raceEnabled shortens the trace replays: the race detector makes every cgo
// call into Automerge about ten times slower.
const raceEnabled = true
