// Package memstore is an in-memory lansync.Store over automerge-go, for tests
// and benchmarks of the sync engine without SQLite.
package memstore

import (
	"crypto/rand"
	"fmt"
	"sync"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/amsafe"
	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/sync/lansync"
)

// Store is an in-memory workspace of one team.
type Store struct {
	mu       sync.Mutex
	team     *lansync.Team
	docs     map[string]*Doc
	settings map[string]string
	states   map[[2]string][]byte
	subs     map[chan docs.Event]struct{}
}

var _ lansync.Store = (*Store)(nil)

// New returns an empty store of no team.
func New() *Store {
	return &Store{docs: map[string]*Doc{}, settings: map[string]string{}, states: map[[2]string][]byte{}, subs: map[chan docs.Event]struct{}{}}
}

// NewTeam returns a team with a new id and key.
func NewTeam() lansync.Team {
	return lansync.Team{ID: docid.New(), Key: newKey()}
}

func newKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}

// Team implements lansync.Store.
func (s *Store) Team() (lansync.Team, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.team == nil {
		return lansync.Team{}, lansync.ErrNoTeam
	}
	return *s.team, nil
}

// JoinTeam implements lansync.Store.
func (s *Store) JoinTeam(t lansync.Team) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.team = &t
	return nil
}

// DocIDs implements lansync.Store.
func (s *Store) DocIDs() ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.docs))
	for id := range s.docs {
		ids = append(ids, id)
	}
	return ids, nil
}

// Loaded implements lansync.Store: every document is in memory.
func (s *Store) Loaded(string) bool { return true }

// Doc implements lansync.Store.
func (s *Store) Doc(id string) (lansync.Doc, error) {
	d, err := s.Get(id)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Get returns the document id, or an error wrapping lansync.ErrNoDoc.
func (s *Store) Get(id string) (*Doc, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[id]
	if !ok {
		return nil, fmt.Errorf("%s: %w", id, lansync.ErrNoDoc)
	}
	return d, nil
}

// EnsureDoc implements lansync.Store.
func (s *Store) EnsureDoc(id string) (lansync.Doc, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.docs[id]; ok {
		return d, nil
	}
	d := &Doc{s: s, id: id, doc: automerge.New()}
	s.docs[id] = d
	return d, nil
}

// Create adds a new document with content written by fn (committed).
func (s *Store) Create(fn func(d *automerge.Doc) error) (*Doc, error) {
	id := docid.New()
	d := &Doc{s: s, id: id, doc: automerge.New()}
	if err := fn(d.doc); err != nil {
		return nil, err
	}
	if _, err := d.doc.Commit("create"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.docs[id] = d
	s.mu.Unlock()
	s.publish(docs.Event{DocID: id, Origin: docs.FromLocal, Meta: true})
	return d, nil
}

// Subscribe implements lansync.Store. The channel is buffered generously;
// tests never let it fill.
func (s *Store) Subscribe() (<-chan docs.Event, func()) {
	ch := make(chan docs.Event, 100000)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			s.mu.Lock()
			delete(s.subs, ch)
			s.mu.Unlock()
		})
	}
}

func (s *Store) publish(ev docs.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- ev:
		default:
			panic("memstore: subscriber too slow")
		}
	}
}

// SyncState implements lansync.Store.
func (s *Store) SyncState(peerID, docID string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.states[[2]string{peerID, docID}], nil
}

// SaveSyncState implements lansync.Store.
func (s *Store) SaveSyncState(peerID, docID string, state []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.states[[2]string{peerID, docID}] = append([]byte(nil), state...)
	return nil
}

// Settings implements lansync.Store: the typed settings over this store's
// key/value table.
func (s *Store) Settings() storage.Settings { return storage.NewSettings(s) }

// Setting implements storage.KV.
func (s *Store) Setting(key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings[key], nil
}

// SetSetting implements storage.KV.
func (s *Store) SetSetting(key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings[key] = value
	return nil
}

