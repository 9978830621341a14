package lansync

import (
	"errors"
	"github.com/pwg-team/pwg/crdt/docs"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/storage"
)

// Sentinel errors.
var (
	// ErrNoDoc is returned by Store.Doc for a document the workspace lacks.
	ErrNoDoc = errors.New("no such document")
	// ErrNoTeam is returned when the workspace belongs to no team yet.
	ErrNoTeam = errors.New("this workspace has no team yet: create one, or join one with an invitation")
	// ErrOtherTeam is returned by Join for a workspace of another team.
	ErrOtherTeam = errors.New("this workspace belongs to another team: join with a new workspace (--workspace DIR)")
	// ErrBadInvitation is returned for a string that is not a pwg invitation.
	ErrBadInvitation = errors.New("not a valid pwg invitation (check that it was copied whole)")
)

// Doc is one document as the sync engine needs it. docs.Handle implements it.
type Doc interface {
	// ID returns the automerge-repo document id.
	ID() string
	// IsEmpty reports whether the document has no changes yet.
	IsEmpty() bool
	// NewSyncState returns a sync state for one peer, resumed from saved
	// (nil for none).
	NewSyncState(saved []byte) (*automerge.SyncState, error)
	// GenerateSyncMessage commits pending local edits and returns the next
	// sync message for the peer of ss, or false if there is nothing to send.
	GenerateSyncMessage(ss *automerge.SyncState) ([]byte, bool)
	// ReceiveSyncMessage applies a sync message from peer (the session's
	// key) and persists the result; a change publishes an event naming
	// that peer.
	ReceiveSyncMessage(ss *automerge.SyncState, msg []byte, peer string) error
	// Save returns the whole document, compacted.
	Save() []byte
	// Recent returns the saved changes leading up to heads, oldest first,
	// about maxBytes of them (amsafe.Recent); an error if it lacks a head.
	Recent(heads []automerge.ChangeHash, maxBytes int) ([][]byte, error)
	// IdleHeads returns the heads of a document that is not loaded, without
	// loading it (ok false when it is loaded, or is never unloaded).
	IdleHeads() (heads []automerge.ChangeHash, ok bool)
	// ReleaseSyncState says a sync state made by NewSyncState is no
	// longer used (the document may then be unloaded when idle).
	ReleaseSyncState()
	// Unload drops the loaded document now if nothing holds it (no window,
	// no sync state, nothing unsaved); it loads again on its next use.
	Unload()
	// Flush saves the document's pending changes now (before a sync state
	// that includes them is persisted).
	Flush() error
	// MergeSaved merges a whole saved document from peer (the session's key).
	MergeSaved(saved []byte, peer string) error
}

// Team is the team a workspace syncs with: its id (the series document's
// id) and its 256-bit key.
type Team struct {
	ID  string
	Key []byte
}

// Store is the workspace as the sync engine sees it. FromWorkspace adapts a
// minutes.Workspace; the memstore package is an in-memory one for tests.
type Store interface {
	// Team returns the current team, or ErrNoTeam.
	Team() (Team, error)
	// JoinTeam makes t the current team (after an invitation).
	JoinTeam(t Team) error
	// DocIDs lists the documents of the current team.
	DocIDs() ([]string, error)
	// Doc returns a document, or an error wrapping ErrNoDoc.
	Doc(id string) (Doc, error)
	// Loaded reports whether Doc(id) returns without loading the document
	// from storage (it is open already, in memory or idle).
	Loaded(id string) bool
	// EnsureDoc returns a document, creating an empty one if absent.
	EnsureDoc(id string) (Doc, error)
	// Subscribe delivers an event after every change of any document.
	Subscribe() (<-chan docs.Event, func())
	// SyncState returns the saved sync state of a peer for a document (nil if none).
	SyncState(peerID, docID string) ([]byte, error)
	// SaveSyncState keeps the sync state of a peer for a document.
	SaveSyncState(peerID, docID string, state []byte) error
	// Settings returns the workspace's typed settings.
	Settings() storage.Settings
}
