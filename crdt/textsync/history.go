package textsync

import (
	"slices"
	"unicode"
)

// edit is one entry of the undo history: at pos, del was replaced by ins.
// Positions are in the coordinates of the text right after the edit (for
// undo entries) or right before it (for redo entries).
type edit struct {
	pos      int
	del, ins []rune
}

// history is the undo/redo history of the user's own splices. Remote
// changes never enter it; they shift its positions, and an entry whose text
// a peer changed is dropped together with everything older than it.
type history struct {
	undo, redo []edit
	limit      int
	// sealed stops the next typed rune from merging into the last entry.
	sealed bool
}

// record adds a local splice, merging runs of typing and of deleting into
// one entry the way text editors do.
func (h *history) record(pos int, del, ins []rune) {
	h.redo = nil
	if n := len(h.undo); n > 0 && !h.sealed {
		top := &h.undo[n-1]
		switch {
		case len(del) == 0 && len(ins) == 1 && len(top.del) == 0 && len(top.ins) > 0 &&
			top.pos+len(top.ins) == pos && !wordBreak(top.ins[len(top.ins)-1], ins[0]):
			top.ins = append(top.ins, ins[0])
			return
		case len(ins) == 0 && len(del) == 1 && len(top.ins) == 0 && len(top.del) > 0 && pos+1 == top.pos:
			top.pos = pos
			top.del = append(slices.Clone(del), top.del...)
			return
		case len(ins) == 0 && len(del) == 1 && len(top.ins) == 0 && len(top.del) > 0 && pos == top.pos:
			top.del = append(top.del, del[0])
			return
		}
	}
	h.sealed = false
	h.undo = append(h.undo, edit{pos: pos, del: del, ins: slices.Clone(ins)})
	if len(h.undo) > h.limit {
		h.undo = slices.Delete(h.undo, 0, len(h.undo)-h.limit)
	}
}

// wordBreak reports whether typing next after prev starts a new undo step:
// the first letter after a space or a line break.
func wordBreak(prev, next rune) bool {
	return unicode.IsSpace(prev) && !unicode.IsSpace(next)
}

// remap moves both stacks through a remote change of the view.
func (h *history) remap(m Mapping) {
	h.undo = remapStack(h.undo, m.hunks, true)
	h.redo = remapStack(h.redo, m.hunks, false)
	h.sealed = true
}

// remapStack maps the entries of a stack (oldest first) through the hunks
// of a remote change, newest entry first: each entry is checked and mapped in
// the coordinates of its own text, by moving the hunks past the entries
// already visited. forUndo says whether the entries' ins (undo) or del (redo)
// is the text present in those coordinates.
func remapStack(stack []edit, hunks []Hunk, forUndo bool) []edit {
	if len(stack) == 0 {
		return stack
	}
	hs := slices.Clone(hunks)
	for i := len(stack) - 1; i >= 0; i-- {
		e := &stack[i]
		present, absent := len(e.ins), len(e.del)
		if !forUndo {
			present, absent = absent, present
		}
		m := Mapping{hunks: hs}
		if m.Touches(e.pos, e.pos+present) {
			return slices.Delete(stack, 0, i+1)
		}
		newPos := m.Map(e.pos, StickLeft)
		if present > 0 {
			newPos = m.Map(e.pos, StickRight)
		}
		// Move the hunks into the coordinates of the next older entry.
		d := absent - present
		for j := range hs {
			if hs[j].OldPos >= e.pos+present && !(present > 0 && hs[j].OldLen == 0 && hs[j].OldPos == e.pos) {
				hs[j].OldPos += d
				hs[j].NewPos += d
			}
		}
		e.pos = newPos
	}
	return stack
}

// Undo reverts the user's last local edit that no peer has touched since,
// and returns the caret position after it. ok is false when there is
// nothing to undo.
func (b *Binding) Undo() (caret int, ok bool, err error) {
	n := len(b.hist.undo)
	if n == 0 {
		return 0, false, nil
	}
	e := b.hist.undo[n-1]
	if e.pos+len(e.ins) > len(b.view) || !slices.Equal(b.view[e.pos:e.pos+len(e.ins)], e.ins) {
		b.hist.undo, b.hist.redo = nil, nil
		return 0, false, nil
	}
	b.hist.undo = b.hist.undo[:n-1]
	b.hist.redo = append(b.hist.redo, e)
	b.hist.sealed = true
	return e.pos + len(e.del), true, b.apply(splice{pos: e.pos, del: len(e.ins), ins: e.del})
}

// Redo applies again the last edit undone, and returns the caret position
// after it. ok is false when there is nothing to redo.
func (b *Binding) Redo() (caret int, ok bool, err error) {
	n := len(b.hist.redo)
	if n == 0 {
		return 0, false, nil
	}
	e := b.hist.redo[n-1]
	if e.pos+len(e.del) > len(b.view) || !slices.Equal(b.view[e.pos:e.pos+len(e.del)], e.del) {
		b.hist.undo, b.hist.redo = nil, nil
		return 0, false, nil
	}
	b.hist.redo = b.hist.redo[:n-1]
	b.hist.undo = append(b.hist.undo, e)
	b.hist.sealed = true
	return e.pos + len(e.ins), true, b.apply(splice{pos: e.pos, del: len(e.del), ins: e.ins})
}

// CanUndo reports whether Undo has something to revert.
func (b *Binding) CanUndo() bool { return len(b.hist.undo) > 0 }

// CanRedo reports whether Redo has something to apply.
func (b *Binding) CanRedo() bool { return len(b.hist.redo) > 0 }
