package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/presence"
)

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

// teamWorkspace opens a workspace of name with a team "Web" set up.
func teamWorkspace(t *testing.T, name string) *minutes.Workspace {
	t.Helper()
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	if _, err := ws.Setup("Web", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return ws
}

// joinedWorkspace opens a workspace of name that joined the team of ws
// with an invitation (its minutes not yet synced).
func joinedWorkspace(t *testing.T, ws *minutes.Workspace, name string) *minutes.Workspace {
	t.Helper()
	inv, err := lansync.Invite(lansync.FromWorkspace(ws))
	if err != nil {
		t.Fatal(err)
	}
	joined, err := minutes.Open(t.TempDir(), minutes.Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { joined.Close() })
	if _, err := lansync.JoinOrSwitch(lansync.FromWorkspace(joined), inv, false); err != nil {
		t.Fatal(err)
	}
	return joined
}

// startPair starts sync nodes on loopback for two workspaces of a team, the
// second dialling the first; they stop with the test.
func startPair(t *testing.T, ctx context.Context, wsA, wsB *minutes.Workspace) (a, b *lansync.Node) {
	t.Helper()
	a, err := lansync.Start(ctx, lansync.FromWorkspace(wsA), lansync.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	b, err = lansync.Start(ctx, lansync.FromWorkspace(wsB), lansync.Options{Listen: "127.0.0.1:0", Peers: []string{a.Addr().String()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return a, b
}

// TestFollowTheFacilitatorAcrossPeers runs two real sync nodes on loopback
// with their own workspaces: the facilitator moves on, the follower's view
// goes to the same section.
func TestFollowTheFacilitatorAcrossPeers(t *testing.T) {
	a := test.NewTempApp(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	wsA := teamWorkspace(t, "Aiko")
	wsB := joinedWorkspace(t, wsA, "Ben")
	nodeA, nodeB := startPair(t, ctx, wsA, wsB)
	infosA, _ := wsA.Meetings()
	meeting := infosA[0].ID
	waitUntil(t, "the meeting to reach B", func() bool {
		m, err := wsB.Meeting(meeting)
		if err != nil {
			return false
		}
		secs, err := m.Sections()
		return err == nil && len(secs) == 11
	})

	// Fyne's test driver runs fyne.Do at once on the calling goroutine, so
	// B's room events are applied here, on the test goroutine, as the
	// window's event loop would (UI.RunRoom does this with fyne.Do).
	eventsB, stopB := nodeB.Subscribe()
	defer stopB()
	uiB := app.New(a, wsB, app.Options{Room: nodeB})
	uiB.SelectMeeting(meeting)
	var followed []string
	uiB.OnFollow = func(sec string) { followed = append(followed, sec) }
	uiB.SetFollow(true)

	uiA := app.New(a, wsA, app.Options{Room: nodeA})
	f := uiA.NewFacilitator()
	f.Next()
	f.Next() // previous-actions → incidents → worklog
	deadline := time.After(15 * time.Second)
	for uiB.Current().Focused() != "worklog" {
		select {
		case ev := <-eventsB:
			uiB.ApplyRoomEvent(ev)
		case <-deadline:
			t.Fatalf("the follower never followed the facilitator to worklog (followed %v)", followed)
		}
	}
	if followed[len(followed)-1] != "worklog" {
		t.Fatalf("followed %v", followed)
	}
	// Presence never lands in a document.
	m, _ := wsB.Meeting(meeting)
	notes, _ := m.Notes("worklog")
	if strings.Contains(notes, "facilitator") {
		t.Fatalf("presence written into the minutes: %q", notes)
	}
}

// fakeRoom is a Room whose events the test makes.
type fakeRoom struct {
	peers []lansync.PeerInfo
	me    presence.Presence
}

func (r *fakeRoom) Fingerprint() string       { return "ME00000000000000" }
func (r *fakeRoom) Peers() []lansync.PeerInfo { return r.peers }
func (r *fakeRoom) Subscribe() (<-chan lansync.Event, func()) {
	return make(chan lansync.Event), func() {}
}
func (r *fakeRoom) SetPresence(p presence.Presence) { r.me = p }
func (r *fakeRoom) AddPeer(string)                  {}

func TestPresenceMarksSectionsAndChecksIn(t *testing.T) {
	a := test.NewTempApp(t)
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "Aiko"})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.Setup("Web", time.Now())
	s, _ := ws.Series()
	if _, err := s.PutMember(minutes.Member{Name: "Ben", Role: "SRE", Required: true}); err != nil {
		t.Fatal(err)
	}
	room := &fakeRoom{}
	u := app.New(a, ws, app.Options{Room: room})
	v := u.Current()
	if room.me.MeetingID != v.Meeting().ID() || room.me.Name != "Aiko" {
		t.Fatalf("own presence %+v", room.me)
	}
	if missing, _ := v.Meeting().MissingRequired(); len(missing) != 1 {
		t.Fatalf("Ben should be missing: %v", missing)
	}
	ben := lansync.PeerInfo{Fingerprint: "BEN0000000000000", Name: "Ben", Connected: true,
		Presence: &presence.Presence{Name: "Ben", MeetingID: v.Meeting().ID(), Section: "alerts"}}
	room.peers = []lansync.PeerInfo{ben}
	u.ApplyRoomEvent(lansync.Event{Kind: lansync.PeerConnected, Peer: ben})
	if got := v.Section("alerts").EditorsShown(); len(got) != 1 || !strings.Contains(got[0], "Ben") {
		t.Fatalf("alerts section marked with %v", got)
	}
	if got := v.Section("topics").EditorsShown(); len(got) != 0 {
		t.Fatalf("topics marked with %v", got)
	}
	if missing, _ := v.Meeting().MissingRequired(); len(missing) != 0 {
		t.Fatalf("Ben's laptop joined but he is still missing: %v", missing)
	}
	if lines := u.PeerLines(); len(lines) != 1 || !strings.Contains(lines[0], "Ben") {
		t.Fatalf("peer list %q", lines)
	}
	// Typing in a section tells the room.
	ed := v.Section("topics").Editor()
	u.Window().Canvas().Focus(ed)
	test.Type(ed, "x")
	if room.me.Section != "topics" {
		t.Fatalf("presence section %q after typing in topics", room.me.Section)
	}
}
