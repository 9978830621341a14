package app_test

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/app"
)

// recv takes the next value of ch, failing the test after 30 s.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: nothing within 30 s", what)
		panic("unreachable")
	}
}

// searchFor types q into the box and waits for its hits. The query is
// held until the typing is done: the test driver runs what the real one
// queues for the UI goroutine at once, on the query's goroutine, which
// would lay out the box beside the typing.
func searchFor(t *testing.T, b *app.SearchBox, q string) {
	t.Helper()
	shown, typed := make(chan string, 16), make(chan struct{})
	b.OnShown(func(q string) { shown <- q })
	b.BeforeQuery(func(string) { <-typed })
	b.SetQuery(q)
	close(typed)
	for got := ""; got != q; {
		got = recv(t, shown, "hits of "+q)
	}
}

// TestSearchTypingNeverWaitsForAQuery: the keystrokes typed while a query
// runs cost one more query, for the text typed last; the older query's hits
// are never shown; Enter before the hits came opens the first hit once they
// come.
func TestSearchTypingNeverWaitsForAQuery(t *testing.T) {
	u, ms, b := openSearch(t)
	if err := ms[0].AppendNotes("topics", "閾という字"); err != nil {
		t.Fatal(err)
	}
	c := u.Window().Canvas()
	asked, hold := make(chan string, 16), make(chan struct{})
	b.BeforeQuery(func(q string) {
		asked <- q
		<-hold
	})
	shown := make(chan string, 16)
	b.OnShown(func(q string) { shown <- q })

	const final = "閾値を上げた"
	entry := c.Focused()
	if entry == nil {
		t.Fatal("the search box's entry is not focused")
	}
	test.Type(entry, final) // returns while the first query is held
	if q := recv(t, asked, "the first query"); q != "閾" {
		t.Fatalf("first query for %q, want the first keystroke's text", q)
	}
	select {
	case q := <-asked:
		t.Fatalf("a second query (%q) started while the first ran", q)
	case q := <-shown:
		t.Fatalf("hits of %q shown while the query was held", q)
	default:
	}
	close(hold)
	if q := recv(t, shown, "hits"); q != final {
		t.Fatalf("hits shown for %q, want only those of %q", q, final)
	}
	if q := recv(t, asked, "the second query"); q != final {
		t.Errorf("second query for %q, want %q", q, final)
	}
	if n := b.Queries(); n != 2 {
		t.Errorf("%d queries for a burst of %d keystrokes, want 2", n, len([]rune(final)))
	}
	hits := b.Hits()
	if len(hits) != 1 || hits[0].MeetingID != ms[1].ID() || !strings.Contains(hits[0].Line, final) || b.Status() != "1 line" {
		t.Fatalf("hits = %+v (%s)", hits, b.Status())
	}

	// Enter while the hits of the text are not there yet.
	hold = make(chan struct{})
	b.BeforeQuery(func(string) { <-hold })
	b.SetQuery("CPUアラート")
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if u.Current().Meeting().ID() != ms[2].ID() {
		t.Fatal("Enter opened a meeting before the hits of the text came")
	}
	close(hold)
	if q := recv(t, shown, "hits after Enter"); q != "CPUアラート" {
		t.Fatalf("hits shown for %q", q)
	}
	if v := u.Current(); v.Meeting().ID() != ms[1].ID() || v.Focused() != "alerts" {
		t.Errorf("Enter opened %s at %q, want the hit's meeting at alerts", v.Meeting().ID(), v.Focused())
	}
}
