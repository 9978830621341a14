package minutes

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/crdt/amsafe"
	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/crdt/storage"
)

// FileExt is the extension of a meeting saved as a file.
const FileExt = ".automerge"

// MaxFileBytes bounds a minutes file to import: a year of a busy meeting's
// keystrokes saves to a few MB.
const MaxFileBytes = 256 << 20

// Errors of ImportMeeting, for errors.Is. With either, nothing was written.
var (
	// ErrNotAutomerge: the file is not an Automerge document, or it is
	// damaged (truncated, altered).
	ErrNotAutomerge = errors.New("not an Automerge file, or a damaged one")
	// ErrNotMeeting: the file is a readable Automerge document that holds
	// no pwg meeting.
	ErrNotMeeting = errors.New("the Automerge file holds no pwg meeting")
)

// automergeMagic starts every Automerge binary document.
var automergeMagic = []byte{0x85, 0x6f, 0x4a, 0x83}

// SaveFile returns the meeting as one Automerge document in the standard
// binary format (what `automerge.save` writes and `automerge.load` reads):
// the whole history, so that importing it anywhere merges.
func (m *Meeting) SaveFile() []byte { return m.h.Save() }

// FileName is the meeting's file name by default: date and title, with the
// characters file systems refuse replaced, and FileExt.
func (m *Meeting) FileName() string {
	r := strings.NewReplacer("/", "_", "\\", "_", ":", "_", "*", "_", "?", "_", "\"", "_", "<", "_", ">", "_", "|", "_", "\x00", "_")
	return r.Replace(strings.TrimSpace(m.Date()+" "+m.Title())) + FileExt
}

// Imported says what ImportMeeting did.
type Imported struct {
	MeetingID string
	Title     string
	Date      string
	// New: the meeting was not in the workspace; it is now a meeting of
	// the current team.
	New bool
	// Changed: the file brought changes this workspace did not have.
	Changed bool
}

// ImportMeeting merges a meeting file (SaveFile's format, or any Automerge
// document in pwg's meeting schema, e.g. made by the JS Automerge) into
// the workspace: into the same meeting when the workspace has it — the
// merge adds only what is new, so importing a file twice changes nothing —
// and otherwise as a new meeting of the current team. A file that is not
// Automerge, is damaged or holds no meeting is refused (ErrNotAutomerge,
// ErrNotMeeting) before anything is written.
func (w *Workspace) ImportMeeting(data []byte) (Imported, error) {
	if len(data) < len(automergeMagic) || !bytes.Equal(data[:len(automergeMagic)], automergeMagic) {
		return Imported{}, ErrNotAutomerge
	}
	doc, err := automerge.Load(data)
	if err != nil {
		return Imported{}, fmt.Errorf("%w (%v)", ErrNotAutomerge, err)
	}
	root := doc.RootMap()
	switch kind := getStr(root, "kind"); {
	case kind == KindSeries:
		return Imported{}, fmt.Errorf("%w: it is a team's document, not a meeting", ErrNotMeeting)
	case kind != KindMeeting || getMap(root, "sections") == nil:
		return Imported{}, ErrNotMeeting
	}
	id := getStr(root, "id")
	if !docid.Valid(id) {
		if id, err = derivedID(doc); err != nil {
			return Imported{}, fmt.Errorf("%w (%v)", ErrNotAutomerge, err)
		}
	}
	team, err := w.Series()
	if err != nil {
		return Imported{}, err
	}
	res := Imported{MeetingID: id}
	h, err := w.Doc(id)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		res.New = true
	case err != nil:
		return Imported{}, err
	case h.Kind() != KindMeeting && !h.IsEmpty():
		return Imported{}, fmt.Errorf("%w: its id %s is a %q document here", ErrNotMeeting, id, h.Kind())
	}
	if res.New {
		if h, err = w.EnsureDoc(id); err != nil {
			return Imported{}, err
		}
	}
	before := h.Heads()
	if err := h.MergeSaved(data, ""); err != nil {
		if errors.Is(err, amsafe.ErrNoSharedHistory) {
			return Imported{}, fmt.Errorf("%w: it has the id of meeting %s but none of its history", ErrNotMeeting, id)
		}
		return Imported{}, fmt.Errorf("merge %s: %w", id, err)
	}
	res.Changed = !slices.Equal(before, h.Heads())
	m := &Meeting{h: h, ws: w}
	if err := m.adopt(team, id); err != nil {
		return res, err
	}
	res.Title, res.Date = m.Title(), m.Date()
	info := MeetingInfo{ID: id, Title: res.Title, Date: res.Date}
	if listed, err := team.MeetingInfos(); err == nil && !slices.Contains(listed, info) {
		if err := team.listMeeting(info); err != nil {
			return res, err
		}
	}
	return res, nil
}

// adopt makes an imported meeting one of team's: its series and its id, if
// the file did not say (written only when they differ).
func (m *Meeting) adopt(team *Series, id string) error {
	var need bool
	_ = m.h.Read(func(d *automerge.Doc) error {
		r := d.RootMap()
		need = getStr(r, "seriesId") != team.ID() || getStr(r, "id") != id
		return nil
	})
	if !need {
		return nil
	}
	return m.h.Change("import into team "+team.Name(), func(d *automerge.Doc) error {
		r := d.RootMap()
		if getStr(r, "seriesId") != team.ID() {
			if err := r.Set("seriesId", team.ID()); err != nil {
				return err
			}
		}
		if getStr(r, "id") != id {
			return r.Set("id", id)
		}
		return nil
	})
}

// derivedID gives a document that carries no pwg id (made by another
// Automerge tool) an id of its own that every import of the same document
// agrees on: from the hashes of its first changes, which its later
// versions keep.
func derivedID(doc *automerge.Doc) (string, error) {
	chs, err := amsafe.Changes(doc, nil)
	if err != nil {
		return "", err
	}
	var roots []string
	for _, c := range chs {
		if len(c.Dependencies()) == 0 {
			roots = append(roots, c.Hash().String())
		}
	}
	if len(roots) == 0 {
		return "", errors.New("the document has no changes")
	}
	slices.Sort(roots)
	sum := sha256.Sum256([]byte(fmt.Sprint(roots)))
	u := sum[:16]
	u[6] = (u[6] & 0x0f) | 0x40
	u[8] = (u[8] & 0x3f) | 0x80
	return docid.Encode([16]byte(u)), nil
}

// MeetingStamps returns a stamp of each meeting's stored form (see
// storage.Store.Stamps): it changes whenever the meeting is persisted.
func (w *Workspace) MeetingStamps() (map[string]string, error) {
	return w.store.Stamps(KindMeeting)
}

// MeetingStamp returns the stamp of one meeting's stored form (see
// MeetingStamps); ok is false if id is not a stored meeting.
func (w *Workspace) MeetingStamp(id string) (stamp string, ok bool, err error) {
	return w.store.Stamp(id, KindMeeting)
}

// OnSaved calls fn with a document's id each time it was saved (see
// docs.Runtime.OnSaved); the returned function stops.
func (w *Workspace) OnSaved(fn func(id string)) (stop func()) { return w.docs.OnSaved(fn) }
