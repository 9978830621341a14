package minutes_test

import "testing"

// MeetingStamp reads one meeting's stamp; it must agree with the stamp
// MeetingStamps lists for it, follow a save, and say no for what is not a
// stored meeting.
func TestMeetingStampAgreesWithMeetingStamps(t *testing.T) {
	ws, m := setup(t, t.TempDir())
	defer ws.Close()
	check := func() string {
		t.Helper()
		all, err := ws.MeetingStamps()
		if err != nil {
			t.Fatal(err)
		}
		one, ok, err := ws.MeetingStamp(m.ID())
		if err != nil || !ok {
			t.Fatalf("MeetingStamp(%s) = %q, %v, %v", m.ID(), one, ok, err)
		}
		if one != all[m.ID()] {
			t.Fatalf("MeetingStamp = %q, MeetingStamps has %q", one, all[m.ID()])
		}
		return one
	}
	before := check()
	if err := m.AppendNotes("topics", "a new line"); err != nil {
		t.Fatal(err)
	}
	if err := ws.Flush(); err != nil {
		t.Fatal(err)
	}
	if after := check(); after == before {
		t.Fatalf("stamp %q did not change with a save", after)
	}
	for _, id := range []string{m.SeriesID(), "no-such-document"} {
		if s, ok, err := ws.MeetingStamp(id); err != nil || ok {
			t.Errorf("MeetingStamp(%s) = %q, %v, %v; want not found", id, s, ok, err)
		}
	}
}