// Doc is one in-memory document.
type Doc struct {
	s   *Store
	id  string
	mu  sync.Mutex
	doc *automerge.Doc
}

var _ lansync.Doc = (*Doc)(nil)

// ID implements lansync.Doc.
func (d *Doc) ID() string { return d.id }

// IsEmpty implements lansync.Doc.
func (d *Doc) IsEmpty() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.doc.Heads()) == 0
}

// NewSyncState implements lansync.Doc.
func (d *Doc) NewSyncState(saved []byte) (*automerge.SyncState, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(saved) == 0 {
		return automerge.NewSyncState(d.doc), nil
	}
	return automerge.LoadSyncState(d.doc, saved)
}

// GenerateSyncMessage implements lansync.Doc.
func (d *Doc) GenerateSyncMessage(ss *automerge.SyncState) ([]byte, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	m, ok := ss.GenerateMessage()
	if !ok {
		return nil, false
	}
	return m.Bytes(), true
}

// ReceiveSyncMessage implements lansync.Doc.
func (d *Doc) ReceiveSyncMessage(ss *automerge.SyncState, msg []byte, peer string) error {
	return d.remote(peer, func() error {
		_, err := ss.ReceiveMessage(msg)
		return err
	})
}

// Save implements lansync.Doc.
func (d *Doc) Save() []byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.doc.Save()
}

// Recent implements lansync.Doc.
func (d *Doc) Recent(heads []automerge.ChangeHash, maxBytes int) ([][]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return amsafe.Recent(d.doc, heads, maxBytes)
}

// IdleHeads implements lansync.Doc: an in-memory document is always loaded.
func (d *Doc) IdleHeads() ([]automerge.ChangeHash, bool) { return nil, false }

// ReleaseSyncState implements lansync.Doc: an in-memory document is never
// unloaded.
func (d *Doc) ReleaseSyncState() {}

// Unload implements lansync.Doc: an in-memory document is never unloaded.
func (d *Doc) Unload() {}

// Flush implements lansync.Doc: an in-memory document has nothing to save.
func (d *Doc) Flush() error { return nil }

// MergeSaved implements lansync.Doc.
func (d *Doc) MergeSaved(saved []byte, peer string) error {
	return d.remote(peer, func() error {
		other, err := automerge.Load(saved)
		if err != nil {
			return err
		}
		if !amsafe.SharesHistory(d.doc, other) {
			return amsafe.ErrNoSharedHistory
		}
		_, err = d.doc.Merge(other)
		return err
	})
}

func (d *Doc) remote(peer string, apply func() error) error {
	d.mu.Lock()
	before := d.doc.Heads()
	err := apply()
	after := d.doc.Heads()
	changed := !amsafe.SameHeads(before, after)
	d.mu.Unlock()
	if changed {
		d.s.publish(docs.Event{DocID: d.id, Origin: docs.FromPeer, Peer: peer, Heads: after, Meta: true})
	}
	return err
}

// Edit runs fn on the document, commits and publishes a local event.
func (d *Doc) Edit(fn func(d *automerge.Doc) error) error {
	d.mu.Lock()
	if err := fn(d.doc); err != nil {
		d.mu.Unlock()
		return err
	}
	_, err := d.doc.Commit("edit")
	d.mu.Unlock()
	if err != nil {
		return err
	}
	d.s.publish(docs.Event{DocID: d.id, Origin: docs.FromLocal, Meta: true})
	return nil
}

// Change is Edit with a description (the signature of docs.Handle.Change).
func (d *Doc) Change(_ string, fn func(d *automerge.Doc) error) error { return d.Edit(fn) }

// Read runs fn with the document locked.
func (d *Doc) Read(fn func(d *automerge.Doc) error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return fn(d.doc)
}

// Heads returns the document's heads.
func (d *Doc) Heads() []automerge.ChangeHash {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.doc.Heads()
}

// SameHeads reports whether two sets of heads are equal.
func SameHeads(a, b []automerge.ChangeHash) bool { return amsafe.SameHeads(a, b) }
