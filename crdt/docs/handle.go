package docs

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/crdt/amsafe"
	"github.com/pwg-team/pwg/crdt/storage"
)

// ErrStale is returned by EditIf when the document changed since the
// version the caller read. The domain's editor targets translate it into
// the binding's own (textsync.ErrStale) so the binding re-reads and retries.
var ErrStale = errors.New("document changed since it was read")

// ErrReadOnly is returned for a write to a document that opened read-only.
var ErrReadOnly = errors.New("document is read-only")

// ErrUnavailable is returned for a change from elsewhere (a peer, a file)
// to a document that could not be loaded again from storage after it was
// unloaded: nothing is merged into the empty stand-in, and nothing of it
// is saved over what is on disk. The next use after it goes idle tries the
// storage again.
var ErrUnavailable = errors.New("document could not be loaded from storage")

const (
	// commitDelay is the typing pause after which batched edits are committed.
	commitDelay = 300 * time.Millisecond
	// commitMaxOps commits a batch once it holds this many edits, pause or not.
	commitMaxOps = 64
	// minCompactBytes keeps tiny documents from being compacted on every save.
	minCompactBytes = 16 << 10
	// saveDelay batches the incremental saves of merges and of commits made
	// for sync: automerge-go's SaveIncremental costs time in proportion to
	// the whole history (1.2 ms at 20,000 changes), which a keystroke must
	// not pay for every sync message. Flush saves at once.
	saveDelay = 500 * time.Millisecond
)

// Handle is one loaded document of the workspace: the Automerge document, its
// storage and its change notifications. All access goes through its methods,
// which serialise on the handle's lock.
type Handle struct {
	rt *Runtime
	id string

	mu            sync.Mutex
	doc           *automerge.Doc
	kind          string
	readOnly      error
	lost          error // the reload failed: the document is an empty stand-in (ErrUnavailable)
	pending       int   // local edits not yet committed
	pendingWhat   string
	timer         *time.Timer
	saveTimer     *time.Timer // a batched save is due (persistSoonLocked)
	chunkBytes    int
	snapshotBytes int
	// savedHeads are the heads as of the last save. automerge-go's
	// SaveIncremental with nothing new returns a dangling pointer that aborts
	// the process if the stack moves (AUTOMERGE-GO.md): it is only called
	// when the heads moved since.
	savedHeads []automerge.ChangeHash
	warnings   []string
	// recovering: the saved copy was damaged and set aside; the document
	// is empty until a peer's copy arrives.
	recovering bool
	watchers   int               // views that want events to say what changed (Watch)
	syncStates int               // sync states made and not released (they hold the document)
	lastUse    time.Time         // for unloading idle documents (Runtime.UnloadIdle)
	texts      map[string]string // section texts as last reported, for change events
	metaDigest uint64            // the kind's Meta digest as last reported
	metaKnown  bool
	blobs      map[string]bool // attachment hashes known to be in the blobs table
	// version counts changes not made through Edit (merges, discrete
	// changes): an editor binding uses it to splice only into the text it saw.
	version uint64
}

// ID returns the document's automerge-repo id.
func (h *Handle) ID() string { return h.id }

// Kind returns the document's kind (root key "kind"), or "" for a
// document not yet received.
func (h *Handle) Kind() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.kind
}

// ReadOnly returns nil for a writable document, or why it is read-only.
func (h *Handle) ReadOnly() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.readOnly
}

// Warnings lists problems met while loading (e.g. a damaged chunk set aside).
func (h *Handle) Warnings() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.warnings...)
}

// Read runs fn with the document locked. fn must not keep d.
func (h *Handle) Read(fn func(d *automerge.Doc) error) error {
	h.lockDoc()
	defer h.mu.Unlock()
	return fn(h.doc)
}

