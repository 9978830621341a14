package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/editor"
	"github.com/pwg-team/pwg/crdt/search"
)

// SearchBox is the search across every meeting: a query entry and the
// matching lines, each with its meeting and section. Choosing a hit opens
// the meeting at that line.
//
// Typing never waits for a query: a query runs in a goroutine of its own
// for the text typed last, and its hits are shown on the UI goroutine. While
// one runs, the keystrokes that follow only mark the text changed; when it
// ends, its hits are dropped if the text changed meanwhile, and one more
// query runs for the text as it is then. So a burst of keystrokes costs at
// most two queries, and older hits never replace newer ones.
type SearchBox struct {
	u      *UI
	x      *search.Index
	entry  *widget.Entry
	list   *widget.List
	status *widget.Label
	hits   []search.Hit
	dlg    dialog.Dialog

	// The fields below are the UI goroutine's.
	gen       uint64 // bumped at every change of the text
	shownGen  uint64 // the generation whose hits are shown
	running   bool   // a query is in flight
	openFirst bool   // Enter was pressed before the text's hits came
	queries   int    // queries started (tests)
	// beforeQuery and onShown are test hooks: beforeQuery is called in the
	// query's goroutine before it runs, onShown on the UI goroutine once
	// the hits of the text typed last are shown.
	beforeQuery func(q string)
	onShown     func(q string)
}

