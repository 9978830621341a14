package docs

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/crdt/eventbus"
	"github.com/pwg-team/pwg/crdt/storage"
)

// ErrClosed is returned by Doc after Close.
var ErrClosed = errors.New("workspace is closed")

// Text is one named text of a document (a meeting section's notes).
type Text struct {
	Key  string
	Text string
}

// Blob is an attachment a document carries inline: its sha256 hex hash,
// mime type, and its bytes, read only when the blob is not yet stored.
type Blob struct {
	Hash string
	Mime string
	Data func() ([]byte, bool)
}

// Kind tells the runtime what it needs to know of one kind of document.
// Its functions run with the document locked and must not keep d.
type Kind struct {
	// Texts lists the document's texts in order; change events name the
	// keys whose text changed (Event.Sections). Nil: none.
	Texts func(d *automerge.Doc) ([]Text, error)
	// Blobs lists the blobs the document carries; after a merge the runtime
	// copies new ones into the workspace's blobs. Nil: none.
	Blobs func(d *automerge.Doc) []Blob
	// View is a plain view of the document kept with every save (see
	// Runtime.View). Nil: none.
	View func(d *automerge.Doc) ([]byte, error)
	// Meta digests everything of the document but its Texts, so that
	// change events can say whether anything else changed (Event.Meta).
	// Nil: every change that is not typing counts as one.
	Meta func(d *automerge.Doc) uint64
}

// Options configure New.
type Options struct {
	// Actor is this device's Automerge actor id (hex).
	Actor string
	// Author is recorded in every change's message.
	Author Author
	// Kinds describes the document kinds, by the root key "kind".
	Kinds map[string]Kind
	// Envelope reads a document's kind and schema (required).
	Envelope Envelope
	// Logger receives background errors (a failed batched commit). Default: slog.Default.
	Logger *slog.Logger
	// IdleUnload is how long a document is unused before it is unloaded
	// (see UnloadIdle): 0 is DefaultIdleUnload, a negative value never.
	IdleUnload time.Duration
}

// Runtime holds the loaded documents of one workspace database: one Handle
// per document, loaded on first use and kept until Close.
type Runtime struct {
	store    *storage.Store
	actor    string
	kinds    map[string]Kind
	envelope Envelope
	logger   *slog.Logger
	events   eventbus.Bus[Event]

	stopUnload chan struct{} // ends unloadLoop (Close)
	viewsOnce  sync.Once
	viewsErr   error
	savedMu    sync.Mutex
	saved      map[int]func(id string) // OnSaved listeners (views.go)
	savedNext  int

	mu      sync.Mutex
	author  Author
	handles map[string]*Handle
	closed  bool
}

// New returns the runtime of the documents in st. Close does not close st.
func New(st *storage.Store, opts Options) *Runtime {
	if opts.Envelope == nil {
		panic("docs.New: Options.Envelope is required")
	}
	r := &Runtime{store: st, actor: opts.Actor, author: opts.Author, kinds: opts.Kinds,
		envelope: opts.Envelope, logger: opts.Logger, handles: map[string]*Handle{}}
	if r.logger == nil {
		r.logger = slog.Default()
	}
	r.stopUnload = make(chan struct{})
	idle := opts.IdleUnload
	if idle == 0 {
		idle = DefaultIdleUnload
	}
	if idle > 0 {
		go r.unloadLoop(idle)
	}
	return r
}

// Author returns who changes are recorded as.
func (r *Runtime) Author() Author {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.author
}

// SetAuthor changes who future changes are recorded as.
func (r *Runtime) SetAuthor(a Author) {
	r.mu.Lock()
	r.author = a
	r.mu.Unlock()
}

// Subscribe returns a channel of document events and a function to stop.
func (r *Runtime) Subscribe() (<-chan Event, func()) { return r.events.Subscribe() }

func (r *Runtime) log(msg, docID string, err error) {
	r.logger.Error(msg, "doc", docID, "err", err)
}