// Change runs fn, commits at once with what as the change's description, and
// persists it. Use it for discrete actions (add an item, rename a section).
func (h *Handle) Change(what string, fn func(d *automerge.Doc) error) error {
	h.lockDoc()
	if h.readOnly != nil {
		h.mu.Unlock()
		return fmt.Errorf("%w: %v", ErrReadOnly, h.readOnly)
	}
	if err := fn(h.doc); err != nil {
		// automerge-go exposes no rollback: whatever fn wrote before failing
		// goes out with the next commit. Every fn here validates its input
		// before writing, so only an Automerge error can leave a partial write.
		h.mu.Unlock()
		return err
	}
	h.pendingWhat = what
	h.pending++
	h.version++
	err := h.flushLocked()
	ev := Event{DocID: h.id, Origin: FromLocal}
	ev.Sections, ev.Meta = h.changesLocked()
	h.mu.Unlock()
	h.rt.events.Publish(ev)
	return err
}

// Edit runs fn without committing: edits are batched and committed after a
// short typing pause (or every commitMaxOps edits), because one commit per
// keystroke costs hundreds of MB over a long history.
func (h *Handle) Edit(what string, fn func(d *automerge.Doc) error) error {
	return h.EditIf(0, false, what, fn)
}

// EditIf is Edit done only if the document's Version is still version
// (when check is set); otherwise it returns ErrStale and changes nothing.
func (h *Handle) EditIf(version uint64, check bool, what string, fn func(d *automerge.Doc) error) error {
	h.lockDoc()
	if check && version != h.version {
		h.mu.Unlock()
		return ErrStale
	}
	if h.readOnly != nil {
		h.mu.Unlock()
		return fmt.Errorf("%w: %v", ErrReadOnly, h.readOnly)
	}
	if err := fn(h.doc); err != nil {
		h.mu.Unlock()
		return err
	}
	h.pending++
	h.pendingWhat = what
	var err error
	if h.pending >= commitMaxOps {
		err = h.commitLocked()
		h.persistSoonLocked()
	} else if h.timer == nil {
		h.timer = time.AfterFunc(commitDelay, func() {
			if err := h.Flush(); err != nil {
				h.rt.log("commit of batched edits failed", h.id, err)
			}
		})
	} else {
		h.timer.Reset(commitDelay)
	}
	h.mu.Unlock()
	h.rt.events.Publish(Event{DocID: h.id, Origin: FromLocal})
	return err
}

// Flush commits pending edits and persists them.
func (h *Handle) Flush() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.flushLocked()
}

