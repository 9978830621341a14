package docs

import (
	"github.com/automerge/automerge-go"
)

// Origin says where a change came from.
type Origin uint8

// Origins of changes.
const (
	// FromLocal: made on this device (typing, a discrete action).
	FromLocal Origin = iota
	// FromPeer: merged from a peer over sync; Event.Peer names the connection.
	FromPeer
	// FromFile: merged from a saved document that came in a file.
	FromFile
)

func (o Origin) String() string {
	switch o {
	case FromLocal:
		return "local"
	case FromPeer:
		return "peer"
	case FromFile:
		return "file"
	}
	return "unknown"
}

// Event says that a document changed, what changed and where it came from.
// It is the one event type of documents, from the handle to the GUI and to
// the sync engine.
//
// Typing in progress (Typing) names nothing: the editor that made it shows
// it already. Any other event names the texts whose content changed
// (Sections: a meeting's section notes, by key) and says whether anything
// else changed (Meta: title, date, agenda, attendance, items...), so a view
// re-reads only that.
type Event struct {
	DocID  string
	Origin Origin
	// Peer is the sync connection the changes came over (FromPeer; "" when
	// not known).
	Peer string
	// Heads are the document's heads after a merge (nil for local changes).
	Heads []automerge.ChangeHash
	// Sections lists the keys of the texts whose content changed.
	Sections []string
	// Meta: something other than those texts changed.
	Meta bool
}

// Local reports whether the change was made on this device.
func (e Event) Local() bool { return e.Origin == FromLocal }

// Typing reports a local edit of text not yet committed: the editor that
// made it already shows it, and nothing else changed.
func (e Event) Typing() bool { return e.Origin == FromLocal && len(e.Sections) == 0 && !e.Meta }
