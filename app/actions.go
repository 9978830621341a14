package app

import (
	"errors"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/crdt"
)

// actionColumns are the columns of the action item table.
var actionColumns = []string{"Title", "Owner", "Target", "Done criteria", "Status", "Issue"}

// ActionTable shows action items as a table: tap a row to edit it (owner,
// target date, done criteria, status); T("Add TODO") raises a new one.
type ActionTable struct {
	m       *crdt.Meeting
	carried bool // the review of earlier items (no adding)
	onError func(error)
	items   []crdt.ActionItem
	table   *widget.Table
	root    fyne.CanvasObject
	win     func() fyne.Window
}

// NewActionTable builds the table of m's carried-over items (carried) or of
// the items raised in m.
func NewActionTable(m *crdt.Meeting, carried bool, win func() fyne.Window, onError func(error)) *ActionTable {
	t := &ActionTable{m: m, carried: carried, onError: onError, win: win}
	t.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(t.items), len(actionColumns) },
		func() fyne.CanvasObject { return widget.NewLabel("template text") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(actionCell(t.items[id.Row], id.Col))
		})
	t.table.ShowHeaderColumn = false
	t.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 {
			o.(*widget.Label).SetText(T(actionColumns[id.Col]))
		}
	}
	for i, w := range []float32{260, 110, 100, 220, 80, 200} {
		t.table.SetColumnWidth(i, w)
	}
	t.table.OnSelected = func(id widget.TableCellID) {
		t.table.UnselectAll()
		if id.Row >= 0 && id.Row < len(t.items) {
			t.edit(t.items[id.Row])
		}
	}
	var top fyne.CanvasObject = widget.NewLabel(T("Open action items carried over from earlier meetings"))
	if !carried {
		top = widget.NewButtonWithIcon(T("Add TODO"), theme.ContentAddIcon(), func() { t.edit(crdt.ActionItem{}) })
	}
	height := canvas.NewRectangle(color.Transparent)
	height.SetMinSize(fyne.NewSize(0, 180))
	sized := container.NewStack(height, t.table)
	t.root = container.NewVBox(top, sized)
	t.Refresh()
	return t
}

func actionCell(a crdt.ActionItem, col int) string {
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
func (t *ActionTable) Items() []crdt.ActionItem { return t.items }

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
func (t *ActionTable) Save(a crdt.ActionItem) error {
	var err error
	if a.ID == "" {
		a.OriginSection = "todos"
		_, err = t.m.AddActionItem(a)
	} else {
		var s *crdt.Series
		if s, err = t.m.Series(); err == nil {
			_, err = s.PutActionItem(a)
		}
	}
	if err == nil {
		t.Refresh()
	}
	return err
}

func (t *ActionTable) edit(a crdt.ActionItem) {
	title := widget.NewEntry()
	title.SetText(a.Title)
	owner := widget.NewEntry()
	owner.SetText(a.Owner)
	due := widget.NewEntry()
	due.SetPlaceHolder("YYYY-MM-DD")
	due.SetText(a.TargetDate)
	due.Validator = func(s string) error {
		if s == "" {
			return nil
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return errors.New("YYYY-MM-DD")
		}
		return nil
	}
	done := widget.NewMultiLineEntry()
	done.SetText(a.DoneCriteria)
	status := widget.NewSelect([]string{crdt.ActionOpen, crdt.ActionDone, crdt.ActionDropped}, nil)
	if a.Status == "" {
		a.Status = crdt.ActionOpen
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