func (h *Handle) commitLocked() error {
	if h.pending == 0 || h.doc == nil {
		return nil
	}
	if h.timer != nil {
		h.timer.Stop()
		h.timer = nil
	}
	msg, _ := json.Marshal(struct {
		Author
		What string `json:"what,omitempty"`
	}{h.rt.Author(), h.pendingWhat})
	h.pending = 0
	h.pendingWhat = ""
	if _, err := h.doc.Commit(string(msg)); err != nil && err.Error() != "Commit is empty" {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (h *Handle) flushLocked() error {
	if err := h.commitLocked(); err != nil {
		return err
	}
	if h.saveTimer != nil {
		h.saveTimer.Stop()
		h.saveTimer = nil
	}
	return h.persistLocked()
}

// persistSoonLocked saves what is new after saveDelay, batching the saves
// of a burst of merges and sync messages into one.
func (h *Handle) persistSoonLocked() {
	if h.saveTimer != nil || amsafe.SameHeads(h.doc.Heads(), h.savedHeads) {
		return
	}
	h.saveTimer = time.AfterFunc(saveDelay, func() {
		h.mu.Lock()
		h.saveTimer = nil
		err := h.persistLocked()
		h.mu.Unlock()
		if err != nil {
			h.rt.log("save of merged changes failed", h.id, err)
		}
	})
}

// persistLocked writes what changed since the last save as an incremental
// chunk, and compacts into a new snapshot once the chunks outgrow it.
func (h *Handle) persistLocked() error {
	if h.doc == nil {
		return nil // unloaded: saved before
	}
	if h.lost != nil {
		return nil // an empty stand-in must never replace what is on disk
	}
	heads := h.doc.Heads()
	if amsafe.SameHeads(heads, h.savedHeads) {
		return nil // nothing new: SaveIncremental must not be called
	}
	data := h.doc.SaveIncremental()
	h.savedHeads = heads
	if len(data) == 0 {
		return nil
	}
	defer h.saveViewLocked()
	if h.chunkBytes+len(data) > max(h.snapshotBytes, minCompactBytes) {
		snap := h.doc.Save()
		if err := h.rt.store.Compact(h.id, h.kind, snap); err != nil {
			return err
		}
		h.snapshotBytes = len(snap)
		h.chunkBytes = 0
		return nil
	}
	if err := h.rt.store.AppendChunk(h.id, data); err != nil {
		return err
	}
	h.chunkBytes += len(data)
	return nil
}

// Heads returns the document's current heads (committing pending edits).
func (h *Handle) Heads() []automerge.ChangeHash {
	h.lockDoc()
	defer h.mu.Unlock()
	if err := h.commitLocked(); err != nil {
		h.rt.log("commit before heads failed", h.id, err)
	}
	h.persistSoonLocked()
	return h.doc.Heads()
}

// Save returns the whole document compacted (committing pending edits).
func (h *Handle) Save() []byte {
	h.lockDoc()
	defer h.mu.Unlock()
	if err := h.flushLocked(); err != nil {
		h.rt.log("flush before save failed", h.id, err)
	}
	return h.doc.Save()
}

// Recent returns the saved changes leading up to heads, oldest first, about
// maxBytes of them (amsafe.Recent): the dictionary of a packed sync message
// is made from them.
func (h *Handle) Recent(heads []automerge.ChangeHash, maxBytes int) ([][]byte, error) {
	h.lockDoc()
	defer h.mu.Unlock()
	return amsafe.Recent(h.doc, heads, maxBytes)
}

// IsEmpty reports whether the document has no changes at all (an id a peer
// offered that has not arrived yet).
func (h *Handle) IsEmpty() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.doc == nil { // unloaded: everything it had was saved
		return len(h.savedHeads) == 0
	}
	return len(h.doc.Heads()) == 0 && h.pending == 0
}

// NewSyncState returns an Automerge sync state for this document, resumed
// from saved (nil for a new peer).
//
// A sync state holds the loaded document: the document stays loaded until
// every sync state made is given back with ReleaseSyncState.
func (h *Handle) NewSyncState(saved []byte) (*automerge.SyncState, error) {
	h.lockDoc()
	defer h.mu.Unlock()
	if len(saved) == 0 {
		h.syncStates++
		return automerge.NewSyncState(h.doc), nil
	}
	ss, err := automerge.LoadSyncState(h.doc, saved)
	if err == nil {
		h.syncStates++
	}
	return ss, err
}

// ReleaseSyncState says a sync state made by NewSyncState is no longer
// used, so that the document may be unloaded when idle.
func (h *Handle) ReleaseSyncState() {
	h.mu.Lock()
	if h.syncStates > 0 {
		h.syncStates--
	}
	h.mu.Unlock()
}

// GenerateSyncMessage commits pending edits and returns the next sync message
// for the peer of ss, or false when there is nothing to send.
func (h *Handle) GenerateSyncMessage(ss *automerge.SyncState) ([]byte, bool) {
	h.lockDoc()
	defer h.mu.Unlock()
	if err := h.commitLocked(); err != nil {
		h.rt.log("commit before sync failed", h.id, err)
	}
	h.persistSoonLocked()
	msg, ok := ss.GenerateMessage()
	if !ok {
		return nil, false
	}
	return msg.Bytes(), true
}

// ReceiveSyncMessage applies a sync message from peer (the connection's
// key), publishes an event if the document changed, and saves what it
// brought within saveDelay (Flush saves at once). A document whose new state
// is from a newer schema becomes read-only.
func (h *Handle) ReceiveSyncMessage(ss *automerge.SyncState, msg []byte, peer string) error {
	return h.remote(FromPeer, peer, func() error {
		_, err := ss.ReceiveMessage(msg)
		return err
	})
}

// MergeSaved merges a whole saved document sent by a peer (the fast first
// sync to a peer that has none of it). A document that shares no history
// with a non-empty local one is refused (amsafe.ErrNoSharedHistory).
func (h *Handle) MergeSaved(saved []byte, peer string) error {
	origin := FromPeer
	if peer == "" {
		origin = FromFile
	}
	return h.remote(origin, peer, func() error {
		other, err := automerge.Load(saved)
		if err != nil {
			return fmt.Errorf("%w: document from peer does not load: %v", storage.ErrCorrupt, err)
		}
		if !amsafe.SharesHistory(h.doc, other) {
			return fmt.Errorf("document %s: %w", h.id, amsafe.ErrNoSharedHistory)
		}
		_, err = h.doc.Merge(other)
		return err
	})
}

// ApplyChanges applies changes from another replica of the document.
func (h *Handle) ApplyChanges(chs ...*automerge.Change) error {
	return h.remote(FromPeer, "", func() error { return amsafe.Apply(h.doc, chs) })
}

func (h *Handle) remote(origin Origin, peer string, apply func() error) error {
	h.lockDoc()
	if h.lost != nil {
		err := fmt.Errorf("%w: %v", ErrUnavailable, h.lost)
		h.mu.Unlock()
		return err
	}
	if err := h.commitLocked(); err != nil {
		h.mu.Unlock()
		return err
	}
	before := h.doc.Heads()
	if err := apply(); err != nil {
		h.mu.Unlock()
		return err
	}
	after := h.doc.Heads()
	if amsafe.SameHeads(before, after) {
		h.mu.Unlock()
		return nil
	}
	h.version++
	if h.recovering {
		h.recovering = false
		h.warnings = append(h.warnings, fmt.Sprintf("document %s: a good copy arrived from another device and replaces the damaged one", h.id))
		h.rt.logger.Info("damaged document recovered from a peer", "doc", h.id)
	}
	h.refreshMetaLocked()
	h.persistSoonLocked() // the event (and relaying) does not wait for it
	h.storeBlobsLocked()
	ev := Event{DocID: h.id, Origin: origin, Peer: peer, Heads: after}
	ev.Sections, ev.Meta = h.changesLocked()
	h.mu.Unlock()
	h.rt.events.Publish(ev)
	return nil
}

// refreshMetaLocked reads kind and schema after a merge: a document that
// arrived from a peer learns its kind; one from a newer pwg turns read-only.
//
// The kind is pwg's own record: learnt once, when a document that arrived
// empty gets its content, and never changed by what a peer writes later (a
// peer that set a meeting's "kind" to "series" made it unopenable, also
// after a restart). Read-only follows the schema as it is now: a schema set
// back makes the document writable again.
func (h *Handle) refreshMetaLocked() {
	kind, schema := h.rt.envelope(h.doc)
	if kind != "" && h.kind == "" {
		h.kind = kind
		if err := h.rt.store.SetKind(h.id, kind); err != nil {
			h.rt.log("record document kind failed", h.id, err)
		}
	}
	if schema > SchemaVersion {
		h.readOnly = fmt.Errorf("document schema %d: %w", schema, storage.ErrNewerSchema)
	} else if errors.Is(h.readOnly, storage.ErrNewerSchema) {
		h.readOnly = nil
	}
}

// Repair runs fn, which restores malformed fields, and commits it at once
// as a change that syncs, even on a document that is read-only because a
// peer wrote a newer schema into it (fn may set the schema back). If kind is
// not empty it becomes the document's recorded kind.
func (h *Handle) Repair(kind, what string, fn func(d *automerge.Doc) error) error {
	h.lockDoc()
	if err := fn(h.doc); err != nil {
		h.mu.Unlock()
		return err
	}
	h.pendingWhat = what
	h.pending++
	h.version++
	if kind != "" && kind != h.kind {
		h.kind = kind
		if err := h.rt.store.SetKind(h.id, kind); err != nil {
			h.rt.log("record document kind failed", h.id, err)
		}
	}
	h.refreshMetaLocked()
	err := h.flushLocked()
	ev := Event{DocID: h.id, Origin: FromLocal}
	ev.Sections, ev.Meta = h.changesLocked()
	ev.Meta = true
	h.mu.Unlock()
	h.rt.events.Publish(ev)
	return err
}

// Watch asks that change events of this document say what changed (the
// sections whose text changed, and Meta only when anything else did), for
// a view that shows it; the returned function ends the watch. Unwatched,
// an event names no section and has Meta set: working that out reads the
// whole document after every merge (about 1 ms for a meeting), which
// nobody needs for a document no window shows.
func (h *Handle) Watch() (stop func()) {
	h.lockDoc()
	h.watchers++
	if h.watchers == 1 {
		h.texts, h.metaKnown = nil, false
		h.changesLocked() // what the view is about to read
	}
	h.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			h.mu.Lock()
			h.watchers--
			h.mu.Unlock()
		})
	}
}

