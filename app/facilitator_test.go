package app_test

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestFacilitatorNavigationTimerAndLiveNotes(t *testing.T) {
	u, _ := newUI(t)
	m := u.Current().Meeting()
	clock := &fakeClock{t: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
	var moves []string
	f := app.NewFacilitatorView(m, app.FacilitatorOptions{
		Clock:  clock.now,
		OnMove: func(k string) { moves = append(moves, k) },
		Panes: func(kind string) fyne.CanvasObject {
			if kind == "alerts" {
				return widget.NewLabel("alerts pane")
			}
			return nil
		},
	})
	w := test.NewWindow(f.Object())
	defer w.Close()
	w.Resize(fyne.NewSize(1280, 720))
	if f.Current() != "previous-actions" {
		t.Fatalf("starts at %q", f.Current())
	}
	// Keys: → next, ← previous.
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if f.Current() != "alerts" {
		t.Fatalf("after 3× next: %q", f.Current())
	}
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft})
	if f.Current() != "worklog" || strings.Join(moves, ",") != "incidents,worklog,alerts,worklog" {
		t.Fatalf("current %q moves %v", f.Current(), moves)
	}
	// Timer: space starts, time passes, space pauses; over the timebox is flagged.
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	clock.t = clock.t.Add(4 * time.Minute)
	if !f.Timer().Running() || f.Timer().Elapsed() != 4*time.Minute || f.OverTime() {
		t.Fatalf("timer running=%v elapsed=%v over=%v", f.Timer().Running(), f.Timer().Elapsed(), f.OverTime())
	}
	clock.t = clock.t.Add(7 * time.Minute) // worklog's timebox is 10 min
	f.Tick()
	if !f.OverTime() {
		t.Fatal("11 min of a 10 min timebox not flagged")
	}
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	clock.t = clock.t.Add(time.Hour)
	if f.Timer().Running() || f.Timer().Elapsed() != 11*time.Minute {
		t.Fatalf("paused timer moved: %v", f.Timer().Elapsed())
	}
	// Moving on restarts the count.
	f.Next()
	if f.Timer().Elapsed() != 0 {
		t.Fatalf("new section starts at %v", f.Timer().Elapsed())
	}
	// Live: notes typed elsewhere appear after the document event.
	if err := m.AppendNotes("alerts", "- **CPU** noisy: raise to 90%"); err != nil {
		t.Fatal(err)
	}
	f.Reload()
	if !strings.Contains(f.NotesMarkdown(), "raise to 90%") {
		t.Fatalf("notes shown: %q", f.NotesMarkdown())
	}
	test.AssertRendersToMarkup(t, "facilitator.xml", w.Canvas())
}

func TestTimerText(t *testing.T) {
	cases := []struct {
		d    time.Duration
		box  int
		want string
		over bool
	}{
		{90 * time.Second, 5, "01:30 / 05:00", false},
		{5*time.Minute + 30*time.Second, 5, "05:30 / 05:00  (+00:30)", true},
		{0, 0, "00:00", false},
	}
	for _, c := range cases {
		got, over := app.TimerText(c.d, c.box)
		if got != c.want || over != c.over {
			t.Errorf("TimerText(%v, %d) = %q %v, want %q %v", c.d, c.box, got, over, c.want, c.over)
		}
	}
}
