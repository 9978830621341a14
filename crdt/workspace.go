package crdt

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"sync"

	"database/sql"

	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/crdt/eventbus"
)

// DBFile is the name of the workspace's SQLite database.
const DBFile = "pwg.db"

// Options configure Open.
type Options struct {
	// Name is the display name recorded as author of this person's changes;
	// empty keeps the stored name (first start: the login name).
	Name string
	// Logger receives background errors (a failed batched commit). Default: slog.Default.
	Logger *slog.Logger
}

// Workspace is a folder holding one SQLite database with every document of
// the user's teams. One process at a time has it open (see ErrLocked).
type Workspace struct {
	dir    string
	store  *store
	lock   *lockFile
	author Author
	actor  string
	logger *slog.Logger
	events eventbus.Bus[Event]

	mu      sync.Mutex
	handles map[string]*Handle
	closed  bool
}

// DefaultDir returns <user config dir>/pwg.
func DefaultDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user config folder: %w", err)
	}
	return filepath.Join(d, "pwg"), nil
}

// Open opens (creating if needed) the workspace in dir. It fails with
// ErrLocked if another pwg has it open and with ErrCorrupt if the database
// is damaged; in both cases nothing on disk is changed.
func Open(dir string, opts Options) (*Workspace, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create workspace %s: %w", dir, err)
	}
	lk, err := acquireLock(dir)
	if err != nil {
		return nil, err
	}
	st, err := openStore(filepath.Join(dir, DBFile))
	if err != nil {
		lk.release()
		return nil, fmt.Errorf("workspace %s: %w", dir, err)
	}
	w := &Workspace{dir: dir, store: st, lock: lk, handles: map[string]*Handle{}, logger: opts.Logger}
	if w.logger == nil {
		w.logger = slog.Default()
	}
	if err := w.loadIdentity(opts.Name); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// loadIdentity reads (or makes on first start) this device's actor id and
// this person's id and name.
func (w *Workspace) loadIdentity(name string) error {
	get := func(key string, def func() string) (string, error) {
		v, err := w.store.setting(key)
		if errors.Is(err, ErrNotFound) {
			v = def()
			if err := w.store.setSetting(key, v); err != nil {
				return "", err
			}
			return v, nil
		}
		return v, err
	}
	var err error
	if w.actor, err = get("device.actor", func() string { return randomHex(16) }); err != nil {
		return fmt.Errorf("device identity: %w", err)
	}
	if w.author.PersonID, err = get("person.id", func() string { return randomHex(8) }); err != nil {
		return fmt.Errorf("person identity: %w", err)
	}
	if w.author.Name, err = get("person.name", loginName); err != nil {
		return fmt.Errorf("person name: %w", err)
	}
	if name != "" && name != w.author.Name {
		w.author.Name = name
		return w.store.setSetting("person.name", name)
	}
	return nil
}

func loginName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "me"
}

// Dir returns the workspace folder.
func (w *Workspace) Dir() string { return w.dir }

// DB returns the workspace's database. Integrations keep their own tables in
// it, named after their package.
func (w *Workspace) DB() *sql.DB { return w.store.db }

// Author returns who this workspace's changes are recorded as.
func (w *Workspace) Author() Author { return w.author }

// SetName changes this person's display name for future changes.
func (w *Workspace) SetName(name string) error {
	if err := w.store.setSetting("person.name", name); err != nil {
		return err
	}
	w.mu.Lock()
	w.author.Name = name
	w.mu.Unlock()
	return nil
}

// ActorID returns this device's Automerge actor id.
func (w *Workspace) ActorID() string { return w.actor }

// Setting returns a stored setting or ErrNotFound.
func (w *Workspace) Setting(key string) (string, error) { return w.store.setting(key) }

// SetSetting stores a setting.
func (w *Workspace) SetSetting(key, value string) error { return w.store.setSetting(key, value) }

// SyncState returns the persisted sync state with a peer for a document (nil if none).
func (w *Workspace) SyncState(peerID, docID string) ([]byte, error) {
	return w.store.syncState(peerID, docID)
}

// SaveSyncState persists the sync state with a peer for a document.
func (w *Workspace) SaveSyncState(peerID, docID string, state []byte) error {
	return w.store.saveSyncState(peerID, docID, state)
}

// PutBlob stores data content-addressed and returns its sha256 hex hash.
func (w *Workspace) PutBlob(mime string, data []byte) (string, error) {
	return w.store.putBlob(mime, data)
}

// Blob returns a stored blob, checked against its hash.
func (w *Workspace) Blob(hash string) (string, []byte, error) { return w.store.blob(hash) }

