package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/crdt/minutes"
)

var sloColumns = []string{"SLO", "Objective", "Actual", "Met", "Revisit"}

// SLOTable shows the meeting's SLO rows (is each SLO met, when to revisit
// its document); tap a row to edit, "Add SLO" for a new one.
type SLOTable struct {
	m       *minutes.Meeting
	onError func(error)
	win     func() fyne.Window
	rows    []minutes.SLORow
	table   *widget.Table
	root    fyne.CanvasObject
}

// NewSLOTable builds the SLO table of m.
func NewSLOTable(m *minutes.Meeting, win func() fyne.Window, onError func(error)) *SLOTable {
	t := &SLOTable{m: m, onError: onError, win: win}
	rt := newRowTable(sloColumns, []float32{260, 140, 140, 70, 120}, 420,
		func() int { return len(t.rows) },
		func(row, col int) string { return sloCell(t.rows[row], col) },
		func(row int) { t.edit(t.rows[row]) })
	t.table = rt.table
	t.root = withAdd(rt.box, widget.NewButtonWithIcon(T("Add SLO"), theme.ContentAddIcon(), func() { t.edit(minutes.SLORow{}) }))
	t.Refresh()
	return t
}

func sloCell(r minutes.SLORow, col int) string {
	switch col {
	case 0:
		return r.Name
	case 1:
		return r.Objective
	case 2:
		return r.Actual
	case 3:
		if r.Met {
			return "✓"
		}
		return "✗"
	case 4:
		return r.RevisitDate
	}
	return ""
}

// Object returns the table's canvas object.
func (t *SLOTable) Object() fyne.CanvasObject { return t.root }

// Rows returns the rows shown.
func (t *SLOTable) Rows() []minutes.SLORow { return t.rows }

// Refresh reloads the rows.
func (t *SLOTable) Refresh() {
	rows, err := t.m.SLOs()
	if err != nil {
		t.onError(err)
		return
	}
	t.rows = rows
	t.table.Refresh()
}

// Save writes a row (the form's submit).
func (t *SLOTable) Save(r minutes.SLORow) error {
	if err := t.m.PutSLO(r); err != nil {
		return err
	}
	t.Refresh()
	return nil
}

func (t *SLOTable) edit(r minutes.SLORow) {
	name, obj, act := widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	name.SetText(r.Name)
	obj.SetText(r.Objective)
	obj.SetPlaceHolder("99.9% / p99 < 300ms")
	act.SetText(r.Actual)
	met := widget.NewCheck(T("Met"), nil)
	met.SetChecked(r.Met)
	revisit := newDateEntry(r.RevisitDate, true)
	items := []*widget.FormItem{
		widget.NewFormItem("SLO", name), widget.NewFormItem(T("Objective"), obj), widget.NewFormItem(T("Actual"), act),
		widget.NewFormItem("", met), widget.NewFormItem(T("Revisit"), revisit),
	}
	d := dialog.NewForm("SLO", T("Save"), T("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		r.Name, r.Objective, r.Actual, r.Met, r.RevisitDate = name.Text, obj.Text, act.Text, met.Checked, revisit.Text
		if err := t.Save(r); err != nil {
			t.onError(err)
		}
	}, t.win())
	d.Resize(fyne.NewSize(480, 380))
	d.Show()
}
