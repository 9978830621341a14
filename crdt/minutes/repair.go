package minutes

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/amsafe"
	"github.com/pwg-team/pwg/crdt/docs"
)

// A meeting's document can be written by any automerge-repo peer that knows
// its id, so its fields may not be what pwg wrote: a number where text
// belongs, a "kind" or "schema" set to something else, a whole other
// document's fields. pwg reads such fields as empty and never panics; the
// checks below name them (Problems), and Repair restores them from the
// newest well-formed version in the document's own history, as a new change
// that syncs to every peer.

// ErrNoGoodVersion is returned by Repair when no version in the history has
// a well-formed value of a malformed field.
var ErrNoGoodVersion = errors.New("no well-formed version of the field in the meeting's history")

// maxRepairSearch bounds how many versions Repair tries, newest first.
const maxRepairSearch = 5000

// meetingFields checks the root fields of a meeting: each returns "" when
// the value (nil: absent) is well-formed, else what is wrong.
var meetingFields = map[string]func(v *automerge.Value) string{
	"kind": func(v *automerge.Value) string {
		if v == nil || v.Kind() != automerge.KindStr || v.Str() != KindMeeting {
			return "is " + describe(v) + ", not \"meeting\""
		}
		return ""
	},
	"schema": func(v *automerge.Value) string {
		n, ok := intOf(v)
		if !ok || n < 1 || n > docs.SchemaVersion {
			return fmt.Sprintf("is %s, not a schema version this pwg knows (1–%d)", describe(v), docs.SchemaVersion)
		}
		return ""
	},
	"title": textField(true),
	"date": func(v *automerge.Value) string {
		if p := textField(true)(v); p != "" {
			return p
		}
		if _, err := time.Parse(time.DateOnly, textOf(v)); err != nil {
			return fmt.Sprintf("is %q, not a date YYYY-MM-DD", textOf(v))
		}
		return ""
	},
	"location": textField(false),
	"seriesId": textField(false),
	"sections": func(v *automerge.Value) string {
		if v == nil || v.Kind() != automerge.KindMap {
			return "is " + describe(v) + ", not the agenda's sections"
		}
		vals, err := v.Map().Values()
		if err != nil {
			return err.Error()
		}
		keys := make([]string, 0, len(vals))
		for k := range vals {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sv := vals[k]
			if sv.Kind() != automerge.KindMap {
				return fmt.Sprintf("section %q is %s, not a section", k, describe(sv))
			}
			if p := textField(true)(getVal(sv.Map(), "title")); p != "" {
				return fmt.Sprintf("section %q: title %s", k, p)
			}
			if p := textField(false)(getVal(sv.Map(), "notes")); p != "" {
				return fmt.Sprintf("section %q: notes %s", k, p)
			}
		}
		return ""
	},
}

func textField(required bool) func(v *automerge.Value) string {
	return func(v *automerge.Value) string {
		switch {
		case v == nil && !required:
			return ""
		case v == nil:
			return "is missing"
		case v.Kind() == automerge.KindStr, v.Kind() == automerge.KindText:
			return ""
		}
		return "is " + describe(v) + ", not text"
	}
}

func textOf(v *automerge.Value) string {
	switch {
	case v == nil:
		return ""
	case v.Kind() == automerge.KindStr:
		return v.Str()
	case v.Kind() == automerge.KindText:
		s, _ := v.Text().Get()
		return s
	}
	return ""
}

func intOf(v *automerge.Value) (int64, bool) {
	switch {
	case v == nil:
		return 0, false
	case v.Kind() == automerge.KindInt64:
		return v.Int64(), true
	case v.Kind() == automerge.KindUint64:
		return int64(v.Uint64()), true
	}
	return 0, false
}

