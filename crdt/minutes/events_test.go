package minutes_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/minutes"
)

// nextEvent returns the next event of document id (5 s at most).
func nextEvent(t *testing.T, events <-chan docs.Event, id string) docs.Event {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.DocID == id {
				return ev
			}
		case <-deadline:
			t.Fatal("no event")
		}
	}
}

// syncOnce runs sync messages between two handles of one document until
// neither has anything to send; b hears a as peer "peer-a".
func syncOnce(t *testing.T, ha, hb *docs.Handle) {
	t.Helper()
	sa, _ := ha.NewSyncState(nil)
	sb, _ := hb.NewSyncState(nil)
	for range 20 {
		ma, okA := ha.GenerateSyncMessage(sa)
		if okA {
			if err := hb.ReceiveSyncMessage(sb, ma, "peer-a"); err != nil {
				t.Fatal(err)
			}
		}
		mb, okB := hb.GenerateSyncMessage(sb)
		if okB {
			if err := ha.ReceiveSyncMessage(sa, mb, "peer-b"); err != nil {
				t.Fatal(err)
			}
		}
		if !okA && !okB {
			return
		}
	}
	t.Fatal("sync did not settle")
}

// TestEventsSayWhatAndWhence: an event names the sections whose notes
// changed, says whether anything else changed, and where the change came
// from (this device, which peer, a file).
func TestEventsSayWhatAndWhence(t *testing.T) {
	_, b, ma, mb := twoReplicas(t)
	ha, hb := ma.Handle(), mb.Handle()
	unwatch := hb.Watch() // as a window showing the meeting does
	events, stop := b.Subscribe()
	defer stop()

	// Notes typed on a reach b: that section, nothing else, from peer-a.
	if err := ma.SpliceNotes("worklog", 0, 0, "証明書"); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, ha, hb)
	ev := nextEvent(t, events, mb.ID())
	if ev.Origin != docs.FromPeer || ev.Peer != "peer-a" || ev.Meta || !slices.Equal(ev.Sections, []string{"worklog"}) {
		t.Fatalf("notes merge: %+v", ev)
	}
	// A new title: metadata, no section.
	if err := ma.SetInfo("PWG renamed", ma.Date(), ""); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, ha, hb)
	ev = nextEvent(t, events, mb.ID())
	if ev.Origin != docs.FromPeer || !ev.Meta || len(ev.Sections) != 0 {
		t.Fatalf("title merge: %+v", ev)
	}
	// Attendance is metadata too.
	if err := ma.SetAttendee(minutes.Attendee{MemberID: "m1", Name: "Ann", Present: true}); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, ha, hb)
	if ev = nextEvent(t, events, mb.ID()); !ev.Meta || len(ev.Sections) != 0 {
		t.Fatalf("attendance merge: %+v", ev)
	}
	// Typing here: nothing named, the editor shows it.
	if err := mb.SpliceNotes("alerts", 0, 0, "x"); err != nil {
		t.Fatal(err)
	}
	if ev = nextEvent(t, events, mb.ID()); !ev.Typing() || !ev.Local() {
		t.Fatalf("typing: %+v", ev)
	}
	// A discrete local change of notes names its section.
	if err := mb.AppendNotes("incidents", "none"); err != nil {
		t.Fatal(err)
	}
	if ev = nextEvent(t, events, mb.ID()); ev.Origin != docs.FromLocal || ev.Meta || !slices.Contains(ev.Sections, "incidents") {
		t.Fatalf("append: %+v", ev)
	}
	// A saved document from a file.
	if err := ma.AppendNotes("worklog", "from a file"); err != nil {
		t.Fatal(err)
	}
	if err := hb.MergeSaved(ha.Save(), ""); err != nil {
		t.Fatal(err)
	}
	if ev = nextEvent(t, events, mb.ID()); ev.Origin != docs.FromFile || !slices.Equal(ev.Sections, []string{"worklog"}) {
		t.Fatalf("file merge: %+v", ev)
	}
	// Unwatched, nothing is compared: anything may have changed.
	unwatch()
	if err := ma.AppendNotes("worklog", "unwatched"); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, ha, hb)
	if ev = nextEvent(t, events, mb.ID()); !ev.Meta || len(ev.Sections) != 0 {
		t.Fatalf("unwatched merge: %+v", ev)
	}
}
