package docs

import (
	"github.com/automerge/automerge-go"
)

// Event says that a document changed: a local edit (Local) or changes merged
// from a peer. For meetings, Sections lists the sections whose notes changed
// in a merge, so an open editor knows to take the new text.
type Event struct {
	DocID    string
	Local    bool
	Heads    []automerge.ChangeHash
	Sections []string
}