// describe says what a value is, for a message ("the number 42").
func describe(v *automerge.Value) string {
	if v == nil {
		return "missing"
	}
	switch v.Kind() {
	case automerge.KindStr:
		return fmt.Sprintf("the text %q", clip(v.Str()))
	case automerge.KindText:
		s, _ := v.Text().Get()
		return fmt.Sprintf("the text %q", clip(s))
	case automerge.KindInt64, automerge.KindUint64, automerge.KindFloat64, automerge.KindCounter:
		return fmt.Sprintf("the number %v", v.Interface())
	case automerge.KindBool:
		return fmt.Sprintf("the boolean %v", v.Bool())
	case automerge.KindMap:
		return "a map"
	case automerge.KindList:
		return "a list"
	case automerge.KindNull:
		return "null"
	}
	return "a " + strings.TrimPrefix(v.Kind().String(), "Kind")
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// problems lists the malformed root fields of a meeting document, by field.
func problems(d *automerge.Doc) map[string]string {
	out := map[string]string{}
	root := d.RootMap()
	for k, check := range meetingFields {
		if p := check(getVal(root, k)); p != "" {
			out[k] = p
		}
	}
	return out
}

// Problems lists what is malformed in the meeting ("title is the number
// 42, not text"), sorted; none for a well-formed meeting. The malformed
// fields read as empty; Repair restores them.
func (m *Meeting) Problems() []string {
	var out []string
	_ = m.h.Read(func(d *automerge.Doc) error {
		for k, p := range problems(d) {
			out = append(out, k+" "+p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// Repair restores each malformed field of the meeting from the newest
// version in the document's own history where that field is well-formed
// (so an edit made between two bad writes is kept), as one new change that
// syncs (also on a meeting made read-only by a newer schema a peer wrote:
// the schema is one of the fields restored). It returns the fields
// restored, none if nothing was malformed.
func (m *Meeting) Repair() ([]string, error) {
	if len(m.Problems()) == 0 {
		return nil, nil
	}
	chs, err := m.h.ChangesSince()
	if err != nil {
		return nil, err
	}
	var restored []string
	err = m.h.Repair(KindMeeting, "repair malformed fields", func(d *automerge.Doc) error {
		forks := map[int]*automerge.Doc{}
		fork := func(i int) *automerge.Doc {
			if f, ok := forks[i]; ok {
				return f
			}
			f, err := amsafe.Fork(d, []automerge.ChangeHash{chs[i].Hash})
			if err != nil {
				f = nil
			}
			forks[i] = f
			return f
		}
		bad := problems(d)
		fields := make([]string, 0, len(bad))
		for k := range bad {
			fields = append(fields, k)
		}
		sort.Strings(fields)
		root := d.RootMap()
		for _, k := range fields {
			found := false
			for i, tried := len(chs)-1, 0; i >= 0 && tried < maxRepairSearch && !found; i, tried = i-1, tried+1 {
				good := fork(i)
				if good == nil {
					continue
				}
				v := getVal(good.RootMap(), k)
				if meetingFields[k](v) != "" {
					continue
				}
				found = true
				if v == nil {
					err = root.Delete(k)
				} else {
					err = copyValue(root, k, v)
				}
				if err != nil {
					return fmt.Errorf("restore %s: %w", k, err)
				}
			}
			if !found {
				return fmt.Errorf("meeting %s, field %s: %w", m.ID(), k, ErrNoGoodVersion)
			}
			restored = append(restored, k)
		}
		return nil
	})
	return restored, err
}

// copyValue writes a deep copy of v (from another document) under key of dst.
func copyValue(dst *automerge.Map, key string, v *automerge.Value) error {
	switch v.Kind() {
	case automerge.KindMap:
		if err := dst.Set(key, automerge.NewMap()); err != nil {
			return err
		}
		vals, err := v.Map().Values()
		if err != nil {
			return err
		}
		nm := getVal(dst, key).Map()
		for k, x := range vals {
			if err := copyValue(nm, k, x); err != nil {
				return err
			}
		}
		return nil
	case automerge.KindList:
		if err := dst.Set(key, automerge.NewList()); err != nil {
			return err
		}
		nl := getVal(dst, key).List()
		items, err := v.List().Values()
		if err != nil {
			return err
		}
		for i, x := range items {
			if err := copyListItem(nl, i, x); err != nil {
				return err
			}
		}
		return nil
	case automerge.KindText:
		s, err := v.Text().Get()
		if err != nil {
			return err
		}
		return dst.Set(key, automerge.NewText(s))
	}
	return dst.Set(key, v.Interface())
}

func copyListItem(l *automerge.List, i int, x *automerge.Value) error {
	switch x.Kind() {
	case automerge.KindMap:
		if err := l.Append(automerge.NewMap()); err != nil {
			return err
		}
		vals, err := x.Map().Values()
		if err != nil {
			return err
		}
		item, err := l.Get(i)
		if err != nil {
			return err
		}
		for k, y := range vals {
			if err := copyValue(item.Map(), k, y); err != nil {
				return err
			}
		}
		return nil
	case automerge.KindList:
		if err := l.Append(automerge.NewList()); err != nil {
			return err
		}
		item, err := l.Get(i)
		if err != nil {
			return err
		}
		ys, err := x.List().Values()
		if err != nil {
			return err
		}
		for j, y := range ys {
			if err := copyListItem(item.List(), j, y); err != nil {
				return err
			}
		}
		return nil
	case automerge.KindText:
		s, err := x.Text().Get()
		if err != nil {
			return err
		}
		return l.Append(automerge.NewText(s))
	}
	return l.Append(x.Interface())
}
