package lansync_test

import (
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
)

func openWS(t *testing.T) *minutes.Workspace {
	t.Helper()
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "tester", Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

func notes(ws *minutes.Workspace, meetingID, key string) string {
	m, err := ws.Meeting(meetingID)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	s, err := m.Notes(key)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return s
}

// TestWorkspacesSync: a team made in one crdt workspace reaches a second
// one through an invitation and the sync engine; notes typed on either side
// show up on the other.
func TestWorkspacesSync(t *testing.T) {
	wa, wb := openWS(t), openWS(t)
	if _, err := wa.Setup("SRE", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	infos, err := wa.Meetings()
	if err != nil || len(infos) != 1 {
		t.Fatalf("meetings %v %v", infos, err)
	}
	mid := infos[0].ID
	ma, _ := wa.Meeting(mid)
	secs, _ := ma.Sections()
	key := secs[0].Key
	if err := ma.AppendNotes(key, "written offline on A. "); err != nil {
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
	deadline := time.Now().Add(10 * time.Second)
	wait := func(what string, cond func() bool) {
		t.Helper()
		evs, stop := wb.Subscribe()
		defer stop()
		eva, stopa := wa.Subscribe()
		defer stopa()
		for !cond() {
			select {
			case <-evs:
			case <-eva:
			case <-time.After(time.Until(deadline)):
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}
	wait("meeting on B", func() bool { return notes(wb, mid, key) == "written offline on A. " })
	mb, _ := wb.Meeting(mid)
	if err := mb.AppendNotes(key, "Added on B."); err != nil {
		t.Fatal(err)
	}
	wait("B's edit on A", func() bool { return notes(wa, mid, key) == "written offline on A. \nAdded on B." })
	if infos, _ := wb.Meetings(); len(infos) != 1 || infos[0].ID != mid {
		t.Fatalf("B's meetings %+v", infos)
	}
}
