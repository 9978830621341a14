package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// openFromPreview shows meeting id at once from its stored plain-text view
// (minutes.Preview) while its Automerge document loads on another
// goroutine (a long history takes hundreds of milliseconds); the editable
// view replaces it once loaded. It reports false when the meeting is
// loaded already or has no stored view (then openMeeting loads it here).
func (u *UI) openFromPreview(id string) bool {
	if u.ws.Loaded(id) {
		return false
	}
	p, err := u.ws.Preview(id)
	if err != nil {
		return false
	}
	if u.view != nil {
		u.view.close()
		u.view = nil
	}
	u.renewPaneLife()
	u.loading = id
	u.centre.Objects = []fyne.CanvasObject{previewPage(p)}
	u.centre.Refresh()
	go func() {
		_, err := u.ws.Meeting(id) // loads the document
		onUI(func() {
			if u.loading != id {
				return // another meeting was picked meanwhile
			}
			u.loading = ""
			if err != nil {
				u.showError(err)
				return
			}
			u.openMeeting(id)
			if u.opts.OnEditable != nil {
				u.opts.OnEditable(id)
			}
		})
	}()
	return true
}

// previewPage is a meeting's sections as plain, read-only text.
func previewPage(p minutes.Preview) fyne.CanvasObject {
	head := widget.NewLabelWithStyle(p.Title+"  —  "+p.Date, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	objs := []fyne.CanvasObject{head, widget.NewLabel(T("Opening the meeting for editing…"))}
	for _, s := range p.Sections {
		objs = append(objs, widget.NewLabelWithStyle(s.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		notes := widget.NewLabel(previewText(s.Notes))
		notes.Wrapping = fyne.TextWrapWord
		objs = append(objs, notes)
	}
	return container.NewVScroll(container.NewVBox(objs...))
}

// previewText is the start of a section's notes, as much as a window shows
// at once (laying out a whole long section would cost what the preview
// saves).
func previewText(s string) string {
	const maxLines, maxRunes = 40, 4000
	lines := 0
	for i, r := range s {
		if r == '\n' {
			lines++
		}
		if lines == maxLines || i >= maxRunes*3 {
			return s[:i] + " …"
		}
	}
	if rs := []rune(s); len(rs) > maxRunes {
		return string(rs[:maxRunes]) + " …"
	}
	return s
}
