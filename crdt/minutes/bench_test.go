package minutes_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/minutes"
)

// buildLongSection gives a meeting a section of about chars characters made
// by changes commits (the history of a long, much edited section), persisted.
func buildLongSection(tb testing.TB, dir string, chars, changes int) (id string) {
	tb.Helper()
	ws, err := minutes.Open(dir, minutes.Options{Name: "bench"})
	if err != nil {
		tb.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.Setup("bench", time.Now()); err != nil {
		tb.Fatal(err)
	}
	infos, _ := ws.Meetings()
	m, _ := ws.Meeting(infos[0].ID)
	if err := m.AppendNotes("topics", ""); err != nil {
		tb.Fatal(err)
	}
	per := chars / changes
	r := rand.New(rand.NewPCG(1, 2))
	// Commit directly on the document to build the history fast; Flush then
	// persists it like any batch.
	err = m.Handle().Read(func(d *automerge.Doc) error {
		v, err := d.Path("sections", "topics", "notes").Get()
		if err != nil {
			return err
		}
		t := v.Text()
		for i := 0; i < changes; i++ {
			n := t.Len()
			pos := n
			if n > 0 && r.IntN(4) == 0 {
				pos = r.IntN(n)
			}
			if err := t.Splice(pos, 0, strings.Repeat("x", per-1)+"\n"); err != nil {
				return err
			}
			if _, err := d.Commit(fmt.Sprintf(`{"by":"bench","what":"%d"}`, i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := m.Handle().Flush(); err != nil {
		tb.Fatal(err)
	}
	// Flush only persists pending edits; save what was committed above.
	if err := m.AppendNotes("topics", "end"); err != nil {
		tb.Fatal(err)
	}
	return m.ID()
}

// BenchmarkKeystrokePersisted measures one keystroke in a section of 50,000
// characters with 20,000 changes of history: splice, commit, incremental
// save and SQLite insert (the path of a typing pause or of a sync).
func BenchmarkKeystrokePersisted(b *testing.B) {
	dir := b.TempDir()
	id := buildLongSection(b, dir, 50000, 20000)
	ws, err := minutes.Open(dir, minutes.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	m, err := ws.Meeting(id)
	if err != nil {
		b.Fatal(err)
	}
	notes, _ := m.Notes("topics")
	n := len([]rune(notes))
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := m.SpliceNotes("topics", (i*7919)%n, 0, "k"); err != nil {
			b.Fatal(err)
		}
		if err := m.Handle().Flush(); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		n++
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkOpenMeetingLongHistory measures opening a workspace and a meeting
// whose history holds 20,000 changes (a year of monthly meetings' worth of
// typing in one document), up to its sections being readable.
func BenchmarkOpenMeetingLongHistory(b *testing.B) {
	dir := b.TempDir()
	id := buildLongSection(b, dir, 50000, 20000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ws, err := minutes.Open(dir, minutes.Options{})
		if err != nil {
			b.Fatal(err)
		}
		m, err := ws.Meeting(id)
		if err != nil {
			b.Fatal(err)
		}
		if secs, err := m.Sections(); err != nil || len(secs) == 0 {
			b.Fatal(err)
		}
		b.StopTimer()
		ws.Close()
		b.StartTimer()
	}
}

// buildYear makes a workspace holding a year of monthly meetings: 12
// meetings whose 11 sections were each typed to about 1,500 characters in
// batches of 20 keystrokes (825 commits per meeting), and 60 action items.
func buildYear(tb testing.TB, dir string) (latest string) {
	tb.Helper()
	ws, err := minutes.Open(dir, minutes.Options{Name: "bench"})
	if err != nil {
		tb.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.NewSeries("bench", minutes.PWGTemplate()); err != nil {
		tb.Fatal(err)
	}
	for month := 1; month <= 12; month++ {
		m, err := ws.NewMeeting(fmt.Sprintf("PWG 2026-%02d", month), fmt.Sprintf("2026-%02d-20", month))
		if err != nil {
			tb.Fatal(err)
		}
		secs, _ := m.Sections()
		err = m.Handle().Read(func(d *automerge.Doc) error {
			for _, s := range secs {
				v, err := d.Path("sections", s.Key, "notes").Get()
				if err != nil {
					return err
				}
				t := v.Text()
				for batch := 0; batch < 75; batch++ {
					for k := 0; k < 20; k++ {
						if err := t.Splice(t.Len(), 0, "議"); err != nil {
							return err
						}
					}
					if _, err := d.Commit(`{"by":"bench"}`); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
		if err := m.AppendNotes("impressions", "end"); err != nil {
			tb.Fatal(err)
		}
		for i := 0; i < 5; i++ {
			if _, err := m.AddActionItem(minutes.ActionItem{Title: fmt.Sprintf("todo %d-%d", month, i), Owner: "sre"}); err != nil {
				tb.Fatal(err)
			}
		}
		latest = m.ID()
	}
	return latest
}

// BenchmarkOpenMeetingAfterAYear measures what the window does at start
// after a year of monthly PWGs: open the workspace, list the meetings, load
// the latest meeting and read its sections and action items.
func BenchmarkOpenMeetingAfterAYear(b *testing.B) {
	dir := b.TempDir()
	id := buildYear(b, dir)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ws, err := minutes.Open(dir, minutes.Options{})
		if err != nil {
			b.Fatal(err)
		}
		infos, err := ws.Meetings()
		if err != nil || len(infos) != 12 || infos[0].ID != id {
			b.Fatalf("meetings %v %v", len(infos), err)
		}
		m, err := ws.Meeting(id)
		if err != nil {
			b.Fatal(err)
		}
		if secs, err := m.Sections(); err != nil || len(secs) != 11 {
			b.Fatal(err)
		}
		if _, _, err := m.ActionItems(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		ws.Close()
		b.StartTimer()
	}
}
