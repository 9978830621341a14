package docs

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/crdt/amsafe"
	"github.com/pwg-team/pwg/crdt/storage"
)

// Documents nobody uses are unloaded: Automerge holds several hundred bytes
// per character of history, and a workspace holds a year of meetings. A
// Handle stays the one object of its document; only its Automerge document
// is dropped, and loaded again from storage on the next use (lockDoc). A
// document is unloaded only when nothing is lost or held: no pending edit
// or save, everything saved, no window watching it, no sync state made from
// it (the sync engine gives idle ones back).

// DefaultIdleUnload is how long a document is unused before it is unloaded
// (Options.IdleUnload).
const DefaultIdleUnload = 2 * time.Minute

// automerge-go frees each C result it returns only from a finalizer, which
// runs after a Go collection; the Go heap those results hold is small, so
// the collector, paced by the Go heap, lets the C heap pile up behind it
// (seph-blog1 typed with a peer connected: 156-164 MB peak RSS; with a
// collection started every 1,024 document operations, 141-150 MB). A
// collection is started every gcEvery document operations: about one a
// minute for a person typing, concurrent with the typing.
const gcEvery = 1024

var docOps atomic.Int64

// lockDoc locks the handle with its document loaded.
func (h *Handle) lockDoc() {
	if docOps.Add(1)%gcEvery == 0 {
		go runtime.GC()
	}
	h.mu.Lock()
	h.lastUse = time.Now()
	if h.doc == nil {
		h.reloadLocked()
	}
}

// reloadLocked loads the document again from storage after it was unloaded.
// If that fails (the disk went away), the document is empty and read-only.
func (h *Handle) reloadLocked() {
	sd, err := h.rt.store.LoadDoc(h.id)
	var doc *automerge.Doc
	if err == nil {
		doc, err = automerge.Load(sd.Snapshot)
	}
	if err == nil {
		h.chunkBytes = 0
		err = h.loadStoredLocked(doc, sd)
	}
	if err != nil {
		// An empty stand-in, read-only, that merges nothing and is never
		// saved (a save could compact it over the stored document).
		h.doc = automerge.New()
		h.lost = fmt.Errorf("document %s could not be loaded again: %v", h.id, err)
		h.readOnly = fmt.Errorf("%w: %v", ErrReadOnly, h.lost)
		h.rt.log("document not loaded again", h.id, err)
		return
	}
	h.refreshMetaLocked()
}

// loadStoredLocked takes doc (the stored snapshot, loaded) with the stored
// incremental chunks of sd as the handle's document. Damaged chunks are set
// aside (quarantine) and reported in Warnings.
func (h *Handle) loadStoredLocked(doc *automerge.Doc, sd *storage.StoredDoc) error {
	h.snapshotBytes = len(sd.Snapshot)
	for _, c := range sd.Chunks {
		reason := ""
		if !c.OK {
			reason = "checksum mismatch"
		} else if err := doc.LoadIncremental(c.Data); err != nil {
			reason = err.Error()
		}
		if reason != "" {
			h.warnings = append(h.warnings, fmt.Sprintf("document %s: saved changes #%d are damaged (%s); they were set aside and the last good state loaded", h.id, c.Seq, reason))
			if err := h.rt.store.QuarantineChunk(h.id, c.Seq, c.Data, reason); err != nil {
				return fmt.Errorf("set aside damaged changes of %s: %w", h.id, err)
			}
			continue
		}
		h.chunkBytes += len(c.Data)
	}
	if err := doc.SetActorID(h.rt.actor); err != nil {
		return fmt.Errorf("set actor: %w", err)
	}
	// Everything loaded is saved already. automerge-go counts nothing of a
	// loaded document as saved: without this the first flush (a mere read
	// of the heads) wrote the whole history again as a chunk, and a large
	// document's snapshot was rewritten on every read. The empty case is
	// skipped: SaveIncremental with nothing to return is unsafe.
	if heads := doc.Heads(); len(heads) > 0 {
		_ = doc.SaveIncremental()
		h.savedHeads = heads
	}
	h.doc = doc
	return nil
}

// unloadLocked drops the Automerge document if the handle has been unused
// for idle and nothing would be lost or is held.
func (h *Handle) unloadLocked(idle time.Duration) bool {
	if h.doc == nil || time.Since(h.lastUse) < idle || h.watchers > 0 || h.syncStates > 0 ||
		h.pending > 0 || h.timer != nil || h.saveTimer != nil || h.recovering {
		return false
	}
	if h.lost != nil {
		// The stand-in of a failed reload: dropped, so that the next use
		// tries the storage again.
		h.lost, h.readOnly = nil, nil
	} else if !amsafe.SameHeads(h.doc.Heads(), h.savedHeads) {
		return false
	}
	h.doc = nil
	h.texts, h.metaKnown = nil, false
	return true
}

// unloadLoop unloads idle documents until Close.
func (r *Runtime) unloadLoop(idle time.Duration) {
	t := time.NewTicker(max(idle/4, 50*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-r.stopUnload:
			return
		case <-t.C:
			r.UnloadIdle(idle)
		}
	}
}

// IdleHeads returns the heads of the document when it is unloaded (all of
// it saved), without loading it; ok is false when it is loaded. The sync
// engine uses it to leave a document that a peer already has unloaded.
func (h *Handle) IdleHeads() (heads []automerge.ChangeHash, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.doc != nil {
		return nil, false
	}
	return append([]automerge.ChangeHash(nil), h.savedHeads...), true
}

// Resident reports whether the Automerge document is in memory (not
// unloaded while idle).
func (h *Handle) Resident() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.doc != nil
}

// handleList returns the runtime's handles, so that each can be locked in
// turn without holding the runtime's lock.
func (r *Runtime) handleList() []*Handle {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Collect(maps.Values(r.handles))
}

// Resident counts the documents whose Automerge document is in memory.
func (r *Runtime) Resident() int {
	n := 0
	for _, h := range r.handleList() {
		if h.Resident() {
			n++
		}
	}
	return n
}

// UnloadIdle unloads every document unused for idle (see above) and
// returns how many it unloaded; the C heap's free memory then goes back to
// the system.
func (r *Runtime) UnloadIdle(idle time.Duration) int {
	n := 0
	for _, h := range r.handleList() {
		h.mu.Lock()
		if h.unloadLocked(idle) {
			n++
		}
		h.mu.Unlock()
	}
	if n > 0 {
		go giveBack()
	}
	return n
}

// Unload drops the Automerge document now if nothing holds it (see
// unloadLocked): the sync engine calls it once a peer that lacked part of
// an idle document has it, so that syncing a year of meetings to a new
// device does not keep them all in memory.
func (h *Handle) Unload() {
	h.mu.Lock()
	ok := h.unloadLocked(0)
	h.mu.Unlock()
	if ok {
		go giveBack()
	}
}

// giveBack returns the memory of unloaded documents to the system. They
// are freed by finalizers, which run after a collection on their own
// goroutine: collect, give them a moment, collect what they released, then
// trim.
func giveBack() {
	runtime.GC()
	time.Sleep(100 * time.Millisecond)
	runtime.GC()
	amsafe.TrimMemory()
}
