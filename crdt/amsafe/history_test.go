package amsafe_test

import (
	"testing"

	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/crdt/amsafe"
)

func TestSameHeads(t *testing.T) {
	x, y, z := automerge.ChangeHash{1}, automerge.ChangeHash{2}, automerge.ChangeHash{3}
	for _, c := range []struct {
		a, b []automerge.ChangeHash
		want bool
	}{
		{nil, nil, true},
		{nil, []automerge.ChangeHash{x}, false},
		{[]automerge.ChangeHash{x}, []automerge.ChangeHash{x}, true},
		{[]automerge.ChangeHash{x}, []automerge.ChangeHash{y}, false},
		{[]automerge.ChangeHash{x, y}, []automerge.ChangeHash{y, x}, true},
		{[]automerge.ChangeHash{x, y}, []automerge.ChangeHash{x, z}, false},
		{[]automerge.ChangeHash{x, y}, []automerge.ChangeHash{x}, false},
	} {
		if got := amsafe.SameHeads(c.a, c.b); got != c.want {
			t.Errorf("SameHeads(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
