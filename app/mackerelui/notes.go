package mackerelui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/i18n"
	"github.com/pwg-team/pwg/integrations/mackerel"
)

// GraphNotes are the team's notes on the dashboard's graphs ("upper limit
// 1000 connections; alarming only above 800"), kept in the team's series
// document; key is mackerel.GraphSpec.Key.
type GraphNotes interface {
	GraphNote(key string) (note string, ok bool)
	SetGraphNote(key, title, note string) error
}

// noteRow is the note shown under one graph.
type noteRow struct {
	key, title string
	label      *widget.Label
	box        fyne.CanvasObject
	missing    bool // no note when last shown
}

// noNote is what a graph without a note says, so the team fills it in.
const noNote = "No note yet: what is this graph for, and when is it alarming?"

// noteRow returns the note line of a graph widget (nil without Notes).
func (p *DashboardPane) noteRow(w mackerel.Widget) fyne.CanvasObject {
	if p.opt.Notes == nil {
		return nil
	}
	n := &noteRow{key: w.Graph.Key(), title: w.Title}
	n.label = widget.NewLabel("")
	n.label.Wrapping = fyne.TextWrapWord
	edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { p.editNote(n) })
	n.box = container.NewBorder(nil, nil, nil, edit, n.label)
	if p.notes == nil {
		p.notes = map[string]*noteRow{}
	}
	p.notes[n.key] = n
	p.showNote(n)
	return n.box
}

func (p *DashboardPane) showNote(n *noteRow) {
	text, ok := p.opt.Notes.GraphNote(n.key)
	n.missing = !ok
	if ok {
		n.label.SetText(text)
		n.label.Importance = widget.MediumImportance
		n.label.TextStyle.Italic = false
	} else {
		n.label.SetText(noNote)
		n.label.Importance = widget.WarningImportance
		n.label.TextStyle.Italic = true
	}
	n.label.Refresh()
}

// RefreshNotes shows the notes as they now are (after a sync).
func (p *DashboardPane) RefreshNotes() {
	for _, n := range p.notes {
		p.showNote(n)
	}
	p.showNoteCount()
}

// showNoteCount adds to the status line how many graphs still lack a
// note, so the team fills them in. It counts the notes as showNote last
// read them (it follows showNote), so a sync reads each note once.
func (p *DashboardPane) showNoteCount() {
	if p.opt.Notes == nil || p.statusBase == "" {
		return
	}
	text := p.statusBase
	missing := 0
	for _, n := range p.notes {
		if n.missing {
			missing++
		}
	}
	if missing > 0 {
		text += i18n.T(" · %d of %d graphs without a note", missing, len(p.notes))
	}
	p.status.SetText(text)
}

// Status returns the pane's status line.
func (p *DashboardPane) Status() string { return p.status.Text }

// NoteText returns the note line shown under the graph titled title, and
// whether the graph is shown.
func (p *DashboardPane) NoteText(title string) (string, bool) {
	for _, n := range p.notes {
		if n.title == title {
			return n.label.Text, true
		}
	}
	return "", false
}

// GraphsWithoutNote counts the graphs shown that have no note yet.
func (p *DashboardPane) GraphsWithoutNote() int {
	c := 0
	for _, n := range p.notes {
		if _, ok := p.opt.Notes.GraphNote(n.key); !ok {
			c++
		}
	}
	return c
}

func (p *DashboardPane) editNote(n *noteRow) {
	if p.opt.Window == nil {
		return
	}
	e := widget.NewMultiLineEntry()
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(4)
	e.SetPlaceHolder(i18n.T("What it is for, how it breaks, its limits (\"limit 1000; 10 → 100 is no emergency\")"))
	if text, ok := p.opt.Notes.GraphNote(n.key); ok {
		e.SetText(text)
	}
	d := dialog.NewForm(i18n.T("Note on %q", n.title), i18n.T("Save"), i18n.T("Cancel"),
		[]*widget.FormItem{widget.NewFormItem(i18n.T("Note"), e)}, func(ok bool) {
			if !ok {
				return
			}
			if err := p.opt.Notes.SetGraphNote(n.key, n.title, e.Text); err != nil {
				showError(err, p.opt.Window)
				p.opt.acted("note", err)
				return
			}
			p.showNote(n)
			p.showNoteCount()
			p.opt.acted("note", nil)
		}, p.opt.Window)
	d.Resize(fyne.NewSize(560, 300))
	d.Show()
}
