package search

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// BenchmarkIndexUpdatePersisted is the whole cost the index adds to a
// persisted change: read the stamps and the meeting's plain-text view kept
// with the save, diff, write. The meeting holds a year's worth of
// text in one section (50,000 characters) besides the template's sections;
// each change is a typing pause's worth of characters, committed first.
func BenchmarkIndexUpdatePersisted(b *testing.B) {
	ws, err := minutes.Open(b.TempDir(), minutes.Options{Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.Setup("Bench", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		b.Fatal(err)
	}
	infos, _ := ws.Meetings()
	m, err := ws.Meeting(infos[0].ID)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 8))
	if err := m.AppendNotes("topics", synthNotes(r, 50000)); err != nil {
		b.Fatal(err)
	}
	x, err := Open(ws.DB())
	if err != nil {
		b.Fatal(err)
	}
	defer Forget(ws.DB())
	if _, err := CatchUp(ws, x); err != nil {
		b.Fatal(err)
	}
	n := len([]rune(mustNotes(b, m, "topics")))
	lat := make([]time.Duration, 0, b.N)
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		if err := m.SpliceNotes("topics", r.IntN(n), 0, fmt.Sprintf("追記%d", i%10)); err != nil {
			b.Fatal(err)
		}
		n += 3
		if err := m.Handle().Flush(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		if err := indexMeeting(ws, x, m.ID()); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	reportLatencies(b, lat)
}

func mustNotes(b *testing.B, m *minutes.Meeting, key string) string {
	s, err := m.Notes(key)
	if err != nil {
		b.Fatal(err)
	}
	return s
}
