package textsync

import (
	"errors"
	"fmt"
	"slices"
)

// DefaultBatchSize is how many local splices a Binding makes before it
// commits, when Options.BatchSize is zero.
const DefaultBatchSize = 20

// Options tunes a Binding.
type Options struct {
	// BatchSize is the number of local splices between commits of a
	// Committer target (DefaultBatchSize if zero; 1 commits every splice).
	BatchSize int
	// UndoLimit bounds the undo history (1000 entries if zero).
	UndoLimit int
}

// Binding keeps an editor's text (the view) bound to a shared Target. It is
// not safe for concurrent use: call it from the goroutine that owns the
// editor (the Fyne thread). The Target may be changed concurrently by merges
// if it implements Versioned.
type Binding struct {
	t  Target
	vt Versioned
	c  Committer

	view []rune
	// doc is the target's text as last known, nil when it equals view.
	doc     []rune
	version uint64
	// unsure means doc and version must be read again before the next
	// local splice.
	unsure bool

	pending, batch int
	hist           history
}

// splice is a splice in code points with the inserted text as runes.
type splice struct {
	pos, del int
	ins      []rune
}

// New binds a view to t, starting from t's current text.
func New(t Target, opt Options) (*Binding, error) {
	b := &Binding{t: t, batch: opt.BatchSize, hist: history{limit: opt.UndoLimit}}
	if b.batch <= 0 {
		b.batch = DefaultBatchSize
	}
	if b.hist.limit <= 0 {
		b.hist.limit = 1000
	}
	b.vt, _ = t.(Versioned)
	b.c, _ = t.(Committer)
	text, ver, err := b.read()
	if err != nil {
		return nil, err
	}
	b.view, b.version = []rune(text), ver
	return b, nil
}

// Text returns the view's text.
func (b *Binding) Text() string { return string(b.view) }

// Len returns the view's length in code points.
func (b *Binding) Len() int { return len(b.view) }

func (b *Binding) read() (string, uint64, error) {
	if b.vt != nil {
		s, v, err := b.vt.Snapshot()
		if err != nil {
			return "", 0, fmt.Errorf("textsync: read text: %w", err)
		}
		return s, v, nil
	}
	s, err := b.t.Text()
	if err != nil {
		return "", 0, fmt.Errorf("textsync: read text: %w", err)
	}
	return s, 0, nil
}

// Local records a splice the user made in the view (delete del code points
// at pos, insert ins) and applies it to the target. If the target changed
// since the view last pulled it, the splice is mapped onto the target's text
// so that it lands between the same characters; the view then differs from
// the target until the next Pull.
func (b *Binding) Local(pos, del int, ins string) error {
	if pos < 0 || del < 0 || pos+del > len(b.view) {
		return fmt.Errorf("%w: %d+%d in %d code points", ErrRange, pos, del, len(b.view))
	}
	if del == 0 && ins == "" {
		return nil
	}
	s := splice{pos: pos, del: del, ins: []rune(ins)}
	b.hist.record(pos, slices.Clone(b.view[pos:pos+del]), s.ins)
	return b.apply(s)
}

// LocalText records that the user changed the view's whole text to text,
// when the exact splice is not known. The change becomes the splices of the
// shortest edit script.
func (b *Binding) LocalText(text string) error {
	next := []rune(text)
	hs := Diff(b.view, next)
	for i := len(hs) - 1; i >= 0; i-- {
		h := hs[i]
		if err := b.Local(h.OldPos, h.OldLen, string(next[h.NewPos:h.NewPos+h.NewLen])); err != nil {
			return err
		}
	}
	return nil
}

// apply applies a view splice to the target and then to the view.
func (b *Binding) apply(s splice) error {
	err := b.toTarget(s)
	b.view = spliceRunes(b.view, s.pos, s.del, s.ins)
	if err != nil {
		b.unsure = true
		return err
	}
	if b.doc != nil && slices.Equal(b.doc, b.view) {
		b.doc = nil
	}
	b.pending++
	if b.pending >= b.batch {
		return b.Flush()
	}
	return nil
}

