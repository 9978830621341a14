package app

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/sync/lansync"
)

// peerLine describes a peer for the list.
func peerLine(p lansync.PeerInfo) string {
	name := p.Name
	if name == "" {
		name = "?"
	}
	state := ""
	switch {
	case p.Via != "":
		state = "(" + T("via") + " " + p.Via[:min(8, len(p.Via))] + ")"
	case !p.Connected:
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