// Doc returns the loaded document id, loading it from the database on first
// use. Damaged incremental chunks are set aside (kept in the quarantine
// table) and reported in Handle.Warnings: the last good state loads.
func (r *Runtime) Doc(id string) (*Handle, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, ErrClosed
	}
	if h, ok := r.handles[id]; ok {
		return h, nil
	}
	sd, err := r.store.LoadDoc(id)
	var doc *automerge.Doc
	if err == nil {
		doc, err = automerge.Load(sd.Snapshot)
		if err != nil {
			err = fmt.Errorf("%w: document %s does not load: %v", storage.ErrCorrupt, id, err)
		}
	}
	if errors.Is(err, storage.ErrCorrupt) {
		return r.quarantineLocked(id, err)
	}
	if err != nil {
		return nil, err
	}
	h := &Handle{rt: r, id: id, kind: sd.Kind, lastUse: time.Now()}
	if err := h.loadStoredLocked(doc, sd); err != nil {
		return nil, err
	}
	h.refreshMetaLocked()
	r.handles[id] = h
	return h, nil
}

// quarantineLocked sets aside a document whose saved copy is damaged (its
// snapshot fails its checksum or does not load) and returns it empty, of its
// kind, with a warning: every other document goes on as before, and the
// sync engine asks the team's other devices for all of it (an empty
// document sends a request). Nothing is lost: the damaged bytes stay in the
// quarantine table.
func (r *Runtime) quarantineLocked(id string, damage error) (*Handle, error) {
	empty := automerge.New()
	snap := empty.Save()
	kind, err := r.store.QuarantineDoc(id, snap, damage.Error())
	if err != nil {
		return nil, errors.Join(damage, err)
	}
	if err := empty.SetActorID(r.actor); err != nil {
		return nil, fmt.Errorf("set actor: %w", err)
	}
	warn := fmt.Sprintf("document %s: its saved copy is damaged (%v); it was set aside (kept in the quarantine table) and a good copy is asked of the team's other devices", id, damage)
	r.logger.Warn("damaged document set aside; asking peers for a good copy", "doc", id, "kind", kind, "err", damage)
	h := &Handle{rt: r, id: id, doc: empty, kind: kind, snapshotBytes: len(snap), warnings: []string{warn}, recovering: true}
	r.handles[id] = h
	return h, nil
}

// EnsureDoc returns the document id, creating an empty one if the workspace
// has none (a document a peer is about to send).
func (r *Runtime) EnsureDoc(id string) (*Handle, error) {
	if !docid.Valid(id) {
		return nil, fmt.Errorf("%q: %w", id, docid.ErrBad)
	}
	h, err := r.Doc(id)
	if err == nil || !errors.Is(err, storage.ErrNotFound) {
		return h, err
	}
	if err := r.store.InsertDoc(id, "", automerge.New().Save()); err != nil {
		return nil, err
	}
	return r.Doc(id)
}

// Create makes a new document of kind with a new id and its envelope
// (schema, kind, id), filled by init, committed with what as the change's
// description, stored, and announced by an event.
func (r *Runtime) Create(kind, what string, init func(id string, root *automerge.Map) error) (*Handle, error) {
	id := docid.New()
	doc := automerge.New()
	if err := doc.SetActorID(r.actor); err != nil {
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
	h := &Handle{rt: r, id: id, doc: doc, kind: kind, lastUse: time.Now()}
	h.pending, h.pendingWhat = 1, what
	if err := h.commitLocked(); err != nil {
		return nil, err
	}
	snap := doc.Save() // also marks everything as saved for SaveIncremental
	h.savedHeads = doc.Heads()
	if err := r.store.InsertDoc(id, kind, snap); err != nil {
		return nil, err
	}
	h.snapshotBytes = len(snap)
	h.saveViewLocked()
	r.mu.Lock()
	r.handles[id] = h
	r.mu.Unlock()
	r.events.Publish(Event{DocID: id, Origin: FromLocal, Meta: true})
	return h, nil
}

// Flush commits and persists pending edits of every loaded document.
func (r *Runtime) Flush() error {
	var errs []error
	for _, h := range r.handleList() {
		if err := h.Flush(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Close flushes every document, refuses further loads and ends every
// subscription. The store stays open (its owner closes it).
func (r *Runtime) Close() error {
	err := r.Flush()
	r.mu.Lock()
	if !r.closed {
		close(r.stopUnload)
	}
	r.closed = true
	r.mu.Unlock()
	r.events.Close()
	return err
}
