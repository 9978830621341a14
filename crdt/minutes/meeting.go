package minutes

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/crdt/textsync"
)

// Meeting is one PWG meeting's minutes.
type Meeting struct {
	h  *docs.Handle
	ws *Workspace
}

// Handle returns the meeting's document handle.
func (m *Meeting) Handle() *docs.Handle { return m.h }

// ID returns the meeting's document id.
func (m *Meeting) ID() string { return m.h.ID() }

func (m *Meeting) str(key string) string {
	var s string
	_ = m.h.Read(func(d *automerge.Doc) error { s = getStr(d.RootMap(), key); return nil })
	return s
}

// Title returns the meeting's title.
func (m *Meeting) Title() string { return m.str("title") }

// Date returns the meeting's date, YYYY-MM-DD.
func (m *Meeting) Date() string { return m.str("date") }

// Location returns where the meeting takes place.
func (m *Meeting) Location() string { return m.str("location") }

// SeriesID returns the id of the team the meeting belongs to.
func (m *Meeting) SeriesID() string { return m.str("seriesId") }

// SetInfo changes title, date and location (and the series' list of meetings).
func (m *Meeting) SetInfo(title, date, location string) error {
	if strings.TrimSpace(title) == "" {
		return errors.New("a meeting needs a title")
	}
	if err := checkTitle("a meeting title", title); err != nil {
		return err
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return fmt.Errorf("date %q: want YYYY-MM-DD", date)
	}
	err := m.h.Change("meeting details", func(d *automerge.Doc) error {
		r := d.RootMap()
		for k, v := range map[string]string{"title": title, "date": date, "location": location} {
			if getStr(r, k) != v {
				if err := r.Set(k, v); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if s, err := m.ws.seriesByID(m.SeriesID()); err == nil {
		return s.listMeeting(MeetingInfo{ID: m.ID(), Title: title, Date: date})
	}
	return nil
}

// Agenda returns the meeting's editable agenda.
func (m *Meeting) Agenda() *Agenda { return &Agenda{h: m.h, path: "sections", notes: true} }

// Sections returns the agenda sections in order with their notes.
func (m *Meeting) Sections() ([]Section, error) {
	var out []Section
	err := m.h.Read(func(d *automerge.Doc) error {
		var err error
		out, err = readSections(d)
		return err
	})
	return out, err
}

func readSections(d *automerge.Doc) ([]Section, error) {
	os, err := readOrdered(getMap(d.RootMap(), "sections"))
	out := make([]Section, 0, len(os))
	for _, o := range os {
		out = append(out, o.Section)
	}
	return out, err
}

func notesText(d *automerge.Doc, key string) (*automerge.Text, error) {
	secs := getMap(d.RootMap(), "sections")
	sm := getMap(secs, key)
	if sm == nil {
		return nil, fmt.Errorf("section %q: %w", key, storage.ErrNotFound)
	}
	v := getVal(sm, "notes")
	if v == nil || v.Kind() != automerge.KindText {
		if err := sm.Set("notes", automerge.NewText("")); err != nil {
			return nil, err
		}
		v = getVal(sm, "notes")
	}
	return v.Text(), nil
}

// Notes returns a section's notes.
func (m *Meeting) Notes(key string) (string, error) {
	var s string
	err := m.h.Read(func(d *automerge.Doc) error {
		secs := getMap(d.RootMap(), "sections")
		if getMap(secs, key) == nil {
			return fmt.Errorf("section %q: %w", key, storage.ErrNotFound)
		}
		s = getStr(getMap(secs, key), "notes")
		return nil
	})
	return s, err
}

// SpliceNotes deletes del code points at pos of a section's notes and
// inserts text there. Edits are batched into commits (see Handle.Edit).
func (m *Meeting) SpliceNotes(key string, pos, del int, text string) error {
	return m.spliceNotes(0, false, key, pos, del, text)
}

func (m *Meeting) spliceNotes(version uint64, check bool, key string, pos, del int, text string) error {
	return m.h.EditIf(version, check, "edit "+key, func(d *automerge.Doc) error {
		t, err := notesText(d, key)
		if err != nil {
			return err
		}
		n := t.Len()
		if pos < 0 || del < 0 || pos+del > n {
			return fmt.Errorf("splice %d+%d outside notes of %d characters", pos, del, n)
		}
		if err := checkInsert(n, del, text); err != nil {
			return err
		}
		return t.Splice(pos, del, text)
	})
}

// AppendNotes appends text to a section's notes on a line of its own and
// commits at once.
func (m *Meeting) AppendNotes(key, text string) error {
	return m.h.Change("append to "+key, func(d *automerge.Doc) error {
		t, err := notesText(d, key)
		if err != nil {
			return err
		}
		cur, err := t.Get()
		if err != nil {
			return err
		}
		if cur != "" && !strings.HasSuffix(cur, "\n") {
			text = "\n" + text
		}
		if err := checkInsert(t.Len(), 0, text); err != nil {
			return err
		}
		return t.Append(text)
	})
}

// SectionText is a section's notes as a splice target for the editor binding.
type SectionText struct {
	m   *Meeting
	key string
}

// Section returns the notes of section key as a splice target.
func (m *Meeting) Section(key string) SectionText { return SectionText{m: m, key: key} }

// Text returns the notes.
func (s SectionText) Text() (string, error) { return s.m.Notes(s.key) }

// Splice edits the notes (code points).
func (s SectionText) Splice(pos, del int, text string) error {
	return s.m.SpliceNotes(s.key, pos, del, text)
}

// Snapshot returns the notes and the document's version, read atomically
// (textsync.Versioned).
func (s SectionText) Snapshot() (string, uint64, error) {
	var text string
	v, err := s.m.h.ReadVersioned(func(d *automerge.Doc) error {
		secs := getMap(d.RootMap(), "sections")
		if getMap(secs, s.key) == nil {
			return fmt.Errorf("section %q: %w", s.key, storage.ErrNotFound)
		}
		text = getStr(getMap(secs, s.key), "notes")
		return nil
	})
	return text, v, err
}

// SpliceIf splices only if no merge or other change happened since version
// (textsync.Versioned); else it returns textsync.ErrStale.
func (s SectionText) SpliceIf(version uint64, pos, del int, text string) error {
	err := s.m.spliceNotes(version, true, s.key, pos, del, text)
	if errors.Is(err, docs.ErrStale) {
		return textsync.ErrStale
	}
	return err
}

// readItems reads every entry of the map at root[path] into T, keyed by id.
func readItems[T any](h *docs.Handle, path string, setID func(*T, string)) ([]T, error) {
	var out []T
	err := h.Read(func(d *automerge.Doc) error {
		mm := getMap(d.RootMap(), path)
		if mm == nil {
			return nil
		}
		keys, err := mm.Keys()
		if err != nil {
			return err
		}
		sort.Strings(keys)
		for _, k := range keys {
			var v T
			readFields(getMap(mm, k), &v)
			setID(&v, k)
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

func putItem(h *docs.Handle, path, id, what string, v any) error {
	return h.Change(what, func(d *automerge.Doc) error {
		mm, err := ensureMap(d.RootMap(), path)
		if err != nil {
			return err
		}
		im, err := ensureMap(mm, id)
		if err != nil {
			return err
		}
		return putFields(im, v)
	})
}

// Attendees returns the meeting's attendance, by name.
func (m *Meeting) Attendees() ([]Attendee, error) {
	out, err := readItems(m.h, "attendees", func(a *Attendee, k string) { a.MemberID = k })
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// SetAttendee records a member's presence and meeting role.
func (m *Meeting) SetAttendee(a Attendee) error {
	if a.MemberID == "" {
		return errors.New("an attendee needs a member id")
	}
	switch a.Role {
	case "":
		a.Role = RoleAttendee
	case RoleFacilitator, RoleScribe, RoleAttendee:
	default:
		return fmt.Errorf("role %q: want facilitator, scribe or attendee", a.Role)
	}
	return putItem(m.h, "attendees", a.MemberID, "attendance of "+a.Name, a)
}

// MissingRequired returns the required members of the team not marked present.
func (m *Meeting) MissingRequired() ([]Member, error) {
	s, err := m.ws.seriesByID(m.SeriesID())
	if err != nil {
		return nil, err
	}
	members, err := s.Members()
	if err != nil {
		return nil, err
	}
	att, err := m.Attendees()
	if err != nil {
		return nil, err
	}
	present := map[string]bool{}
	for _, a := range att {
		present[a.MemberID] = a.Present
	}
	var out []Member
	for _, mb := range members {
		if mb.Required && !present[mb.ID] {
			out = append(out, mb)
		}
	}
	return out, nil
}

// AlertReviews returns the alert review entries.
func (m *Meeting) AlertReviews() ([]AlertReview, error) {
	return readItems(m.h, "alertReviews", func(r *AlertReview, k string) { r.ID = k })
}

// PutAlertReview adds (empty ID) or updates an alert review entry.
func (m *Meeting) PutAlertReview(r AlertReview) error {
	switch r.Verdict {
	case VerdictKeep, VerdictTune, VerdictDelete, VerdictFixCause:
	default:
		return fmt.Errorf("verdict %q: want keep, tune, delete or fix-root-cause", r.Verdict)
	}
	if r.ID == "" {
		r.ID = "mon-" + r.MonitorID
		if r.MonitorID == "" {
			r.ID = randomHex(6)
		}
	}
	return putItem(m.h, "alertReviews", r.ID, "alert review "+r.MonitorName, r)
}

// SLOs returns the SLO rows.
func (m *Meeting) SLOs() ([]SLORow, error) {
	return readItems(m.h, "slos", func(r *SLORow, k string) { r.ID = k })
}

// PutSLO adds (empty ID) or updates an SLO row.
func (m *Meeting) PutSLO(r SLORow) error {
	if r.Name == "" {
		return errors.New("an SLO needs a name")
	}
	if r.RevisitDate != "" {
		if _, err := time.Parse(time.DateOnly, r.RevisitDate); err != nil {
			return fmt.Errorf("revisit date %q: want YYYY-MM-DD", r.RevisitDate)
		}
	}
	if r.ID == "" {
		r.ID = randomHex(6)
	}
	return putItem(m.h, "slos", r.ID, "SLO "+r.Name, r)
}

// Attachments returns the meeting's images and graph snapshots.
func (m *Meeting) Attachments() ([]Attachment, error) {
	out, err := readItems(m.h, "attachments", func(a *Attachment, k string) { a.Hash = k })
	sort.Slice(out, func(i, j int) bool { return out[i].Added.Before(out[j].Added) })
	return out, err
}

// AddAttachment stores data as a blob and records it in the meeting. Notes
// refer to it as ![caption](pwg-blob:HASH) (see AttachmentMarkdown).
func (m *Meeting) AddAttachment(a Attachment, data []byte) (Attachment, error) {
	if a.Mime == "" {
		return a, errors.New("an attachment needs a MIME type")
	}
	hash, err := m.ws.PutBlob(a.Mime, data)
	if err != nil {
		return a, err
	}
	a.Hash, a.Size = hash, len(data)
	if a.Added.IsZero() {
		a.Added = time.Now().UTC().Truncate(time.Millisecond)
	}
	// The bytes travel inside the document too (written once: an image
	// never changes), so every laptop that syncs the meeting has them; each
	// workspace keeps them content-addressed in its blobs table.
	return a, m.h.Change("attach "+a.Name, func(d *automerge.Doc) error {
		mm, err := ensureMap(d.RootMap(), "attachments")
		if err != nil {
			return err
		}
		im, err := ensureMap(mm, hash)
		if err != nil {
			return err
		}
		if err := putFields(im, a); err != nil {
			return err
		}
		if getVal(im, "data") == nil {
			return im.Set("data", data)
		}
		return nil
	})
}

// attachmentBlobs returns the attachments of a meeting document that carry
// their bytes (docs.Kind.Blobs): an attachment that arrived from a peer is
// copied into the workspace's blobs.
//
// It runs after every merge. Reading a bytes value copies it out of
// Automerge, so whether an attachment carries "data" is told from its keys;
// the bytes are read (and their kind checked) only by Data, which the
// runtime calls for a hash it does not hold yet.
func attachmentBlobs(d *automerge.Doc) []docs.Blob {
	mm := getMap(d.RootMap(), "attachments")
	if mm == nil {
		return nil
	}
	var out []docs.Blob
	keys, _ := mm.Keys()
	for _, k := range keys {
		im := getMap(mm, k)
		if im == nil {
			continue
		}
		if ik, _ := im.Keys(); slices.Contains(ik, "data") {
			out = append(out, docs.Blob{Hash: k, Mime: getStr(im, "mime"), Data: func() ([]byte, bool) {
				v := getVal(im, "data")
				if v == nil || v.Kind() != automerge.KindBytes {
					return nil, false
				}
				return v.Bytes(), true
			}})
		}
	}
	return out
}

// sectionTexts lists a meeting's section notes in agenda order
// (docs.Kind.Texts): change events name the sections whose notes changed.
func sectionTexts(d *automerge.Doc) ([]docs.Text, error) {
	secs, err := readSections(d)
	if err != nil {
		return nil, err
	}
	out := make([]docs.Text, len(secs))
	for i, s := range secs {
		out[i] = docs.Text{Key: s.Key, Text: s.Notes}
	}
	return out, nil
}

// envelope reads a document's kind and schema version (docs.Envelope).
func envelope(d *automerge.Doc) (string, int64) {
	root := d.RootMap()
	return getStr(root, "kind"), getInt(root, "schema")
}

// kinds tells the document runtime about meetings; a series has no texts
// or blobs of its own.
var kinds = map[string]docs.Kind{
	KindMeeting: {Texts: sectionTexts, Blobs: attachmentBlobs, Meta: metaDigest, View: meetingView},
}

// AttachmentMarkdown is how notes refer to an attachment.
func AttachmentMarkdown(a Attachment) string {
	s := fmt.Sprintf("![%s](pwg-blob:%s)", strings.ReplaceAll(a.Caption, "]", ")"), a.Hash)
	if a.Link != "" {
		s += fmt.Sprintf(" ([Mackerel](%s))", a.Link)
	}
	return s
}

// CarriedActions returns the ids of the team's action items that were open
// when this meeting was created (its review of earlier action items).
func (m *Meeting) CarriedActions() []string {
	var ids []string
	_ = m.h.Read(func(d *automerge.Doc) error {
		c := getMap(d.RootMap(), "carried")
		if c != nil {
			ids, _ = c.Keys()
		}
		return nil
	})
	sort.Strings(ids)
	return ids
}

// ActionItems returns the items this meeting deals with: those carried over
// from earlier meetings, then those raised in it.
func (m *Meeting) ActionItems() (carried, raised []ActionItem, err error) {
	s, err := m.ws.seriesByID(m.SeriesID())
	if err != nil {
		return nil, nil, err
	}
	all, err := s.ActionItems()
	if err != nil {
		return nil, nil, err
	}
	isCarried := map[string]bool{}
	for _, id := range m.CarriedActions() {
		isCarried[id] = true
	}
	for _, a := range all {
		switch {
		case a.OriginMeeting == m.ID():
			raised = append(raised, a)
		case isCarried[a.ID]:
			carried = append(carried, a)
		}
	}
	return carried, raised, nil
}

// AddActionItem raises a new action item in this meeting (it belongs to the team).
func (m *Meeting) AddActionItem(a ActionItem) (ActionItem, error) {
	s, err := m.ws.seriesByID(m.SeriesID())
	if err != nil {
		return a, err
	}
	a.ID = ""
	a.OriginMeeting = m.ID()
	return s.PutActionItem(a)
}

// Links returns the links noted in the meeting.
func (m *Meeting) Links() ([]Link, error) {
	return readItems(m.h, "links", func(*Link, string) {})
}

// AddLink notes a URL.
func (m *Meeting) AddLink(l Link) error {
	if !strings.HasPrefix(l.URL, "http://") && !strings.HasPrefix(l.URL, "https://") {
		return fmt.Errorf("link %q: want an http(s) URL", l.URL)
	}
	return putItem(m.h, "links", randomHex(6), "link", l)
}

// Series returns the team the meeting belongs to.
func (m *Meeting) Series() (*Series, error) { return m.ws.seriesByID(m.SeriesID()) }

var _ textsync.Versioned = SectionText{}