// changesLocked compares each of the document's texts (its kind's Texts)
// with what was last reported and returns the keys that differ, and whether
// anything else changed (its kind's Meta digest). Unwatched: nothing is
// compared, Meta is set.
func (h *Handle) changesLocked() (sections []string, meta bool) {
	k, ok := h.rt.kinds[h.kind]
	if !ok || h.watchers == 0 {
		return nil, true
	}
	meta = true
	if k.Meta != nil {
		d := k.Meta(h.doc)
		meta = !h.metaKnown || d != h.metaDigest
		h.metaDigest, h.metaKnown = d, true
	}
	if k.Texts == nil {
		return nil, meta
	}
	texts, err := k.Texts(h.doc)
	if err != nil {
		return nil, true
	}
	if h.texts == nil {
		h.texts = map[string]string{}
	}
	for _, t := range texts {
		if old, ok := h.texts[t.Key]; !ok || old != t.Text {
			sections = append(sections, t.Key)
			h.texts[t.Key] = t.Text
		}
	}
	return sections, meta
}

// ChangesSince returns the changes made after the given heads (all changes
// for none), each with its author.
func (h *Handle) ChangesSince(heads ...automerge.ChangeHash) ([]ChangeInfo, error) {
	h.lockDoc()
	defer h.mu.Unlock()
	if err := h.flushLocked(); err != nil {
		return nil, err
	}
	chs, err := amsafe.Changes(h.doc, heads)
	if err != nil {
		return nil, err
	}
	out := make([]ChangeInfo, 0, len(chs))
	for _, c := range chs {
		out = append(out, changeInfo(c))
	}
	return out, nil
}

// ReadVersioned runs fn with the document locked and returns its Version.
func (h *Handle) ReadVersioned(fn func(d *automerge.Doc) error) (uint64, error) {
	h.lockDoc()
	defer h.mu.Unlock()
	return h.version, fn(h.doc)
}

// storeBlobsLocked copies blob bytes that arrived in the document (its
// kind's Blobs) into the workspace's content-addressed blobs, checked
// against their hash.
func (h *Handle) storeBlobsLocked() {
	k, ok := h.rt.kinds[h.kind]
	if !ok || k.Blobs == nil {
		return
	}
	if h.blobs == nil {
		h.blobs = map[string]bool{}
	}
	for _, b := range k.Blobs(h.doc) {
		hash := b.Hash
		if h.blobs[hash] {
			continue
		}
		if _, _, err := h.rt.store.Blob(hash); err == nil {
			h.blobs[hash] = true
			continue
		}
		data, ok := b.Data()
		if !ok {
			continue
		}
		got, err := h.rt.store.PutBlob(b.Mime, data)
		if err != nil || got != hash {
			h.rt.log("attachment from a peer does not match its hash; not stored", h.id, fmt.Errorf("want %s, got %s: %v", hash, got, err))
			continue
		}
		h.blobs[hash] = true
	}
}
