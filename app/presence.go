package app

import (
	"image/color"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/presence"
)

// Presence: who is in which meeting and section, shown beside the
// sections and the outline, and told to the room.

// peerColors mark sections someone else is editing, one colour per person.
var peerColors = []color.NRGBA{
	{R: 0xe0, G: 0x6c, B: 0x00, A: 0xff}, {R: 0x2e, G: 0x9e, B: 0x44, A: 0xff},
	{R: 0xb0, G: 0x3a, B: 0xd0, A: 0xff}, {R: 0xd0, G: 0x2e, B: 0x5a, A: 0xff},
	{R: 0x1f, G: 0x8f, B: 0xbf, A: 0xff},
}

func colorFor(fp string) color.NRGBA {
	h := 0
	for _, c := range fp {
		h = h*31 + int(c)
	}
	if h < 0 {
		h = -h
	}
	return peerColors[h%len(peerColors)]
}

// applyPresence shows who edits which section and follows the facilitator.
func (u *UI) applyPresence() {
	if u.view == nil {
		return
	}
	editing := map[string][]lansync.PeerInfo{}
	var all []presence.Presence
	for _, p := range u.room.peers {
		if !p.InReach() || p.Presence == nil || p.Presence.MeetingID != u.view.m.ID() {
			continue
		}
		all = append(all, *p.Presence)
		if p.Presence.Section != "" {
			editing[p.Presence.Section] = append(editing[p.Presence.Section], p)
		}
	}
	here := map[string][]Person{}
	for key, sv := range u.view.sections {
		sv.setEditors(editing[key])
		for _, p := range editing[key] {
			here[key] = append(here[key], Person{Name: peerName(p), Color: colorFor(p.Fingerprint)})
		}
	}
	sec, ok := presence.Facilitator(u.view.m.ID(), all)
	if u.facilitator != nil && u.facilitator.m.ID() == u.view.m.ID() {
		sec, ok = u.facilitator.Current(), true
	}
	u.view.outline.SetPresence(here, sec)
	if ok && u.room.follow && sec != u.view.Focused() {
		u.view.ScrollTo(sec)
		if u.OnFollow != nil {
			u.OnFollow(sec)
		}
	}
}

// publishPresence tells the room where this person is.
func (u *UI) publishPresence() {
	if u.opts.Room == nil {
		return
	}
	me := presence.Presence{Name: u.ws.Author().Name, Role: minutes.RoleAttendee}
	if u.view != nil {
		me.MeetingID = u.view.m.ID()
		me.Section = u.view.Focused()
		if att, err := u.view.m.Attendees(); err == nil {
			for _, a := range att {
				if a.Name == me.Name {
					me.Role = a.Role
				}
			}
		}
		if u.facilitator != nil && u.facilitator.m.ID() == me.MeetingID {
			me.FacilitatorSection = u.facilitator.Current()
		}
	}
	if samePresence(me, u.room.me) {
		return
	}
	u.room.me = me
	u.opts.Room.SetPresence(me)
}

func samePresence(a, b presence.Presence) bool {
	return a.Name == b.Name && a.Role == b.Role && a.MeetingID == b.MeetingID && a.Section == b.Section && a.FacilitatorSection == b.FacilitatorSection
}
