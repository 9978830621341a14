package lansync_test

import (
	"bytes"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
)

// TestDamagedSnapshotQuarantinedAlone: a meeting whose stored snapshot
// fails its checksum (8 bytes flipped, checksum column left alone) is set
// aside on its own when the workspace reopens: the connection to the peer
// stays up (it dropped with "snapshot checksum mismatch" and reconnected in
// a loop, and nothing reached the laptop any more), a meeting made
// meanwhile arrives, the damaged meeting comes back whole from the peer, and
// the meeting's warnings say what happened.
func TestDamagedSnapshotQuarantinedAlone(t *testing.T) {
	wa := openWS(t)
	dirB := t.TempDir()
	open := func() *minutes.Workspace {
		ws, err := minutes.Open(dirB, minutes.Options{Name: "b", Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		return ws
	}
	wb := open()
	if _, err := wa.Setup("SRE", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	infos, _ := wa.Meetings()
	mid := infos[0].ID
	ma, _ := wa.Meeting(mid)
	secs, _ := ma.Sections()
	key := secs[0].Key
	if err := ma.AppendNotes(key, "before the damage"); err != nil {
		t.Fatal(err)
	}
	sa, sb := lansync.FromWorkspace(wa), lansync.FromWorkspace(wb)
	inv, err := lansync.Invite(sa)
	if err != nil {
		t.Fatal(err)
	}
	if err := lansync.Join(sb, inv); err != nil {
		t.Fatal(err)
	}
	a := startNode(t, sa, fastOpts(t))
	b := startNode(t, sb, fastOpts(t))
	link(a, b)
	waitWS(t, "meeting on B", func() bool { return notes(wb, mid, key) == "before the damage" }, wa, wb)
	b.Close()
	if err := wb.Close(); err != nil {
		t.Fatal(err)
	}

	// Bit rot in B's copy of the meeting: its snapshot, not its checksum.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dirB, minutes.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	var snap []byte
	if err := db.QueryRow(`SELECT snapshot FROM docs WHERE id = ?`, mid).Scan(&snap); err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		snap[len(snap)/2-4+i] ^= 0xff
	}
	if _, err := db.Exec(`UPDATE docs SET snapshot = ? WHERE id = ?`, snap, mid); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Meanwhile A makes a new meeting.
	nm, err := wa.NewMeeting("December", "2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	wb = open()
	defer wb.Close()
	b2 := startNode(t, lansync.FromWorkspace(wb), fastOpts(t))
	events, stop := b2.Subscribe()
	defer stop()
	_, _, _, eb := link(a, b2)
	waitWS(t, "new meeting and the damaged one's good copy on B", func() bool {
		_, err := wb.Meeting(nm.ID())
		return err == nil && notes(wb, mid, key) == "before the damage"
	}, wa, wb)
	select {
	case err := <-eb:
		t.Fatalf("the connection ended: %v", err)
	default:
	}
	connected := 0
	for done := false; !done; {
		select {
		case ev := <-events:
			if ev.Kind == lansync.PeerConnected {
				connected++
			}
			if ev.Kind == lansync.PeerLost {
				t.Fatalf("connection lost: %s", ev.Peer.Reason)
			}
		default:
			done = true
		}
	}
	if connected > 1 {
		t.Fatalf("%d connections: a reconnect loop", connected)
	}
	h, err := wb.Doc(mid)
	if err != nil {
		t.Fatal(err)
	}
	// Nothing is lost: the damaged snapshot is kept in the quarantine table.
	var kept []byte
	if err := wb.DB().QueryRow(`SELECT data FROM quarantine WHERE doc_id = ? AND seq = 0`, mid).Scan(&kept); err != nil || !bytes.Equal(kept, snap) {
		t.Fatalf("quarantined snapshot: %d bytes, %v; want the damaged %d bytes", len(kept), err, len(snap))
	}
	w := strings.Join(h.Warnings(), "\n")
	if !strings.Contains(w, "damaged") || !strings.Contains(w, "good copy arrived") {
		t.Fatalf("warnings %q", w)
	}
}

// waitWS waits until cond holds, re-checking on every document event of the
// workspaces, for up to 20 s.
func waitWS(t *testing.T, what string, cond func() bool, wss ...*minutes.Workspace) {
	t.Helper()
	wake := make(chan struct{}, 1)
	for _, ws := range wss {
		ch, stop := ws.Subscribe()
		defer stop()
		go func() {
			for range ch {
				select {
				case wake <- struct{}{}:
				default:
				}
			}
		}()
	}
	deadline := time.After(20 * time.Second)
	for !cond() {
		select {
		case <-wake:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}
