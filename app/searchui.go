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
type SearchBox struct {
	u      *UI
	x      *search.Index
	entry  *widget.Entry
	list   *widget.List
	status *widget.Label
	hits   []search.Hit
	dlg    dialog.Dialog
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
	b.entry.OnChanged = func(string) { b.run() }
	b.entry.OnSubmitted = func(string) {
		if len(b.hits) > 0 {
			b.Open(0)
		}
	}
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

// SetQuery types q into the box and searches.
func (b *SearchBox) SetQuery(q string) { b.entry.SetText(q) }

// Hits returns the hits shown.
func (b *SearchBox) Hits() []search.Hit { return b.hits }

// Status returns the line under the box ("3 lines", "nothing found" …).
func (b *SearchBox) Status() string { return b.status.Text }

func (b *SearchBox) run() {
	q := b.entry.Text
	if len(search.Terms(q)) == 0 {
		b.hits = nil
		b.status.SetText("")
		b.list.Refresh()
		return
	}
	hits, err := b.x.Search(q, search.DefaultLimit)
	if err != nil {
		b.status.SetText(err.Error())
		return
	}
	b.hits = hits
	switch n := len(hits); {
	case n == 0:
		b.status.SetText(T("No meeting mentions %s", q))
	case n >= search.DefaultLimit:
		b.status.SetText(T("The first %d lines; add a word to narrow the search", n))
	default:
		b.status.SetText(T("%d lines", n))
	}
	b.list.UnselectAll()
	b.list.Refresh()
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
