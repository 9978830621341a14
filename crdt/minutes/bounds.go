package minutes

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Bounds on what one edit may put into a document. Automerge holds several
// hundred bytes per character inserted (a 1 MB paste took `pwg serve` from
// 108 MB to 864 MB and made every later command on that meeting take 4 s),
// so text is bounded where it enters: over these, an edit is refused with
// ErrTooLong and nothing changes. Other checks of text and titles reuse them.
const (
	// MaxInsert is the most code points one edit (a paste) may insert.
	MaxInsert = 64 << 10
	// MaxNotes is the most code points a section's notes may hold.
	MaxNotes = 256 << 10
	// MaxTitle is the most code points of a title (meeting, section, item).
	MaxTitle = 200
)

// ErrTooLong is returned for text over one of the bounds above.
var ErrTooLong = errors.New("text too long")

// checkInsert refuses an edit inserting text into notes of cur code points
// (del of them deleted) beyond MaxInsert or MaxNotes.
func checkInsert(cur, del int, text string) error {
	n := utf8.RuneCountInString(text)
	if n > MaxInsert {
		return fmt.Errorf("%w: %d characters pasted at once, at most %d; attach a long text as a file instead", ErrTooLong, n, MaxInsert)
	}
	if cur-del+n > MaxNotes {
		return fmt.Errorf("%w: the section's notes would hold %d characters, at most %d; attach a long text as a file or split the section", ErrTooLong, cur-del+n, MaxNotes)
	}
	return nil
}

// checkTitle refuses a title over MaxTitle code points.
func checkTitle(what, title string) error {
	if n := utf8.RuneCountInString(title); n > MaxTitle {
		return fmt.Errorf("%w: %s of %d characters, at most %d", ErrTooLong, what, n, MaxTitle)
	}
	return nil
}
