package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// AgendaEditor edits an agenda (this meeting's, or the team's template for
// the meetings to come): rename, move up/down, remove, add. Each action is a
// change of its own, so concurrent edits by others merge.
type AgendaEditor struct {
	agenda  *minutes.Agenda
	onError func(error)
	rows    *fyne.Container
	changed func()
}

// NewAgendaEditor builds the editor of agenda; changed runs after each edit.
func NewAgendaEditor(agenda *minutes.Agenda, onError func(error), changed func()) *AgendaEditor {
	e := &AgendaEditor{agenda: agenda, onError: onError, changed: changed, rows: container.NewVBox()}
	e.Refresh()
	return e
}

// Object returns the editor's canvas object.
func (e *AgendaEditor) Object() fyne.CanvasObject {
	title := widget.NewEntry()
	title.SetPlaceHolder(T("New section title"))
	add := widget.NewButtonWithIcon(T("Add section"), theme.ContentAddIcon(), func() {
		if _, err := e.agenda.Add(title.Text, minutes.SectionNotes, 5); err != nil {
			e.onError(err)
			return
		}
		title.SetText("")
		e.done()
	})
	return container.NewBorder(nil, container.NewBorder(nil, nil, nil, add, title), nil, nil, container.NewVScroll(e.rows))
}

func (e *AgendaEditor) done() {
	e.Refresh()
	if e.changed != nil {
		e.changed()
	}
}

func (e *AgendaEditor) do(err error) {
	if err != nil {
		e.onError(err)
		return
	}
	e.done()
}

// Refresh reloads the rows.
func (e *AgendaEditor) Refresh() {
	secs, err := e.agenda.Sections()
	if err != nil {
		e.onError(err)
		return
	}
	objs := make([]fyne.CanvasObject, 0, len(secs))
	for i, s := range secs {
		key, idx := s.Key, i
		name := widget.NewEntry()
		name.SetText(s.Title)
		name.OnSubmitted = func(t string) { e.do(e.agenda.Rename(key, t)) }
		up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { e.do(e.agenda.Move(key, idx-1)) })
		down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { e.do(e.agenda.Move(key, idx+1)) })
		rename := widget.NewButtonWithIcon("", theme.DocumentSaveIcon(), func() { e.do(e.agenda.Rename(key, name.Text)) })
		remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { e.do(e.agenda.Remove(key)) })
		if i == 0 {
			up.Disable()
		}
		if i == len(secs)-1 {
			down.Disable()
		}
		objs = append(objs, container.NewBorder(nil, nil, nil, container.NewHBox(rename, up, down, remove), name))
	}
	e.rows.Objects = objs
	e.rows.Refresh()
}

// showAgendaEditor edits this meeting's agenda or the team's template.
func (u *UI) showAgendaEditor() {
	if u.view == nil {
		return
	}
	m := u.view.m
	s, err := m.Series()
	if err != nil {
		u.showError(err)
		return
	}
	meeting := NewAgendaEditor(m.Agenda(), u.showError, func() { u.view.rebuild() })
	team := NewAgendaEditor(s.Agenda(), u.showError, nil)
	tabs := container.NewAppTabs(
		container.NewTabItem(T("This meeting"), meeting.Object()),
		container.NewTabItem(T("Team template (next meetings)"), team.Object()),
	)
	d := dialog.NewCustom(T("Edit agenda…"), T("Close"), tabs, u.win)
	d.Resize(fyne.NewSize(720, 560))
	d.Show()
}
