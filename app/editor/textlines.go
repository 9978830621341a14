package editor

import (
	"slices"
	"sort"
	"strings"
)

// textLines is LongEditor's text: one rune slice per line (without its
// '\n'), the offset of each line, and each line's soft wrap for the current
// width, cached until the line changes. The visual row where each line
// starts is a prefix sum recomputed from the first changed line. An edit
// costs the changed lines plus integer bookkeeping over the line index; no
// text outside the changed lines is copied, measured or wrapped.
type textLines struct {
	lines  []lineBuf
	starts []int // starts[i]: code point offset of line i
	n      int   // code points in all, counting the '\n' between lines

	wrapW float32  // width rows are wrapped to; <= 0: no wrapping
	adv   advancer // measures runes for wrapping

	// rowStart[i] is the visual row where line i starts; rowStart[len] is
	// the number of rows. Entries up to and including rowsValid are right.
	rowStart  []int
	rowsValid int
}

// lineBuf is one line and its cached wrap.
type lineBuf struct {
	rs []rune
	// breaks are the columns where the rows after the first start, valid
	// when wrapped is set.
	breaks  []int
	wrapped bool
}

// advancer returns the advance of r when it starts at x in its row.
type advancer func(r rune, x float32) float32

func newTextLines(text []rune) *textLines {
	t := &textLines{}
	t.reset(text)
	return t
}

// reset replaces the whole text.
func (t *textLines) reset(text []rune) {
	t.lines = t.lines[:0]
	t.starts = t.starts[:0]
	start := 0
	for i, r := range text {
		if r == '\n' {
			t.lines = append(t.lines, lineBuf{rs: slices.Clone(text[start:i])})
			t.starts = append(t.starts, start)
			start = i + 1
		}
	}
	t.lines = append(t.lines, lineBuf{rs: slices.Clone(text[start:])})
	t.starts = append(t.starts, start)
	t.n = len(text)
	t.rowStart = make([]int, len(t.lines)+1)
	t.rowsValid = 0
}

// Len returns the text's length in code points.
func (t *textLines) Len() int { return t.n }

// String returns the whole text.
func (t *textLines) String() string {
	var b strings.Builder
	b.Grow(t.n)
	for i, l := range t.lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(string(l.rs))
	}
	return b.String()
}

// pos returns the line and column of a code point offset (clamped).
func (t *textLines) pos(off int) (line, col int) {
	off = max(0, min(off, t.n))
	line = sort.Search(len(t.starts), func(i int) bool { return t.starts[i] > off }) - 1
	return line, off - t.starts[line]
}

// offset returns the code point offset of a line and column.
func (t *textLines) offset(line, col int) int { return t.starts[line] + col }

// runeAt returns the code point at off ('\n' between lines), or 0 outside
// the text.
func (t *textLines) runeAt(off int) rune {
	if off < 0 || off >= t.n {
		return 0
	}
	l, c := t.pos(off)
	if c == len(t.lines[l].rs) {
		return '\n'
	}
	return t.lines[l].rs[c]
}

// slice returns the text between two offsets.
func (t *textLines) slice(from, to int) []rune {
	from, to = max(0, from), min(t.n, to)
	if from >= to {
		return nil
	}
	out := make([]rune, 0, to-from)
	l0, c0 := t.pos(from)
	l1, c1 := t.pos(to)
	for l := l0; l <= l1; l++ {
		a, z := 0, len(t.lines[l].rs)
		if l == l0 {
			a = c0
		}
		if l == l1 {
			z = c1
		}
		out = append(out, t.lines[l].rs[a:z]...)
		if l < l1 {
			out = append(out, '\n')
		}
	}
	return out
}

// splice deletes del code points at pos and inserts ins there.
func (t *textLines) splice(pos, del int, ins []rune) {
	l0, c0 := t.pos(pos)
	l1, c1 := t.pos(pos + del)
	delta := len(ins) - del
	t.n += delta
	t.rowsValid = min(t.rowsValid, l0)
	if l0 == l1 && !slices.Contains(ins, '\n') {
		l := &t.lines[l0]
		l.rs = slices.Replace(l.rs, c0, c1, ins...)
		l.wrapped = false
		for i := l0 + 1; i < len(t.starts); i++ {
			t.starts[i] += delta
		}
		return
	}
	tail := slices.Clone(t.lines[l1].rs[c1:])
	first := t.lines[l0].rs[:c0]
	var repl []lineBuf
	var rstarts []int
	start := t.starts[l0]
	cur := first
	for _, r := range ins {
		if r == '\n' {
			repl = append(repl, lineBuf{rs: cur})
			rstarts = append(rstarts, start)
			start += len(cur) + 1
			cur = nil
			continue
		}
		cur = append(cur, r)
	}
	cur = append(cur, tail...)
	repl = append(repl, lineBuf{rs: cur})
	rstarts = append(rstarts, start)
	t.lines = slices.Replace(t.lines, l0, l1+1, repl...)
	t.starts = slices.Replace(t.starts, l0, l1+1, rstarts...)
	for i := l0 + len(repl); i < len(t.starts); i++ {
		t.starts[i] += delta
	}
	if n := len(t.lines) + 1; n > cap(t.rowStart) {
		t.rowStart = append(t.rowStart[:cap(t.rowStart)], make([]int, n-cap(t.rowStart))...)
	} else {
		t.rowStart = t.rowStart[:n]
	}
}

// setWrap sets the width rows are wrapped to and the measure of runes;
// a different width re-wraps every line when rows are next needed.
func (t *textLines) setWrap(w float32, adv advancer) {
	t.adv = adv
	if w == t.wrapW {
		return
	}
	t.wrapW = w
	for i := range t.lines {
		t.lines[i].wrapped = false
	}
	t.rowsValid = 0
}

// wrap returns line i's row breaks, computing them if needed.
func (t *textLines) wrap(i int) []int {
	l := &t.lines[i]
	if !l.wrapped {
		l.breaks = wrapLine(l.rs, t.wrapW, t.adv, l.breaks[:0])
		l.wrapped = true
	}
	return l.breaks
}

// ensureRows brings rowStart up to date.
func (t *textLines) ensureRows() {
	for i := t.rowsValid; i < len(t.lines); i++ {
		t.rowStart[i+1] = t.rowStart[i] + 1 + len(t.wrap(i))
	}
	t.rowsValid = len(t.lines)
}

// rows returns the number of visual rows.
func (t *textLines) rows() int {
	t.ensureRows()
	return t.rowStart[len(t.lines)]
}

// rowAt returns the line shown on visual row r and the row's column range
// in it.
func (t *textLines) rowAt(r int) (line, from, to int) {
	t.ensureRows()
	r = max(0, min(r, t.rowStart[len(t.lines)]-1))
	line = sort.Search(len(t.lines), func(i int) bool { return t.rowStart[i+1] > r })
	k := r - t.rowStart[line]
	br := t.wrap(line)
	from, to = 0, len(t.lines[line].rs)
	if k > 0 {
		from = br[k-1]
	}
	if k < len(br) {
		to = br[k]
	}
	return line, from, to
}

// rowOf returns the visual row showing the position at line and col. At a
// soft wrap the position belongs to the row it starts, unless up is set
// (the caret was put at the end of the row above, e.g. by End).
func (t *textLines) rowOf(line, col int, up bool) int {
	t.ensureRows()
	br := t.wrap(line)
	k := sort.SearchInts(br, col+1) // rows starting at or before col
	if up && k > 0 && br[k-1] == col {
		k--
	}
	return t.rowStart[line] + k
}