// newSearchBox builds the search box on the workspace's index.
func (u *UI) newSearchBox() (*SearchBox, error) {
	x, err := search.Current(u.ws)
	if err != nil {
		return nil, err
	}
	b := &SearchBox{u: u, x: x, status: widget.NewLabel("")}
	b.entry = widget.NewEntry()
	b.entry.SetPlaceHolder(T("Search every meeting: words, 障害, \"a phrase\""))
	b.entry.OnChanged = func(string) { b.changed() }
	b.entry.OnSubmitted = func(string) { b.submit() }
	b.list = widget.NewList(func() int { return len(b.hits) },
		func() fyne.CanvasObject {
			where := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			where.Truncation = fyne.TextTruncateEllipsis
			line := widget.NewLabel("")
			line.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(where, line)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			h := b.hits[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(h.Date + "  " + h.MeetingTitle + "  ›  " + h.SectionTitle)
			box.Objects[1].(*widget.Label).SetText(strings.TrimSpace(h.Line))
		})
	b.list.OnSelected = func(i widget.ListItemID) { b.Open(i) }
	return b, nil
}

// SetQuery types q into the box and searches; the hits come once the
// query ran (OnShown).
func (b *SearchBox) SetQuery(q string) { b.entry.SetText(q) }

// Hits returns the hits shown.
func (b *SearchBox) Hits() []search.Hit { return b.hits }

// Status returns the line under the box ("1 line", "3 lines", "nothing found" …).
func (b *SearchBox) Status() string { return b.status.Text }

// Queries returns how many queries the box ran.
func (b *SearchBox) Queries() int { return b.queries }

// OnShown sets what is called (UI goroutine) each time the hits of the text
// in the box are shown, with that text.
func (b *SearchBox) OnShown(f func(q string)) { b.onShown = f }

// BeforeQuery sets what is called in a query's goroutine before the query
// runs, with its text (tests hold a query with it).
func (b *SearchBox) BeforeQuery(f func(q string)) { b.beforeQuery = f }

// changed follows a change of the text (UI goroutine).
func (b *SearchBox) changed() {
	b.gen++
	b.openFirst = false
	if len(search.Terms(b.entry.Text)) == 0 {
		b.show(b.entry.Text, nil, nil) // nothing to ask; a query in flight is dropped
		return
	}
	if !b.running {
		b.start()
	}
}

// start runs a query for the text in the box in a goroutine of its own
// (UI goroutine).
func (b *SearchBox) start() {
	q, gen, before := b.entry.Text, b.gen, b.beforeQuery
	b.running = true
	b.queries++
	go func() {
		if before != nil {
			before(q)
		}
		hits, err := b.x.Search(q, search.DefaultLimit)
		onUI(func() { b.ran(gen, q, hits, err) })
	}()
}

// ran takes the result of the query for the text of generation gen (UI
// goroutine): shown if the text did not change since, else dropped for a
// query of the text as it is now.
func (b *SearchBox) ran(gen uint64, q string, hits []search.Hit, err error) {
	b.running = false
	if gen == b.gen {
		b.show(q, hits, err)
		return
	}
	if len(search.Terms(b.entry.Text)) > 0 {
		b.start()
	}
}

// show shows the hits of q, the text in the box (UI goroutine).
func (b *SearchBox) show(q string, hits []search.Hit, err error) {
	b.shownGen = b.gen
	switch n := len(hits); {
	case err != nil:
		b.status.SetText(err.Error())
	case len(search.Terms(q)) == 0:
		b.status.SetText("")
	case n == 0:
		b.status.SetText(T("No meeting mentions %s", q))
	case n == 1:
		b.status.SetText(T("1 line"))
	case n >= search.DefaultLimit:
		b.status.SetText(T("The first %d lines; add a word to narrow the search", n))
	default:
		b.status.SetText(T("%d lines", n))
	}
	if err == nil {
		b.hits = hits
		b.list.UnselectAll()
		b.list.Refresh()
	}
	if b.openFirst {
		b.openFirst = false
		b.Open(0)
	}
	if b.onShown != nil {
		b.onShown(q)
	}
}

// submit opens the first hit of the text in the box (Enter): at once if
// its hits are shown, else once they come.
func (b *SearchBox) submit() {
	if b.shownGen != b.gen {
		b.openFirst = true
		return
	}
	b.Open(0)
}

// Open closes the box and opens hit i's meeting at its line.
func (b *SearchBox) Open(i int) {
	if i < 0 || i >= len(b.hits) {
		return
	}
	h := b.hits[i]
	if b.dlg != nil {
		b.dlg.Hide()
	}
	b.u.OpenAt(h.MeetingID, h.Section, h.Line)
}

// showSearch opens the search box (Ctrl+K).
func (u *UI) showSearch() {
	b, err := u.newSearchBox()
	if err != nil {
		u.showError(err)
		return
	}
	content := container.NewBorder(container.NewVBox(b.entry, b.status), nil, nil, nil, b.list)
	b.dlg = dialog.NewCustom(T("Search all meetings"), T("Close"), content, u.win)
	b.dlg.Resize(fyne.NewSize(900, 600))
	b.dlg.Show()
	u.win.Canvas().Focus(b.entry)
	u.search = b
}

// Search returns the search box last opened, or nil.
func (u *UI) Search() *SearchBox { return u.search }

// OpenAt opens a meeting, scrolls to a section and puts the caret at the
// start of the first line equal to line (the section's start when the line
// changed since).
func (u *UI) OpenAt(meetingID, section, line string) {
	if u.view == nil || u.view.m.ID() != meetingID {
		u.ShowMeeting(meetingID)
	}
	if u.view == nil || u.view.m.ID() != meetingID {
		return
	}
	u.view.ScrollTo(section)
	sv := u.view.Section(section)
	if sv == nil {
		return
	}
	ed := sv.Editor()
	off := max(search.LineOffset(ed.Value(), line), 0)
	placeCaret(ed, off)
	u.win.Canvas().Focus(ed)
}

// placeCaret moves an editor's caret to a code point offset.
func placeCaret(n editor.Notes, off int) {
	switch e := n.(type) {
	case *editor.LongEditor:
		e.Select(off, off)
	case *editor.Editor:
		row, col := 0, 0
		for i, r := range []rune(e.Text) {
			if i == off {
				break
			}
			if r == '\n' {
				row, col = row+1, 0
			} else {
				col++
			}
		}
		e.CursorRow, e.CursorColumn = row, col
		e.Refresh()
	}
}
