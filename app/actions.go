package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// actionColumns are the columns of the action item table.
var actionColumns = []string{"Title", "Owner", "Target", "Done criteria", "Status", "Issue"}

// ActionTable shows action items as a table: tap a row to edit it (owner,
// target date, done criteria, status); T("Add TODO") raises a new one.
type ActionTable struct {
	m       *minutes.Meeting
	carried bool // the review of earlier items (no adding)
	onError func(error)
	items   []minutes.ActionItem
	table   *widget.Table
	root    fyne.CanvasObject
	win     func() fyne.Window
}

// NewActionTable builds the table of m's carried-over items (carried) or of
// the items raised in m.
func NewActionTable(m *minutes.Meeting, carried bool, win func() fyne.Window, onError func(error)) *ActionTable {
	t := &ActionTable{m: m, carried: carried, onError: onError, win: win}
	rt := newRowTable(actionColumns, []float32{260, 110, 100, 220, 80, 200}, 420,
		func() int { return len(t.items) },
		func(row, col int) string { return actionCell(t.items[row], col) },
		func(row int) { t.edit(t.items[row]) })
	t.table = rt.table
	if carried {
		t.root = container.NewVBox(widget.NewLabel(T("Open action items carried over from earlier meetings")), rt.box)
	} else {
		t.root = withAdd(rt.box, widget.NewButtonWithIcon(T("Add TODO"), theme.ContentAddIcon(), func() { t.edit(minutes.ActionItem{}) }))
	}
	t.Refresh()
	return t
}

func actionCell(a minutes.ActionItem, col int) string {
	switch col {
	case 0:
		return a.Title
	case 1:
		return a.Owner
	case 2:
		return a.TargetDate
	case 3:
		return a.DoneCriteria
	case 4:
		return a.Status
	case 5:
		return a.IssueURL
	}
	return ""
}

// Object returns the table's canvas object.
func (t *ActionTable) Object() fyne.CanvasObject { return t.root }

// Items returns the rows shown.
func (t *ActionTable) Items() []minutes.ActionItem { return t.items }

// Refresh reloads the items from the document.
func (t *ActionTable) Refresh() {
	carried, raised, err := t.m.ActionItems()
	if err != nil {
		t.onError(err)
		return
	}
	if t.carried {
		t.items = carried
	} else {
		t.items = raised
	}
	t.table.Refresh()
}

// Save writes an edited or new item (the form's submit).
func (t *ActionTable) Save(a minutes.ActionItem) error {
	var err error
	if a.ID == "" {
		a.OriginSection = "todos"
		_, err = t.m.AddActionItem(a)
	} else {
		var s *minutes.Series
		if s, err = t.m.Series(); err == nil {
			_, err = s.PutActionItem(a)
		}
	}
	if err == nil {
		t.Refresh()
	}
	return err
}

func (t *ActionTable) edit(a minutes.ActionItem) {
	title := widget.NewEntry()
	title.SetText(a.Title)
	owner := widget.NewEntry()
	owner.SetText(a.Owner)
	due := newDateEntry(a.TargetDate, true)
	done := widget.NewMultiLineEntry()
	done.SetText(a.DoneCriteria)
	status := widget.NewSelect([]string{minutes.ActionOpen, minutes.ActionDone, minutes.ActionDropped}, nil)
	if a.Status == "" {
		a.Status = minutes.ActionOpen
	}
	status.SetSelected(a.Status)
	items := []*widget.FormItem{
		widget.NewFormItem(T("Title"), title), widget.NewFormItem(T("Owner"), owner),
		widget.NewFormItem(T("Target date"), due), widget.NewFormItem(T("Done criteria"), done),
		widget.NewFormItem(T("Status"), status),
	}
	name := T("Edit action item")
	if a.ID == "" {
		name = T("New TODO")
	}
	d := dialog.NewForm(name, T("Save"), T("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		a.Title, a.Owner, a.TargetDate, a.DoneCriteria, a.Status = title.Text, owner.Text, due.Text, done.Text, status.Selected
		if err := t.Save(a); err != nil {
			t.onError(err)
		}
	}, t.win())
	d.Resize(fyne.NewSize(520, 420))
	d.Show()
}
