package textsync

import "errors"

// Target is the shared text a Binding edits: one section's notes in a
// meeting document. Positions and lengths count Unicode code points, as in
// automerge.Text. A *automerge.Text needs only a Text method returning Get().
type Target interface {
	// Text returns the current text, including changes merged from peers.
	Text() (string, error)
	// Splice deletes del code points at pos and inserts ins there.
	Splice(pos, del int, ins string) error
}

// Versioned is implemented by targets that are also changed by someone other
// than the Binding (a sync goroutine merging remote changes). It lets the
// Binding avoid reading the whole text before every keystroke and makes a
// local splice atomic with respect to merges.
type Versioned interface {
	Target
	// Snapshot returns the text and its version, read atomically.
	Snapshot() (text string, version uint64, err error)
	// SpliceIf performs Splice only if the version is still version, as
	// one atomic step; otherwise it changes nothing and returns ErrStale.
	// The version must change whenever the text changes other than through
	// SpliceIf or Splice (a merge), and must not change on those.
	SpliceIf(version uint64, pos, del int, ins string) error
}

// Committer is implemented by targets whose splices must be committed (an
// Automerge document). The Binding commits after every BatchSize local
// splices and on Flush.
type Committer interface {
	Commit() error
}

var (
	// ErrStale is returned by Versioned.SpliceIf when the text changed since
	// the version the caller knew.
	ErrStale = errors.New("textsync: text changed since it was read")
	// ErrRange is returned for a splice outside the text.
	ErrRange = errors.New("textsync: splice outside the text")
	// ErrBusy is returned when merges keep changing the text faster than a
	// local splice can be placed.
	ErrBusy = errors.New("textsync: text keeps changing; try again")
)
