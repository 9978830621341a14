package amsafe

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/automerge/automerge-go"
)

// Recent returns the saved bytes of the changes leading up to heads, oldest
// first, newest maxBytes or a little more of them: the heads, then their
// dependencies, breadth first, in the order the changes name them. Two
// documents holding the heads get the same list. It fails if d lacks a
// head.
func Recent(d *automerge.Doc, heads []automerge.ChangeHash, maxBytes int) ([][]byte, error) {
	queue := slices.Clone(heads)
	slices.SortFunc(queue, func(a, b automerge.ChangeHash) int { return bytes.Compare(a[:], b[:]) })
	seen := make(map[automerge.ChangeHash]bool)
	var out [][]byte
	size := 0
	for len(queue) > 0 && size < maxBytes {
		h := queue[0]
		queue = queue[1:]
		if seen[h] {
			continue
		}
		seen[h] = true
		c, err := d.Change(h)
		if err != nil {
			return nil, err
		}
		if c == nil {
			return nil, fmt.Errorf("change %s not in the document", h)
		}
		b := c.Save()
		out = append(out, b)
		size += len(b)
		queue = append(queue, c.Dependencies()...)
	}
	slices.Reverse(out)
	return out, nil
}
