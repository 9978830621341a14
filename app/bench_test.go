package app_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/minutes"
)

// buildLongMeeting gives the workspace in dir a meeting whose "topics"
// notes were made by changes commits (a long, much edited history), ending
// with marker; it is saved and the workspace closed.
func buildLongMeeting(tb testing.TB, dir string, changes int, marker string) (id string) {
	tb.Helper()
	ws, err := minutes.Open(dir, minutes.Options{Name: "bench"})
	if err != nil {
		tb.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.Setup("bench", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); err != nil {
		tb.Fatal(err)
	}
	infos, _ := ws.Meetings()
	m, _ := ws.Meeting(infos[0].ID)
	r := rand.New(rand.NewPCG(1, 2))
	err = m.Handle().Read(func(d *automerge.Doc) error {
		v, err := d.Path("sections", "topics", "notes").Get()
		if err != nil {
			return err
		}
		t := v.Text()
		for i := 0; i < changes; i++ {
			pos := t.Len()
			if pos > 0 && r.IntN(4) == 0 {
				pos = r.IntN(pos)
			}
			ins := "x"
			if i%60 == 59 {
				ins = "\n"
			}
			if err := t.Splice(pos, 0, ins); err != nil {
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
	if err := m.AppendNotes("topics", marker); err != nil { // saves all of it
		tb.Fatal(err)
	}
	return m.ID()
}

// shows reports whether a label under o shows text containing s.
func shows(o fyne.CanvasObject, s string) bool {
	switch w := o.(type) {
	case *widget.Label:
		return strings.Contains(w.Text, s)
	case *fyne.Container:
		for _, c := range w.Objects {
			if shows(c, s) {
				return true
			}
		}
	case *container.Scroll:
		return shows(w.Content, s)
	}
	return false
}

// BenchmarkOpenLongHistoryVisible: the window starts on a workspace whose
// latest meeting has 20,000 changes of history. Timed from opening the
// workspace until the meeting's text is on screen (visible-ms: from its
// stored plain-text view), and until it can be edited (editable-ms: its
// Automerge document loaded and the editable view built).
func BenchmarkOpenLongHistoryVisible(b *testing.B) {
	dir := b.TempDir()
	const marker = "末尾の行 end of the minutes"
	id := buildLongMeeting(b, dir, 20000, marker)
	a := test.NewTempApp(b)
	// What must be on screen: the start of the long section's notes.
	var want string
	{
		ws, err := minutes.Open(dir, minutes.Options{})
		if err != nil {
			b.Fatal(err)
		}
		m, err := ws.Meeting(id)
		if err != nil {
			b.Fatal(err)
		}
		notes, _ := m.Notes("topics")
		want = string([]rune(notes)[:40])
		ws.Close()
	}
	var opened, visible, editable time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		ws, err := minutes.Open(dir, minutes.Options{})
		if err != nil {
			b.Fatal(err)
		}
		opened += time.Since(t0)
		// The load finishes on its own goroutine; Fyne's test driver runs
		// its fyne.Do there at once, so the window is only read again
		// after it said so (reading it meanwhile raced with the load).
		ready := make(chan string, 1)
		u := app.New(a, ws, app.Options{OnEditable: func(id string) { ready <- id }})
		if !shows(u.Window().Content(), want) {
			b.Fatal("the meeting's text is not shown at once")
		}
		visible += time.Since(t0)
		select {
		case got := <-ready:
			if got != id {
				b.Fatalf("meeting %s became editable, want %s", got, id)
			}
		case <-time.After(30 * time.Second):
			b.Fatal("the meeting did not become editable")
		}
		editable += time.Since(t0)
		b.StopTimer()
		u.Window().Close()
		ws.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(visible.Microseconds())/1000/float64(b.N), "visible-ms")
	b.ReportMetric(float64(editable.Microseconds())/1000/float64(b.N), "editable-ms")
	b.ReportMetric(float64(opened.Microseconds())/1000/float64(b.N), "workspace-open-ms")
}

// BenchmarkRemoteKeystrokeUI: a meeting of 11 sections with 5,000
// characters each is open in the window; a peer's keystroke in one section
// is merged, and the change event is applied on the UI goroutine. ui-ms is
// the work done there (p50; p99 reported too), the merge excluded.
func BenchmarkRemoteKeystrokeUI(b *testing.B) {
	a := test.NewTempApp(b)
	ws, err := minutes.Open(b.TempDir(), minutes.Options{Name: "me"})
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.Setup("bench", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); err != nil {
		b.Fatal(err)
	}
	infos, _ := ws.Meetings()
	m, _ := ws.Meeting(infos[0].ID)
	secs, _ := m.Sections()
	if len(secs) != 11 {
		b.Fatalf("%d sections", len(secs))
	}
	line := strings.Repeat("アラート CPU しきい値 見直し ", 3) + "\n"
	for _, s := range secs {
		text := strings.Repeat(line, 5000/len([]rune(line))+1)
		if err := m.AppendNotes(s.Key, string([]rune(text)[:5000])); err != nil {
			b.Fatal(err)
		}
	}
	// The peer: a second workspace with the same meeting.
	peer, err := minutes.Open(b.TempDir(), minutes.Options{Name: "peer"})
	if err != nil {
		b.Fatal(err)
	}
	defer peer.Close()
	for _, id := range []string{mustSeriesID(b, ws), m.ID()} {
		src, _ := ws.Doc(id)
		dst, _ := peer.EnsureDoc(id)
		if err := dst.MergeSaved(src.Save(), ""); err != nil {
			b.Fatal(err)
		}
	}
	pm, err := peer.Meeting(m.ID())
	if err != nil {
		b.Fatal(err)
	}
	u := app.New(a, ws, app.Options{})
	defer u.Window().Close()
	if u.Current() == nil || u.Current().Meeting().ID() != m.ID() {
		b.Fatal("meeting not open")
	}
	events, stop := ws.Subscribe()
	defer stop()
	mine, theirs := m.Handle(), pm.Handle()
	sMine, _ := mine.NewSyncState(nil)
	sTheirs, _ := theirs.NewSyncState(nil)
	exchange := func() {
		for range 10 {
			x, okA := theirs.GenerateSyncMessage(sTheirs)
			if okA {
				if err := mine.ReceiveSyncMessage(sMine, x, "peer"); err != nil {
					b.Fatal(err)
				}
			}
			y, okB := mine.GenerateSyncMessage(sMine)
			if okB {
				if err := theirs.ReceiveSyncMessage(sTheirs, y, "me"); err != nil {
					b.Fatal(err)
				}
			}
			if !okA && !okB {
				return
			}
		}
	}
	exchange()
	drain := func() {
		for {
			select {
			case <-events:
			default:
				return
			}
		}
	}
	key := secs[5].Key
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		drain()
		if err := pm.SpliceNotes(key, 100+i%1000, 0, "k"); err != nil {
			b.Fatal(err)
		}
		exchange()
		var ev docs.Event
		for ev.Origin != docs.FromPeer || len(ev.Sections) == 0 {
			ev = <-events
		}
		b.StartTimer()
		t0 := time.Now()
		u.Apply(ev)
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	if got, _ := m.Notes(key); !strings.Contains(got, "k") {
		b.Fatal("keystrokes did not arrive")
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ui-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ui-ms")
}

func mustSeriesID(tb testing.TB, ws *minutes.Workspace) string {
	s, err := ws.Series()
	if err != nil {
		tb.Fatal(err)
	}
	return s.ID()
}

// BenchmarkLocalKeystrokeApply: a workspace holding a year of meetings
// (24) is open on one whose SLOs name a revisit date; what the window does
// on the UI goroutine with the change event of one local keystroke (a
// Typing event: the editor shows the keystroke already).
func BenchmarkLocalKeystrokeApply(b *testing.B) {
	a := test.NewTempApp(b)
	ws, err := minutes.Open(b.TempDir(), minutes.Options{Name: "me"})
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.Setup("bench", time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		b.Fatal(err)
	}
	var last *minutes.Meeting
	for i := range 24 {
		d := time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 15*i)
		if last, err = ws.NewMeeting("PWG "+d.Format("2006-01-02"), d.Format(time.DateOnly)); err != nil {
			b.Fatal(err)
		}
	}
	if err := last.PutSLO(minutes.SLORow{Name: "availability", Objective: "99.9%", RevisitDate: "2026-10-01"}); err != nil {
		b.Fatal(err)
	}
	u := app.New(a, ws, app.Options{})
	defer u.Window().Close()
	u.ShowMeeting(last.ID())
	<-u.RevisitsShown()
	ev := docs.Event{DocID: last.ID(), Origin: docs.FromLocal}
	for b.Loop() {
		u.Apply(ev)
	}
	b.StopTimer()
	<-u.RevisitsShown()
}
