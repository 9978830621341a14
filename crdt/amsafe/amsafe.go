// Package amsafe wraps the automerge-go calls that are unsafe with more than
// one element (AUTOMERGE-GO.md): Doc.Apply with several changes and
// Doc.Changes / Doc.Fork with several heads build their C lists in a loop
// that lets the garbage collector free an intermediate result while the next
// one reads it. Each function here asks automerge-go for one element at a
// time. Nothing in pwg calls those three with several arguments directly.
package amsafe

import "github.com/automerge/automerge-go"

// Apply applies changes to d one per call: automerge-go's Doc.Apply with
// several changes lets the collector free one result while the next is read
// (AUTOMERGE-GO.md), which corrupts the C heap.
func Apply(d *automerge.Doc, chs []*automerge.Change) error {
	for _, c := range chs {
		if err := d.Apply(c); err != nil {
			return err
		}
	}
	return nil
}

// Changes returns the changes of d that are not ancestors of any of
// heads, asking automerge-go for one head at a time (its hash-list loop has
// the same use-after-free as Apply).
func Changes(d *automerge.Doc, heads []automerge.ChangeHash) ([]*automerge.Change, error) {
	if len(heads) <= 1 {
		return d.Changes(heads...)
	}
	first, err := d.Changes(heads[0])
	if err != nil {
		return nil, err
	}
	keep := make(map[automerge.ChangeHash]bool, len(first))
	for _, c := range first {
		keep[c.Hash()] = true
	}
	for _, hd := range heads[1:] {
		chs, err := d.Changes(hd)
		if err != nil {
			return nil, err
		}
		in := make(map[automerge.ChangeHash]bool, len(chs))
		for _, c := range chs {
			in[c.Hash()] = true
		}
		for k := range keep {
			if !in[k] {
				delete(keep, k)
			}
		}
	}
	out := first[:0]
	for _, c := range first {
		if keep[c.Hash()] {
			out = append(out, c)
		}
	}
	return out, nil
}

// Fork returns a copy of d as of heads. automerge-go's Fork with several
// heads reads a hash list the collector may have freed (AUTOMERGE-GO.md), so
// it forks at one head at a time and merges the forks.
func Fork(d *automerge.Doc, heads []automerge.ChangeHash) (*automerge.Doc, error) {
	if len(heads) <= 1 {
		return d.Fork(heads...)
	}
	fork, err := d.Fork(heads[0])
	if err != nil {
		return nil, err
	}
	for _, hd := range heads[1:] {
		other, err := d.Fork(hd)
		if err != nil {
			return nil, err
		}
		if _, err := fork.Merge(other); err != nil {
			return nil, err
		}
	}
	return fork, nil
}
