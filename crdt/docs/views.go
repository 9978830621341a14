package docs

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pwg-team/pwg/crdt/storage"
)

// A document kind may keep a plain view of each document (Kind.View: for a
// meeting, its sections' titles and notes as plain text), written with
// every save, so that a window shows the document at once while Automerge
// loads it (Runtime.View): a meeting with 20,000 changes of history takes
// 200-260 ms to load. The view lives in its own table of the workspace
// database, as integrations' tables do; it is a cache, rebuilt on the next
// save, and never synced.
const viewsTable = `CREATE TABLE IF NOT EXISTS docs_views (
	doc_id TEXT PRIMARY KEY,
	view BLOB NOT NULL
)`

func (r *Runtime) viewsReady() error {
	r.viewsOnce.Do(func() {
		if _, err := r.store.DB().Exec(viewsTable); err != nil {
			r.viewsErr = fmt.Errorf("create the table of document views: %w", err)
		}
	})
	return r.viewsErr
}

// OnSaved calls fn with a document's id each time the document was saved
// (its changes and its view are on disk), whatever made the change: typing,
// a merge from a peer, a file. Derived data that must follow what is
// stored (the search index) hooks here. fn runs with the document locked:
// it must return at once and not call into the document. The returned
// function removes fn.
func (r *Runtime) OnSaved(fn func(id string)) (stop func()) {
	r.savedMu.Lock()
	defer r.savedMu.Unlock()
	if r.saved == nil {
		r.saved = map[int]func(string){}
	}
	n := r.savedNext
	r.savedNext++
	r.saved[n] = fn
	return func() {
		r.savedMu.Lock()
		delete(r.saved, n)
		r.savedMu.Unlock()
	}
}

func (r *Runtime) notifySaved(id string) {
	r.savedMu.Lock()
	defer r.savedMu.Unlock()
	for _, fn := range r.saved {
		fn(id)
	}
}

// saveViewLocked writes the kind's view of the document as it now is, then
// tells the OnSaved listeners.
func (h *Handle) saveViewLocked() {
	defer h.rt.notifySaved(h.id)
	k, ok := h.rt.kinds[h.kind]
	if !ok || k.View == nil || h.readOnly != nil {
		return
	}
	if err := h.rt.viewsReady(); err != nil {
		h.rt.log("document view not kept", h.id, err)
		return
	}
	v, err := k.View(h.doc)
	if err != nil {
		h.rt.log("document view not made", h.id, err)
		return
	}
	if _, err := h.rt.store.DB().Exec(`INSERT INTO docs_views (doc_id, view) VALUES (?, ?)
		ON CONFLICT (doc_id) DO UPDATE SET view = excluded.view`, h.id, v); err != nil {
		h.rt.log("document view not kept", h.id, err)
	}
}

// View returns the kind's view of document id as last saved, without
// loading the document; storage.ErrNotFound if none was kept.
func (r *Runtime) View(id string) ([]byte, error) {
	if err := r.viewsReady(); err != nil {
		return nil, err
	}
	var v []byte
	err := r.store.DB().QueryRow(`SELECT view FROM docs_views WHERE doc_id = ?`, id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("view of document %s: %w", id, storage.ErrNotFound)
	}
	return v, err
}

// Loaded reports whether document id is loaded (Doc returns at once).
func (r *Runtime) Loaded(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.handles[id]
	return ok
}
