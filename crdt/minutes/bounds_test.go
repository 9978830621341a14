package minutes_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// TestBoundsRefuseAndKeep: a paste over MaxInsert, notes over MaxNotes and
// titles over MaxTitle are refused with ErrTooLong, and the meeting keeps
// what it had.
func TestBoundsRefuseAndKeep(t *testing.T) {
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.Setup("SRE", time.Now()); err != nil {
		t.Fatal(err)
	}
	infos, _ := ws.Meetings()
	m, _ := ws.Meeting(infos[0].ID)
	secs, _ := m.Sections()
	key := secs[0].Key
	if err := m.AppendNotes(key, "kept"); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("議", minutes.MaxInsert+1)
	if err := m.SpliceNotes(key, 0, 0, big); !errors.Is(err, minutes.ErrTooLong) {
		t.Fatalf("paste of %d characters: %v, want ErrTooLong", minutes.MaxInsert+1, err)
	}
	if err := m.AppendNotes(key, big); !errors.Is(err, minutes.ErrTooLong) {
		t.Fatalf("append of %d characters: %v, want ErrTooLong", minutes.MaxInsert+1, err)
	}
	// Up to MaxInsert at once is fine, until the section is full.
	chunk := strings.Repeat("x", minutes.MaxInsert)
	var full error
	for i := 0; i < minutes.MaxNotes/minutes.MaxInsert+1 && full == nil; i++ {
		full = m.SpliceNotes(key, 0, 0, chunk)
	}
	if !errors.Is(full, minutes.ErrTooLong) {
		t.Fatalf("notes past %d characters: %v, want ErrTooLong", minutes.MaxNotes, full)
	}
	notes, _ := m.Notes(key)
	if n := len([]rune(notes)); n > minutes.MaxNotes || !strings.HasSuffix(notes, "kept") {
		t.Fatalf("notes hold %d characters ending %q", n, notes[max(0, len(notes)-8):])
	}
	long := strings.Repeat("t", minutes.MaxTitle+1)
	if _, err := ws.NewMeeting(long, "2026-01-20"); !errors.Is(err, minutes.ErrTooLong) {
		t.Fatalf("meeting title of %d characters: %v", minutes.MaxTitle+1, err)
	}
	if err := m.Agenda().Rename(key, long); !errors.Is(err, minutes.ErrTooLong) {
		t.Fatalf("section title of %d characters: %v", minutes.MaxTitle+1, err)
	}
	if secs2, _ := m.Sections(); secs2[0].Title != secs[0].Title {
		t.Fatalf("section title changed to %q", secs2[0].Title)
	}
}
