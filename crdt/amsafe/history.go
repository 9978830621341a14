package amsafe

import (
	"errors"
	"slices"

	"github.com/automerge/automerge-go"
)

// ErrNoSharedHistory is returned for a saved document merged into a
// non-empty one that has none of its changes: not another copy of the same
// document but a different one under the same id (merging would set every
// field twice, as conflicts).
var ErrNoSharedHistory = errors.New("the document shares no history with this device's copy")

// SharesHistory reports whether a and b have a change in common (an empty
// document shares history with any). It looks up b's heads in a, then walks
// a's history back from its heads until it meets a change b has: a few
// steps for copies of one document that diverged a little, a's whole
// history for unrelated documents.
func SharesHistory(a, b *automerge.Doc) bool {
	ha, hb := a.Heads(), b.Heads()
	if len(ha) == 0 || len(hb) == 0 {
		return true
	}
	for _, h := range hb {
		if _, err := a.Change(h); err == nil {
			return true
		}
	}
	seen := make(map[automerge.ChangeHash]bool, len(ha))
	queue := ha
	for len(queue) > 0 {
		h := queue[0]
		queue = queue[1:]
		if seen[h] {
			continue
		}
		seen[h] = true
		if _, err := b.Change(h); err == nil {
			return true
		}
		c, err := a.Change(h)
		if err != nil {
			continue
		}
		queue = append(queue, c.Dependencies()...)
	}
	return false
}

// SameHeads reports whether two sets of heads are equal (in any order).
// Callers compare heads per sync message and per save, to call
// SaveIncremental only when something is new; heads are a handful of
// hashes, so a scan does it without allocating.
func SameHeads(a, b []automerge.ChangeHash) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			return false
		}
	}
	return true
}
