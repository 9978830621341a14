package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/color"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/presence"
)

// Room is the LAN sync node as the window uses it: *lansync.Node satisfies it.
type Room interface {
	Fingerprint() string
	Peers() []lansync.PeerInfo
	Subscribe() (<-chan lansync.Event, func())
	SetPresence(presence.Presence)
	AddPeer(addr string)
}

var _ Room = (*lansync.Node)(nil)

// roomState is what this person tells the room, and what the room says.
type roomState struct {
	me     presence.Presence
	peers  []lansync.PeerInfo
	follow bool
}

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

// RunRoom follows the sync node's events (peers, presence) until ctx ends.
func (u *UI) RunRoom(ctx context.Context) {
	if u.opts.Room == nil {
		return
	}
	events, stop := u.opts.Room.Subscribe()
	go func() {
		defer stop()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-events:
				if !ok {
					return
				}
				fyne.Do(func() { u.ApplyRoomEvent(ev) })
			}
		}
	}()
	u.publishPresence()
}

// ApplyRoomEvent takes one event of the sync node (UI goroutine).
func (u *UI) ApplyRoomEvent(ev lansync.Event) {
	u.room.peers = u.opts.Room.Peers()
	u.peerList.Refresh()
	u.refreshPeersButton()
	if ev.Kind == lansync.PeerConnected || ev.Kind == lansync.PresenceChanged {
		u.checkIn(ev.Peer)
	}
	u.applyPresence()
}

// checkIn marks a member present when their laptop joins the meeting.
func (u *UI) checkIn(p lansync.PeerInfo) {
	if u.view == nil || p.Presence == nil || p.Presence.MeetingID != u.view.m.ID() || p.Presence.Name == "" {
		return
	}
	u.view.markPresent(p.Presence.Name)
}

// applyPresence shows who edits which section and follows the facilitator.
func (u *UI) applyPresence() {
	if u.view == nil {
		return
	}
	editing := map[string][]lansync.PeerInfo{}
	var all []presence.Presence
	for _, p := range u.room.peers {
		if !p.Connected || p.Presence == nil || p.Presence.MeetingID != u.view.m.ID() {
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

// peerLine describes a peer for the list.
func peerLine(p lansync.PeerInfo) string {
	name := p.Name
	if name == "" {
		name = "?"
	}
	state := ""
	if !p.Connected {
		state = "(" + T("lost") + ")"
	}
	where := ""
	if p.Presence != nil && p.Presence.Section != "" {
		where = " · " + p.Presence.Section
	}
	return strings.TrimSpace(fmt.Sprintf("%s (%s)%s %s", name, p.Fingerprint[:min(8, len(p.Fingerprint))], where, state))
}

// newPeerList lists the devices of the room.
func (u *UI) newPeerList() *widget.List {
	return widget.NewList(
		func() int { return len(u.room.peers) },
		func() fyne.CanvasObject { return widget.NewLabel("peer") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(peerLine(u.room.peers[i]))
		})
}

// PeerLines returns the peer list as shown (for tests).
func (u *UI) PeerLines() []string {
	out := make([]string, len(u.room.peers))
	for i, p := range u.room.peers {
		out[i] = peerLine(p)
	}
	sort.Strings(out)
	return out
}

// SetFollow turns "follow the facilitator" on or off.
func (u *UI) SetFollow(on bool) {
	u.room.follow = on
	u.followCheck.SetChecked(on)
	u.applyPresence()
}

// invitation returns the team's invitation string.
func (u *UI) invitation() (string, error) {
	return lansync.Invite(lansync.FromWorkspace(u.ws))
}

// InvitationObject shows how to join: the team, the invitation text and its QR code.
func (u *UI) InvitationObject() fyne.CanvasObject {
	inv, err := u.invitation()
	if err != nil {
		return widget.NewLabel(T("Error") + ": " + err.Error())
	}
	team := ""
	if s, err := u.ws.Series(); err == nil {
		team = s.Name()
	}
	text := widget.NewLabel(inv)
	text.Wrapping = fyne.TextWrapBreak
	text.TextStyle.Monospace = true
	objs := []fyne.CanvasObject{widget.NewLabelWithStyle(T("Join team %s: pwg join INVITATION, or Join a team… in the window", team), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	if png, err := qrcode.Encode(inv, qrcode.Medium, 320); err == nil {
		img := canvas.NewImageFromReader(bytes.NewReader(png), "invitation.png")
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(240, 240))
		objs = append(objs, img)
	}
	objs = append(objs, container.NewBorder(nil, nil, nil, u.copyButton(inv), text))
	return container.NewVBox(objs...)
}

func (u *UI) showInvite() {
	d := dialog.NewCustom(T("Invite…"), T("Close"), container.NewVScroll(u.InvitationObject()), u.win)
	d.Resize(fyne.NewSize(560, 520))
	d.Show()
}

func (u *UI) showJoin() {
	entry := widget.NewMultiLineEntry()
	entry.SetPlaceHolder("PWG1:…")
	sw := widget.NewCheck(T("This workspace has its own team: switch to the invited team (nothing is deleted)"), nil)
	dialog.ShowForm(T("Join a team…"), T("Join"), T("Cancel"), []*widget.FormItem{
		widget.NewFormItem(T("Invitation"), entry), widget.NewFormItem("", sw),
	}, func(ok bool) {
		if !ok {
			return
		}
		if err := JoinTeam(u.ws, strings.TrimSpace(entry.Text), sw.Checked); err != nil {
			u.showError(err)
			return
		}
		u.status.SetText(T("Joined: the team's minutes arrive at the next sync."))
		u.reloadMeetings()
	}, u.win)
}

// JoinTeam adds the workspace to the team of an invitation; with force, a
// workspace of another team switches to the invited one (nothing is deleted).
func JoinTeam(ws *minutes.Workspace, invitation string, force bool) error {
	_, err := lansync.JoinOrSwitch(lansync.FromWorkspace(ws), invitation, force)
	if errors.Is(err, lansync.ErrOtherTeam) {
		return fmt.Errorf("%w: %s", err, T("this workspace already has its own team; tick “switch” to make the invited team current"))
	}
	return err
}