// Subscribe returns a channel of document events and a function to stop.
func (w *Workspace) Subscribe() (<-chan Event, func()) { return w.events.Subscribe() }

// DocIDs lists every document in the workspace.
func (w *Workspace) DocIDs() ([]string, error) { return w.store.docIDs("") }

func (w *Workspace) log(msg, docID string, err error) {
	w.logger.Error(msg, "doc", docID, "err", err)
}

// Doc returns the loaded document id, loading it from the database on first
// use. Damaged incremental chunks are set aside (kept in the quarantine
// table) and reported in Handle.Warnings: the last good state loads.
func (w *Workspace) Doc(id string) (*Handle, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil, errors.New("workspace is closed")
	}
	if h, ok := w.handles[id]; ok {
		return h, nil
	}
	sd, err := w.store.loadDoc(id)
	if err != nil {
		return nil, err
	}
	doc, err := automerge.Load(sd.snapshot)
	if err != nil {
		return nil, fmt.Errorf("%w: document %s does not load: %v", ErrCorrupt, id, err)
	}
	h := &Handle{ws: w, id: id, doc: doc, kind: sd.kind, snapshotBytes: len(sd.snapshot)}
	for _, c := range sd.chunks {
		reason := ""
		if !c.ok {
			reason = "checksum mismatch"
		} else if err := doc.LoadIncremental(c.data); err != nil {
			reason = err.Error()
		}
		if reason != "" {
			h.warnings = append(h.warnings, fmt.Sprintf("document %s: saved changes #%d are damaged (%s); they were set aside and the last good state loaded", id, c.seq, reason))
			if err := w.store.quarantineChunk(id, c.seq, c.data, reason); err != nil {
				return nil, fmt.Errorf("set aside damaged changes of %s: %w", id, err)
			}
			continue
		}
		h.chunkBytes += len(c.data)
	}
	if err := doc.SetActorID(w.actor); err != nil {
		return nil, fmt.Errorf("set actor: %w", err)
	}
	h.refreshMetaLocked()
	if h.kind == KindMeeting {
		h.changedSectionsLocked() // remember texts as loaded
	}
	w.handles[id] = h
	return h, nil
}

// EnsureDoc returns the document id, creating an empty one if the workspace
// has none (a document a peer is about to send).
func (w *Workspace) EnsureDoc(id string) (*Handle, error) {
	if !ValidDocID(id) {
		return nil, fmt.Errorf("%q: %w", id, ErrBadDocID)
	}
	h, err := w.Doc(id)
	if err == nil || !errors.Is(err, ErrNotFound) {
		return h, err
	}
	if err := w.store.insertDoc(id, "", automerge.New().Save()); err != nil {
		return nil, err
	}
	return w.Doc(id)
}

// createDoc makes a new document of kind, filled by init, committed and stored.
func (w *Workspace) createDoc(kind, what string, init func(id string, root *automerge.Map) error) (*Handle, error) {
	id := NewDocID()
	doc := automerge.New()
	if err := doc.SetActorID(w.actor); err != nil {
		return nil, err
	}
	root := doc.RootMap()
	if err := root.Set("schema", int64(SchemaVersion)); err != nil {
		return nil, err
	}
	if err := root.Set("kind", kind); err != nil {
		return nil, err
	}
	if err := root.Set("id", id); err != nil {
		return nil, err
	}
	if err := init(id, root); err != nil {
		return nil, err
	}
	h := &Handle{ws: w, id: id, doc: doc, kind: kind}
	h.pending, h.pendingWhat = 1, what
	if err := h.commitLocked(); err != nil {
		return nil, err
	}
	snap := doc.Save() // also marks everything as saved for SaveIncremental
	h.savedHeads = doc.Heads()
	if err := w.store.insertDoc(id, kind, snap); err != nil {
		return nil, err
	}
	h.snapshotBytes = len(snap)
	if kind == KindMeeting {
		h.changedSectionsLocked()
	}
	w.mu.Lock()
	w.handles[id] = h
	w.mu.Unlock()
	w.events.Publish(Event{DocID: id, Local: true})
	return h, nil
}

// Flush commits and persists pending edits of every loaded document.
func (w *Workspace) Flush() error {
	w.mu.Lock()
	hs := make([]*Handle, 0, len(w.handles))
	for _, h := range w.handles {
		hs = append(hs, h)
	}
	w.mu.Unlock()
	var errs []error
	for _, h := range hs {
		if err := h.Flush(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Close flushes every document, closes the database and releases the lock.
func (w *Workspace) Close() error {
	err := w.Flush()
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.events.Close()
	if cerr := w.store.close(); err == nil {
		err = cerr
	}
	w.lock.release()
	return err
}
