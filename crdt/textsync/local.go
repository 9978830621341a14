package textsync

import (
	"unicode/utf8"
)

// SpliceBetween returns the single splice that turns old into new when the
// edit is known to start at or before hint (a code point offset: for an
// editor, the smaller of the caret offsets before and after the keystroke).
// Without the hint, "aaa" → "aaaa" could be an insertion anywhere in the
// run; with it, the splice starts at hint whenever the texts agree up to
// there, so typed text keeps its place. The splice is minimal: characters
// equal on both sides of it are left alone. Positions count code points.
func SpliceBetween(old, new string, hint int) (pos, del int, ins string) {
	// Common prefix in bytes, backed up to a rune boundary, then capped by
	// the hint in code points.
	n := min(len(old), len(new))
	p := 0
	for p < n && old[p] == new[p] {
		p++
	}
	for p > 0 && p < len(old) && !utf8.RuneStart(old[p]) {
		p--
	}
	for p > 0 && p < len(new) && !utf8.RuneStart(new[p]) {
		p--
	}
	pos = utf8.RuneCountInString(old[:p])
	if hint >= 0 && hint < pos {
		// Walk back to the hint.
		for pos > hint {
			_, size := utf8.DecodeLastRuneInString(old[:p])
			p -= size
			pos--
		}
	}
	// Common suffix of what follows, not crossing p on either side.
	a, b := old[p:], new[p:]
	s := 0
	for s < len(a) && s < len(b) && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	for s > 0 && !utf8.RuneStart(a[len(a)-s]) {
		s--
	}
	a, b = a[:len(a)-s], b[:len(b)-s]
	return pos, utf8.RuneCountInString(a), b
}
