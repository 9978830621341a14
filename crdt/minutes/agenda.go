package minutes

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/storage"
)

// The agenda (of a series' template or of one meeting) is a map of sections
// keyed by a stable key, each with a float "order". Concurrent edits
// converge without duplicating or losing a section: a move writes only the
// moved section's order (two people moving the same section: one move wins;
// moving different ones: both apply); a removal is a tombstone ("removed")
// so notes typed concurrently into a removed section are kept, not lost, and
// come back if it is restored.

type orderedSection struct {
	Section
	Order   float64
	Removed bool
}

func readOrdered(m *automerge.Map) ([]orderedSection, error) {
	return readOrderedAll(m, false)
}

func readOrderedAll(m *automerge.Map, withRemoved bool) ([]orderedSection, error) {
	if m == nil {
		return nil, nil
	}
	keys, err := m.Keys()
	if err != nil {
		return nil, err
	}
	out := make([]orderedSection, 0, len(keys))
	for _, k := range keys {
		sm := getMap(m, k)
		if sm == nil {
			continue
		}
		o := orderedSection{Order: getFloat(sm, "order"), Removed: getBool(sm, "removed")}
		if o.Removed && !withRemoved {
			continue
		}
		o.Key = k
		o.Title = getStr(sm, "title")
		o.Kind = getStr(sm, "kind")
		o.Timebox = int(getInt(sm, "timebox"))
		o.Guidance = getStr(sm, "guidance")
		o.Notes = getStr(sm, "notes")
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Order != out[j].Order {
			return out[i].Order < out[j].Order
		}
		return out[i].Key < out[j].Key
	})
	return out, nil
}

func writeSection(m *automerge.Map, t SectionTemplate, order float64, notes bool) error {
	sm, err := ensureMap(m, t.Key)
	if err != nil {
		return err
	}
	for k, v := range map[string]any{"title": t.Title, "kind": t.Kind, "timebox": int64(t.Timebox), "guidance": t.Guidance, "order": order} {
		if err := sm.Set(k, v); err != nil {
			return err
		}
	}
	if notes && getVal(sm, "notes") == nil {
		return sm.Set("notes", automerge.NewText(""))
	}
	return nil
}

// Agenda edits an ordered list of sections: a series' template or a meeting's agenda.
type Agenda struct {
	h     *docs.Handle
	path  string // "template" or "sections"
	notes bool   // sections carry notes text
}

func (a *Agenda) change(what string, fn func(m *automerge.Map) error) error {
	return a.h.Change(what, func(d *automerge.Doc) error {
		m, err := ensureMap(d.RootMap(), a.path)
		if err != nil {
			return err
		}
		return fn(m)
	})
}

// Sections returns the agenda in order.
func (a *Agenda) Sections() ([]Section, error) {
	var out []Section
	err := a.h.Read(func(d *automerge.Doc) error {
		os, err := readOrdered(getMap(d.RootMap(), a.path))
		for _, o := range os {
			out = append(out, o.Section)
		}
		return err
	})
	return out, err
}

// Add appends a new section (after the last) and returns its key.
func (a *Agenda) Add(title, kind string, timebox int) (string, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return "", errors.New("a section needs a title")
	}
	if err := checkTitle("a section title", title); err != nil {
		return "", err
	}
	if kind == "" {
		kind = SectionNotes
	}
	key := "s-" + randomHex(4)
	err := a.change("add section "+title, func(m *automerge.Map) error {
		os, err := readOrderedAll(m, true)
		if err != nil {
			return err
		}
		order := 1.0
		if len(os) > 0 {
			order = os[len(os)-1].Order + 1
		}
		return writeSection(m, SectionTemplate{Key: key, Title: title, Kind: kind, Timebox: timebox}, order, a.notes)
	})
	return key, err
}

func sectionMap(m *automerge.Map, key string) (*automerge.Map, error) {
	sm := getMap(m, key)
	if sm == nil {
		return nil, fmt.Errorf("section %q: %w", key, storage.ErrNotFound)
	}
	return sm, nil
}

// Remove hides a section (a tombstone: its notes are kept; Restore brings it back).
func (a *Agenda) Remove(key string) error {
	return a.change("remove section "+key, func(m *automerge.Map) error {
		sm, err := sectionMap(m, key)
		if err != nil {
			return err
		}
		return sm.Set("removed", true)
	})
}

// Restore brings back a removed section.
func (a *Agenda) Restore(key string) error {
	return a.change("restore section "+key, func(m *automerge.Map) error {
		sm, err := sectionMap(m, key)
		if err != nil {
			return err
		}
		return sm.Set("removed", false)
	})
}

// Rename sets a section's title.
func (a *Agenda) Rename(key, title string) error {
	title = strings.TrimSpace(title)
	if title == "" {
		return errors.New("a section needs a title")
	}
	if err := checkTitle("a section title", title); err != nil {
		return err
	}
	return a.change("rename section "+key, func(m *automerge.Map) error {
		sm, err := sectionMap(m, key)
		if err != nil {
			return err
		}
		return sm.Set("title", title)
	})
}

// SetTimebox sets a section's timebox in minutes.
func (a *Agenda) SetTimebox(key string, minutes int) error {
	if minutes < 0 {
		return errors.New("a timebox cannot be negative")
	}
	return a.change("timebox of "+key, func(m *automerge.Map) error {
		sm, err := sectionMap(m, key)
		if err != nil {
			return err
		}
		return sm.Set("timebox", int64(minutes))
	})
}

// Move places a section at index among the visible sections, writing only
// its own order (the midpoint of its new neighbours).
func (a *Agenda) Move(key string, index int) error {
	return a.change("move section "+key, func(m *automerge.Map) error {
		sm, err := sectionMap(m, key)
		if err != nil {
			return err
		}
		os, err := readOrdered(m)
		if err != nil {
			return err
		}
		rest := os[:0:0]
		for _, o := range os {
			if o.Key != key {
				rest = append(rest, o)
			}
		}
		index = max(0, min(index, len(rest)))
		var order float64
		switch {
		case len(rest) == 0:
			order = 1
		case index == 0:
			order = rest[0].Order - 1
		case index == len(rest):
			order = rest[len(rest)-1].Order + 1
		default:
			order = (rest[index-1].Order + rest[index].Order) / 2
		}
		return sm.Set("order", order)
	})
}
