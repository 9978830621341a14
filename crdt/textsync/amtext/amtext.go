// Package amtext adapts a text object of an Automerge document to
// textsync.Versioned, for tests, benchmarks and tools that hold a document
// directly. The minutes model (package minutes) provides its own target per
// section; this package shows the contract it has to meet.
package amtext

import (
	"errors"
	"fmt"
	"sync"

	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/crdt/amsafe"
	"github.com/pwg-team/pwg/crdt/textsync"
)

// Target is one automerge.Text in a document, safe for concurrent use: a
// Binding splices on one goroutine while Apply merges on another. Every
// change that does not come through Splice or SpliceIf (Apply, Merge) bumps
// the version.
type Target struct {
	mu      sync.Mutex
	doc     *automerge.Doc
	text    *automerge.Text
	version uint64
	pending bool
}

var (
	_ textsync.Versioned = (*Target)(nil)
	_ textsync.Committer = (*Target)(nil)
)

// New returns the text at key in the document's root map, creating an empty
// one (uncommitted) if the key is absent.
func New(doc *automerge.Doc, key string) (*Target, error) {
	v, err := doc.RootMap().Get(key)
	if err != nil {
		return nil, fmt.Errorf("amtext: read %q: %w", key, err)
	}
	t := &Target{doc: doc}
	switch v.Kind() {
	case automerge.KindText:
		t.text = v.Text()
	case automerge.KindVoid:
		if err := doc.RootMap().Set(key, automerge.NewText("")); err != nil {
			return nil, fmt.Errorf("amtext: create %q: %w", key, err)
		}
		v, err := doc.RootMap().Get(key)
		if err != nil {
			return nil, fmt.Errorf("amtext: read %q: %w", key, err)
		}
		t.text = v.Text()
		t.pending = true
	default:
		return nil, fmt.Errorf("amtext: %q holds a %v, not text", key, v.Kind())
	}
	return t, nil
}

// Doc returns the document. Changing it directly bypasses the version.
func (t *Target) Doc() *automerge.Doc { return t.doc }

// Text returns the current text.
func (t *Target) Text() (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.text.Get()
}

// Snapshot returns the text and its version.
func (t *Target) Snapshot() (string, uint64, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, err := t.text.Get()
	return s, t.version, err
}

// Splice edits the text without committing.
func (t *Target) Splice(pos, del int, ins string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.splice(pos, del, ins)
}

// SpliceIf edits the text if its version is still version.
func (t *Target) SpliceIf(version uint64, pos, del int, ins string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if version != t.version {
		return textsync.ErrStale
	}
	return t.splice(pos, del, ins)
}

func (t *Target) splice(pos, del int, ins string) error {
	if del == 0 && ins == "" {
		return nil
	}
	if err := t.text.Splice(pos, del, ins); err != nil {
		return err
	}
	t.pending = true
	return nil
}

// Commit commits the splices made since the last commit, if any.
func (t *Target) Commit() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.commit()
}

func (t *Target) commit() error {
	if !t.pending {
		return nil
	}
	t.pending = false
	if _, err := t.doc.Commit(""); err != nil {
		return fmt.Errorf("amtext: commit: %w", err)
	}
	return nil
}

// Heads commits pending splices and returns the document's heads.
func (t *Target) Heads() ([]automerge.ChangeHash, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.commit(); err != nil {
		return nil, err
	}
	return t.doc.Heads(), nil
}

// Changes commits pending splices and returns the changes since the heads.
func (t *Target) Changes(since ...automerge.ChangeHash) ([]*automerge.Change, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.commit(); err != nil {
		return nil, err
	}
	return amsafe.Changes(t.doc, since)
}

// Apply merges changes from a peer and bumps the version.
func (t *Target) Apply(chs ...*automerge.Change) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.commit(); err != nil {
		return err
	}
	t.version++
	return amsafe.Apply(t.doc, chs)
}

// Merge merges every change of other's document and bumps the version.
func (t *Target) Merge(other *Target) error {
	if t == other {
		return errors.New("amtext: merge with itself")
	}
	chs, err := other.Changes()
	if err != nil {
		return err
	}
	return t.Apply(chs...)
}
