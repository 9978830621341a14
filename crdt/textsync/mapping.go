package textsync

import "sort"

// Stick says to which neighbour a position between two characters belongs
// when the text around it changes.
type Stick int

const (
	// StickLeft keeps a position right after the character on its left: text
	// inserted exactly there goes after it (a caret stays before text a
	// remote peer inserts at the caret). If that character is deleted, the
	// position follows the nearest surviving character on its left.
	StickLeft Stick = iota
	// StickRight keeps a position right before the character on its right:
	// text inserted exactly there goes before it. If that character is
	// deleted, the position follows the nearest surviving character on its
	// right.
	StickRight
)

// Mapping maps positions (in code points) in an old text to positions in a
// new text through an edit script.
type Mapping struct {
	hunks []Hunk
}

// NewMapping returns the mapping of an edit script as returned by Diff.
func NewMapping(hunks []Hunk) Mapping { return Mapping{hunks: hunks} }

// Hunks returns the edit script.
func (m Mapping) Hunks() []Hunk { return m.hunks }

// Identity reports whether the texts were equal.
func (m Mapping) Identity() bool { return len(m.hunks) == 0 }

// Map returns where position p of the old text is in the new text.
func (m Mapping) Map(p int, s Stick) int {
	hs := m.hunks
	if s == StickLeft {
		// First hunk that could contain character p-1 or start at p.
		i := sort.Search(len(hs), func(i int) bool { return hs[i].OldPos+hs[i].OldLen >= p })
		if i < len(hs) && hs[i].OldPos < p {
			// Character p-1 was replaced: follow the survivor on its left.
			return hs[i].NewPos
		}
		return p + m.shift(i)
	}
	// First hunk that could contain character p or start at p.
	i := sort.Search(len(hs), func(i int) bool {
		h := hs[i]
		return h.OldPos+h.OldLen > p || (h.OldLen == 0 && h.OldPos == p)
	})
	if i < len(hs) && hs[i].OldPos <= p {
		return hs[i].NewPos + hs[i].NewLen
	}
	return p + m.shift(i)
}

// shift is the change of length made by the first n hunks.
func (m Mapping) shift(n int) int {
	if n == 0 {
		return 0
	}
	h := m.hunks[n-1]
	return h.NewPos + h.NewLen - (h.OldPos + h.OldLen)
}

// Caret maps a caret with no selection: it stays after the character on its
// left (StickLeft).
func (m Mapping) Caret(p int) int { return m.Map(p, StickLeft) }

// Selection maps a selection given by its anchor (where it started) and its
// caret (the end that moves). The selected characters that survive stay
// selected and text inserted at either edge stays outside: the lower end
// sticks right, the upper end sticks left. If every selected character is
// gone, the result is an empty selection at the mapped caret (anchor ==
// caret).
func (m Mapping) Selection(anchor, caret int) (newAnchor, newCaret int) {
	if anchor == caret {
		c := m.Caret(caret)
		return c, c
	}
	lo, hi := min(anchor, caret), max(anchor, caret)
	nlo, nhi := m.Map(lo, StickRight), m.Map(hi, StickLeft)
	if nlo >= nhi {
		c := m.Caret(caret)
		return c, c
	}
	if anchor < caret {
		return nlo, nhi
	}
	return nhi, nlo
}

// Touches reports whether the old range [start, end) was changed by the
// edit script: a character in it replaced, or text inserted strictly inside
// it.
func (m Mapping) Touches(start, end int) bool {
	hs := m.hunks
	i := sort.Search(len(hs), func(i int) bool { return hs[i].OldPos+hs[i].OldLen > start })
	for ; i < len(hs) && hs[i].OldPos <= end; i++ {
		h := hs[i]
		if h.OldLen > 0 && h.OldPos < end {
			return true
		}
		if h.OldLen == 0 && h.OldPos > start && h.OldPos < end {
			return true
		}
	}
	return false
}
