package minutes

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/storage"
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
	// IdleUnload is how long a document is unused before its Automerge
	// document is unloaded (loaded again on next use): 0 is
	// docs.DefaultIdleUnload, a negative value never.
	IdleUnload time.Duration
}

// Workspace is a folder holding one SQLite database with every document of
// the user's teams. One process at a time has it open (see ErrLocked).
type Workspace struct {
	dir   string
	store *storage.Store
	lock  *storage.Lock
	docs  *docs.Runtime
	actor string
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
// storage.ErrLocked if another pwg has it open and with storage.ErrCorrupt
// if the database is damaged; in both cases nothing on disk is changed.
func Open(dir string, opts Options) (*Workspace, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create workspace %s: %w", dir, err)
	}
	lk, err := storage.AcquireLock(dir)
	if err != nil {
		return nil, err
	}
	st, err := storage.Open(filepath.Join(dir, DBFile))
	if err != nil {
		lk.Release()
		return nil, fmt.Errorf("workspace %s: %w", dir, err)
	}
	w := &Workspace{dir: dir, store: st, lock: lk}
	author, err := w.loadIdentity(opts.Name)
	if err != nil {
		st.Close()
		lk.Release()
		return nil, err
	}
	w.docs = docs.New(st, docs.Options{Actor: w.actor, Author: author, Kinds: kinds, Envelope: envelope, Logger: opts.Logger, IdleUnload: opts.IdleUnload})
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
func (w *Workspace) loadIdentity(name string) (docs.Author, error) {
	st := w.store.Settings()
	get := func(read func() (string, error), write func(string) error, def func() string) (string, error) {
		v, err := read()
		if err != nil || v != "" {
			return v, err
		}
		v = def()
		return v, write(v)
	}
	var a docs.Author
	var err error
	if w.actor, err = get(st.DeviceActor, st.SetDeviceActor, func() string { return randomHex(16) }); err != nil {
		return a, fmt.Errorf("device identity: %w", err)
	}
	if a.PersonID, err = get(st.PersonID, st.SetPersonID, func() string { return randomHex(8) }); err != nil {
		return a, fmt.Errorf("person identity: %w", err)
	}
	if a.Name, err = get(st.PersonName, st.SetPersonName, loginName); err != nil {
		return a, fmt.Errorf("person name: %w", err)
	}
	if name != "" && name != a.Name {
		a.Name = name
		return a, st.SetPersonName(name)
	}
	return a, nil
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
func (w *Workspace) DB() *sql.DB { return w.store.DB() }

// Author returns who this workspace's changes are recorded as.
func (w *Workspace) Author() docs.Author { return w.docs.Author() }

// SetName changes this person's display name for future changes.
func (w *Workspace) SetName(name string) error {
	if err := w.store.Settings().SetPersonName(name); err != nil {
		return err
	}
	a := w.docs.Author()
	a.Name = name
	w.docs.SetAuthor(a)
	return nil
}

// ActorID returns this device's Automerge actor id.
func (w *Workspace) ActorID() string { return w.actor }

// Settings returns the workspace's typed settings.
func (w *Workspace) Settings() storage.Settings { return w.store.Settings() }

// SyncState returns the persisted sync state with a peer for a document (nil if none).
func (w *Workspace) SyncState(peerID, docID string) ([]byte, error) {
	return w.store.SyncState(peerID, docID)
}

// SaveSyncState persists the sync state with a peer for a document.
func (w *Workspace) SaveSyncState(peerID, docID string, state []byte) error {
	return w.store.SaveSyncState(peerID, docID, state)
}

// PutBlob stores data content-addressed and returns its sha256 hex hash.
func (w *Workspace) PutBlob(mime string, data []byte) (string, error) {
	return w.store.PutBlob(mime, data)
}

// Blob returns a stored blob, checked against its hash.
func (w *Workspace) Blob(hash string) (string, []byte, error) { return w.store.Blob(hash) }

// Subscribe returns a channel of document events and a function to stop.
func (w *Workspace) Subscribe() (<-chan docs.Event, func()) { return w.docs.Subscribe() }

// DocIDs lists every document in the workspace.
func (w *Workspace) DocIDs() ([]string, error) { return w.store.DocIDs("") }

// Doc returns the loaded document id (see docs.Runtime.Doc).
func (w *Workspace) Doc(id string) (*docs.Handle, error) { return w.docs.Doc(id) }

// EnsureDoc returns the document id, creating an empty one if the workspace
// has none (a document a peer is about to send).
func (w *Workspace) EnsureDoc(id string) (*docs.Handle, error) { return w.docs.EnsureDoc(id) }

// Flush commits and persists pending edits of every loaded document.
func (w *Workspace) Flush() error { return w.docs.Flush() }

// Close flushes every document, closes the database and releases the lock.
func (w *Workspace) Close() error {
	err := w.docs.Close()
	if cerr := w.store.Close(); err == nil {
		err = cerr
	}
	w.lock.Release()
	return err
}
