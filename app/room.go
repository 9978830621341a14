package app

import (
	"context"

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

// RunRoom follows the sync node's events (peers, presence) until ctx ends.
func (u *UI) RunRoom(ctx context.Context) {
	if u.opts.Room == nil {
		return
	}
	events, stop := u.opts.Room.Subscribe()
	follow(ctx, events, stop, u.ApplyRoomEvent)
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

// SetFollow turns "follow the facilitator" on or off.
func (u *UI) SetFollow(on bool) {
	u.room.follow = on
	u.followCheck.SetChecked(on)
	u.applyPresence()
}