// toTarget writes one view splice into the target, mapped onto the target's
// current text.
func (b *Binding) toTarget(s splice) error {
	if b.vt == nil || b.unsure {
		text, ver, err := b.read()
		if err != nil {
			return err
		}
		b.setDoc([]rune(text), ver)
		b.unsure = false
	}
	todo := []splice{s}
	if b.doc != nil {
		todo = remap(NewMapping(Diff(b.view, b.doc)), todo)
	}
	for tries := 0; len(todo) > 0; {
		last := todo[len(todo)-1]
		var err error
		if b.vt != nil {
			err = b.vt.SpliceIf(b.version, last.pos, last.del, string(last.ins))
		} else {
			err = b.t.Splice(last.pos, last.del, string(last.ins))
		}
		if errors.Is(err, ErrStale) {
			if tries++; tries > 8 {
				return ErrBusy
			}
			text, ver, rerr := b.read()
			if rerr != nil {
				return rerr
			}
			next := []rune(text)
			todo = remap(NewMapping(Diff(b.docText(), next)), todo)
			b.setDoc(next, ver)
			continue
		}
		if err != nil {
			return fmt.Errorf("textsync: splice %d+%d: %w", last.pos, last.del, err)
		}
		if b.doc != nil {
			b.doc = spliceRunes(b.doc, last.pos, last.del, last.ins)
		}
		todo = todo[:len(todo)-1]
	}
	return nil
}

// docText is the target's text as last known.
func (b *Binding) docText() []rune {
	if b.doc == nil {
		return b.view
	}
	return b.doc
}

// setDoc records the target's text; it copies nothing.
func (b *Binding) setDoc(text []rune, ver uint64) {
	b.version = ver
	if slices.Equal(text, b.view) {
		b.doc = nil
		return
	}
	b.doc = text
}

// Pull reads the target's text (now including merged remote changes) into
// the view and returns the mapping from the old view to the new one; map
// the caret and selection through it.
func (b *Binding) Pull() (Mapping, error) {
	text, ver, err := b.read()
	if err != nil {
		return Mapping{}, err
	}
	m := b.show([]rune(text))
	b.version, b.unsure = ver, false
	return m, nil
}

// PullText is Pull with the target's text given by the caller (read right
// after a merge). If it is not the target's current text, the next local
// splice reconciles by reading the target; Pull is the safer call.
func (b *Binding) PullText(text string) Mapping {
	m := b.show([]rune(text))
	b.unsure = true
	return m
}

func (b *Binding) show(next []rune) Mapping {
	m := NewMapping(Diff(b.view, next))
	b.view, b.doc = next, nil
	if !m.Identity() {
		b.hist.remap(m)
	}
	return m
}

// Flush commits the local splices not yet committed.
func (b *Binding) Flush() error {
	if b.pending == 0 {
		return nil
	}
	b.pending = 0
	if b.c == nil {
		return nil
	}
	if err := b.c.Commit(); err != nil {
		return fmt.Errorf("textsync: commit: %w", err)
	}
	return nil
}

// Pending returns the number of local splices not yet committed.
func (b *Binding) Pending() int { return b.pending }

// remap maps splices (sorted, in the old text's positions) onto the new text:
// an insertion stays after the character on its left (like the caret it was
// typed at); a replacement's text goes where the first replaced character
// was; a deletion removes only the characters that are still there, leaving
// text a peer inserted inside the range alone. The result is sorted by
// position.
func remap(m Mapping, in []splice) []splice {
	var out []splice
	for _, s := range in {
		ip := m.Map(s.pos, StickLeft)
		if s.del > 0 {
			ip = m.Map(s.pos, StickRight)
		}
		var dels []splice
		for _, seg := range survivors(m, s.pos, s.pos+s.del) {
			dels = append(dels, splice{pos: seg[0], del: seg[1]})
		}
		if len(dels) > 0 && dels[0].pos == ip {
			dels[0].ins = s.ins
		} else if len(s.ins) > 0 {
			out = append(out, splice{pos: ip, ins: s.ins})
		}
		out = append(out, dels...)
	}
	return out
}

// survivors returns, as (new position, length) pairs, the parts of the old
// range [start, end) that the edit script left unchanged.
func survivors(m Mapping, start, end int) [][2]int {
	var out [][2]int
	cur := start
	add := func(a, z int) {
		if z > a {
			out = append(out, [2]int{m.Map(a, StickRight), z - a})
		}
	}
	for _, h := range m.hunks {
		if h.OldPos >= end {
			break
		}
		hend := h.OldPos + h.OldLen
		if hend < start || (hend == start && h.OldLen > 0) {
			continue
		}
		add(cur, h.OldPos)
		cur = max(cur, hend)
	}
	add(cur, end)
	return out
}

// spliceRunes returns rs with del runes at pos replaced by ins, reusing rs's
// storage when it can.
func spliceRunes(rs []rune, pos, del int, ins []rune) []rune {
	return slices.Replace(rs, pos, pos+del, ins...)
}
