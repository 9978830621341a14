package minutes

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/crdt/storage"
)

// ErrNoTeam is returned when the workspace has no team yet (see Setup).
var ErrNoTeam = errors.New("workspace has no team yet")

// ErrTeamNotArrived is returned for a meeting made on a device that joined
// a team whose minutes have not arrived yet: made in the empty series, it
// would have no agenda, and the team's series would not merge with it.
var ErrTeamNotArrived = errors.New("the team's minutes have not arrived on this device yet: connect to a laptop of the team, then make the meeting")

// Setup prepares a workspace on first start: when it holds no team, it
// creates one named teamName with the PWG agenda template and a first
// meeting dated today. It reports whether it created anything.
func (w *Workspace) Setup(teamName string, today time.Time) (bool, error) {
	if _, err := w.Series(); err == nil {
		return false, nil
	} else if !errors.Is(err, ErrNoTeam) {
		return false, err
	}
	if _, err := w.NewSeries(teamName, PWGTemplate()); err != nil {
		return false, err
	}
	date := today.Format(time.DateOnly)
	if _, err := w.NewMeeting("PWG "+date, date); err != nil {
		return true, err
	}
	return true, nil
}

// NewSeries creates a team with an agenda template and a new 256-bit team
// key, and makes it the current team.
func (w *Workspace) NewSeries(name string, tmpl []SectionTemplate) (*Series, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, errors.New("a team needs a name")
	}
	h, err := w.docs.Create(KindSeries, "create team "+name, func(id string, root *automerge.Map) error {
		if err := root.Set("name", name); err != nil {
			return err
		}
		if err := root.Set("created", time.Now().UTC().Truncate(time.Millisecond)); err != nil {
			return err
		}
		tm, err := ensureMap(root, "template")
		if err != nil {
			return err
		}
		for i, t := range tmpl {
			if err := writeSection(tm, t, float64(i+1), false); err != nil {
				return err
			}
		}
		for _, k := range []string{"members", "meetings", "actions"} {
			if _, err := ensureMap(root, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	key, _ := hex.DecodeString(randomHex(32))
	if err := w.Settings().SetTeamKey(h.ID(), storage.EncodeKey(key)); err != nil {
		return nil, fmt.Errorf("store team key: %w", err)
	}
	if err := w.Settings().SetCurrentTeam(h.ID()); err != nil {
		return nil, err
	}
	return &Series{h: h}, nil
}

// Series returns the current team.
func (w *Workspace) Series() (*Series, error) {
	id, err := w.Settings().CurrentTeam()
	if err == nil && id == "" {
		ids, err := w.store.DocIDs(KindSeries)
		if err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			return nil, ErrNoTeam
		}
		id = ids[0]
	} else if err != nil {
		return nil, err
	}
	return w.seriesByID(id)
}

func (w *Workspace) seriesByID(id string) (*Series, error) {
	if id == "" {
		return nil, fmt.Errorf("meeting belongs to no team: %w", storage.ErrNotFound)
	}
	h, err := w.Doc(id)
	if err != nil {
		return nil, err
	}
	return &Series{h: h}, nil
}

// Meetings lists the current team's meetings, newest first.
//
// Meetings that reached this workspace without their team's series (shared
// through a relay with a remote attendee) are listed too.
func (w *Workspace) Meetings() ([]MeetingInfo, error) {
	var infos []MeetingInfo
	s, err := w.Series()
	switch {
	case err == nil:
		if infos, err = s.MeetingInfos(); err != nil {
			return nil, err
		}
	case errors.Is(err, ErrNoTeam):
	default:
		return nil, err
	}
	listed := map[string]bool{}
	for _, in := range infos {
		listed[in.ID] = true
	}
	ids, err := w.store.DocIDs(KindMeeting)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if listed[id] {
			continue
		}
		m, err := w.Meeting(id)
		if err != nil {
			continue
		}
		infos = append(infos, MeetingInfo{ID: id, Title: m.Title(), Date: m.Date()})
	}
	if s == nil && len(infos) == 0 {
		return nil, ErrNoTeam
	}
	sortMeetings(infos)
	return infos, nil
}

// Meeting returns a meeting by id (or by a unique prefix of its id).
func (w *Workspace) Meeting(id string) (*Meeting, error) {
	if !docid.Valid(id) {
		ids, err := w.store.DocIDs(KindMeeting)
		if err != nil {
			return nil, err
		}
		var match []string
		for _, x := range ids {
			if id != "" && strings.HasPrefix(x, id) {
				match = append(match, x)
			}
		}
		if len(match) != 1 {
			return nil, fmt.Errorf("meeting %q: %w", id, storage.ErrNotFound)
		}
		id = match[0]
	}
	h, err := w.Doc(id)
	if err != nil {
		return nil, err
	}
	if k := h.Kind(); k != KindMeeting && !w.listedMeeting(id) {
		return nil, fmt.Errorf("document %s is a %q, not a meeting: %w", id, k, storage.ErrNotFound)
	}
	return &Meeting{h: h, ws: w}, nil
}

// listedMeeting reports whether the current team's series lists id as one
// of its meetings: pwg's own record, which a peer that rewrote the
// document's "kind" does not change.
func (w *Workspace) listedMeeting(id string) bool {
	s, err := w.Series()
	if err != nil || s.ID() == id {
		return false
	}
	infos, err := s.MeetingInfos()
	if err != nil {
		return false
	}
	for _, in := range infos {
		if in.ID == id {
			return true
		}
	}
	return false
}

// NewMeeting creates a meeting of the current team from its agenda template,
// with every member listed as an attendee (not yet present) and the team's
// open action items carried over for review.
func (w *Workspace) NewMeeting(title, date string) (*Meeting, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return nil, errors.New("a meeting needs a title")
	}
	if err := checkTitle("a meeting title", title); err != nil {
		return nil, err
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return nil, fmt.Errorf("date %q: want YYYY-MM-DD", date)
	}
	s, err := w.Series()
	if err != nil {
		return nil, err
	}
	if !s.Arrived() {
		return nil, ErrTeamNotArrived
	}
	tmpl, err := s.Template()
	if err != nil {
		return nil, err
	}
	members, err := s.Members()
	if err != nil {
		return nil, err
	}
	actions, err := s.ActionItems()
	if err != nil {
		return nil, err
	}
	slos, err := w.carriedSLOs(date)
	if err != nil {
		return nil, err
	}
	h, err := w.docs.Create(KindMeeting, "create meeting "+title, func(id string, root *automerge.Map) error {
		for k, v := range map[string]string{"title": title, "date": date, "location": "", "seriesId": s.ID()} {
			if err := root.Set(k, v); err != nil {
				return err
			}
		}
		sm, err := ensureMap(root, "sections")
		if err != nil {
			return err
		}
		for i, t := range tmpl {
			if err := writeSection(sm, t, float64(i+1), true); err != nil {
				return err
			}
		}
		am, err := ensureMap(root, "attendees")
		if err != nil {
			return err
		}
		for _, mb := range members {
			im, err := ensureMap(am, mb.ID)
			if err != nil {
				return err
			}
			if err := putFields(im, Attendee{MemberID: mb.ID, Name: mb.Name, Role: RoleAttendee}); err != nil {
				return err
			}
		}
		cm, err := ensureMap(root, "carried")
		if err != nil {
			return err
		}
		for _, a := range actions {
			if a.Status == ActionOpen {
				if err := cm.Set(a.ID, true); err != nil {
					return err
				}
			}
		}
		for _, k := range []string{"alertReviews", "slos", "attachments", "links"} {
			if _, err := ensureMap(root, k); err != nil {
				return err
			}
		}
		return writeSLOs(root, slos) // the previous meeting's SLOs, to review again

	})
	if err != nil {
		return nil, err
	}
	if err := s.listMeeting(MeetingInfo{ID: h.ID(), Title: title, Date: date}); err != nil {
		return nil, err
	}
	return &Meeting{h: h, ws: w}, nil
}
