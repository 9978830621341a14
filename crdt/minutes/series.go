package minutes

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/storage"
)

// Series is the team: its agenda template, members, meetings and action items.
type Series struct {
	h *docs.Handle
}

// Handle returns the series' document handle.
func (s *Series) Handle() *docs.Handle { return s.h }

// Arrived reports whether the team's series is here: false on a device
// that joined the team before any of its minutes came from another one.
func (s *Series) Arrived() bool { return !s.h.IsEmpty() }

// ID returns the series' document id.
func (s *Series) ID() string { return s.h.ID() }

// Name returns the team's name.
func (s *Series) Name() string {
	var n string
	_ = s.h.Read(func(d *automerge.Doc) error { n = getStr(d.RootMap(), "name"); return nil })
	return n
}

// SetName renames the team.
func (s *Series) SetName(name string) error {
	return s.h.Change("rename team", func(d *automerge.Doc) error { return d.RootMap().Set("name", name) })
}

// Template returns the agenda template in order.
func (s *Series) Template() ([]SectionTemplate, error) {
	var out []SectionTemplate
	err := s.h.Read(func(d *automerge.Doc) error {
		secs, err := readOrdered(getMap(d.RootMap(), "template"))
		for _, o := range secs {
			out = append(out, SectionTemplate{Key: o.Key, Title: o.Title, Kind: o.Kind, Timebox: o.Timebox, Guidance: o.Guidance})
		}
		return err
	})
	return out, err
}

// Agenda returns the editable agenda template (add, remove, rename, move).
func (s *Series) Agenda() *Agenda {
	return &Agenda{h: s.h, path: "template", notes: false}
}

// Members returns the team's members sorted by name.
func (s *Series) Members() ([]Member, error) {
	out, err := readItems(s.h, "members", func(m *Member, k string) { m.ID = k })
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// PutMember adds or updates a member (a new one gets an id).
func (s *Series) PutMember(m Member) (Member, error) {
	if m.Name == "" {
		return m, errors.New("a member needs a name")
	}
	if m.ID == "" {
		m.ID = randomHex(6)
	}
	return m, putItem(s.h, "members", m.ID, "member "+m.Name, m)
}

// RemoveMember removes a member from the team.
func (s *Series) RemoveMember(id string) error {
	return s.h.Change("remove member", func(d *automerge.Doc) error {
		ms := getMap(d.RootMap(), "members")
		if ms == nil || getMap(ms, id) == nil {
			return fmt.Errorf("member %s: %w", id, storage.ErrNotFound)
		}
		return ms.Delete(id)
	})
}

// MeetingInfos lists the team's meetings, newest first.
func (s *Series) MeetingInfos() ([]MeetingInfo, error) {
	var out []MeetingInfo
	err := s.h.Read(func(d *automerge.Doc) error {
		ms := getMap(d.RootMap(), "meetings")
		if ms == nil {
			return nil
		}
		keys, err := ms.Keys()
		if err != nil {
			return err
		}
		for _, k := range keys {
			mm := getMap(ms, k)
			out = append(out, MeetingInfo{ID: k, Title: getStr(mm, "title"), Date: getStr(mm, "date")})
		}
		return nil
	})
	sortMeetings(out)
	return out, err
}

// sortMeetings orders meetings newest first.
func sortMeetings(out []MeetingInfo) {
	sort.Slice(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date > out[j].Date
		}
		return out[i].ID > out[j].ID
	})
}

func (s *Series) listMeeting(info MeetingInfo) error {
	return s.h.Change("list meeting "+info.Title, func(d *automerge.Doc) error {
		ms, err := ensureMap(d.RootMap(), "meetings")
		if err != nil {
			return err
		}
		mm, err := ensureMap(ms, info.ID)
		if err != nil {
			return err
		}
		if err := mm.Set("title", info.Title); err != nil {
			return err
		}
		return mm.Set("date", info.Date)
	})
}

// ActionItems returns every action item of the team, oldest first.
func (s *Series) ActionItems() ([]ActionItem, error) {
	out, err := readItems(s.h, "actions", func(a *ActionItem, k string) { a.ID = k })
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, err
}

// ActionItem returns one action item.
func (s *Series) ActionItem(id string) (ActionItem, error) {
	items, err := s.ActionItems()
	if err != nil {
		return ActionItem{}, err
	}
	for _, a := range items {
		if a.ID == id {
			return a, nil
		}
	}
	return ActionItem{}, fmt.Errorf("action item %s: %w", id, storage.ErrNotFound)
}

// PutActionItem adds (empty ID) or updates an action item; only changed
// fields are written, so concurrent edits of different fields all survive.
func (s *Series) PutActionItem(a ActionItem) (ActionItem, error) {
	if a.Title == "" {
		return a, errors.New("an action item needs a title")
	}
	if err := checkTitle("an action item title", a.Title); err != nil {
		return a, err
	}
	if a.TargetDate != "" {
		if _, err := time.Parse(time.DateOnly, a.TargetDate); err != nil {
			return a, fmt.Errorf("target date %q: want YYYY-MM-DD", a.TargetDate)
		}
	}
	switch a.Status {
	case "":
		a.Status = ActionOpen
	case ActionOpen, ActionDone, ActionDropped:
	default:
		return a, fmt.Errorf("status %q: want open, done or dropped", a.Status)
	}
	if a.ID == "" {
		a.ID = randomHex(8)
		if a.Created.IsZero() {
			a.Created = time.Now().UTC().Truncate(time.Millisecond)
		}
	}
	return a, putItem(s.h, "actions", a.ID, "action item "+a.Title, a)

}

// SetActionStatus closes (done/dropped) or reopens an action item for the team.
func (s *Series) SetActionStatus(id, status string) error {
	a, err := s.ActionItem(id)
	if err != nil {
		return err
	}
	a.Status = status
	_, err = s.PutActionItem(a)
	return err
}

// SetIssueURL records the tracker issue of an action item; it syncs to
// everyone, so no other laptop creates a second issue.
func (s *Series) SetIssueURL(itemID, url string) error {
	a, err := s.ActionItem(itemID)
	if err != nil {
		return err
	}
	a.IssueURL = url
	_, err = s.PutActionItem(a)
	return err
}
