package app

import (
	"encoding/json"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/review"
	"github.com/pwg-team/pwg/integrations/teamconf"
)

var sloColumns = []string{"SLO", "SLI", "Objective", "Actual", "Met", "Budget (start, end)", "Burn", "Worst day", "Revisit"}

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
	rt := newRowTable(sloColumns, []float32{220, 300, 80, 90, 50, 170, 100, 170, 160}, 420,
		func() int { return len(t.rows) },
		func(row, col int) string { return sloCell(t.rows[row], col, revisitDay(m)) },
		func(row int) { t.edit(t.rows[row]) })
	t.table = rt.table
	t.root = withAdd(rt.box, widget.NewButtonWithIcon(T("Add SLO"), theme.ContentAddIcon(), func() { t.edit(minutes.SLORow{}) }))
	t.Refresh()
	return t
}

// sloSnapshot decodes the numbers computed for a row; ok is false for a
// row typed by hand or not computed yet.
func sloSnapshot(r minutes.SLORow) (review.Result, bool) {
	var res review.Result
	if r.Snapshot == "" || json.Unmarshal([]byte(r.Snapshot), &res) != nil {
		return res, false
	}
	return res, true
}

// revisitDay is the day revisit dates are compared with: the meeting's.
func revisitDay(m *minutes.Meeting) time.Time {
	d, err := time.Parse(time.DateOnly, m.Date())
	if err != nil {
		return time.Now()
	}
	return d
}

func sloCell(r minutes.SLORow, col int, day time.Time) string {
	res, computed := sloSnapshot(r)
	switch col {
	case 0:
		return r.Name
	case 1:
		if r.SLI == "" {
			return T("by hand")
		}
		return r.SLI
	case 2:
		return r.Objective
	case 3:
		if r.SLI != "" && !computed {
			return T("not computed")
		}
		return r.Actual
	case 4:
		if r.SLI != "" && !computed {
			return ""
		}
		if r.Met {
			return "✓"
		}
		return "✗"
	case 5:
		if computed {
			return review.FormatPercent(res.BudgetStart) + ", " + review.FormatPercent(res.BudgetEnd)
		}
	case 6:
		if computed {
			return burnText(res.BurnRate)
		}
	case 7:
		if computed && res.WorstDay != "" {
			return res.WorstDay + " " + review.FormatPercent(res.WorstDayAttainment)
		}
	case 8:
		switch review.RevisitState(r.RevisitDate, day, time.Time{}) {
		case review.RevisitOverdue:
			return r.RevisitDate + " (" + T("overdue") + ")"
		case review.RevisitDue:
			return r.RevisitDate + " (" + T("due") + ")"
		}
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
	name, sli, obj, window, act := widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	name.SetText(r.Name)
	sli.SetText(r.SLI)
	sli.SetPlaceHolder("web: app.requests.fast / app.requests.total  ·  web: app.latency.p95 <= 300")
	sli.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		_, err := review.ParseSLI(s)
		return err
	}
	obj.SetText(r.Objective)
	obj.SetPlaceHolder("99.9% / p99 < 300ms")
	window.SetText(r.Window)
	window.SetPlaceHolder("28d")
	window.Validator = func(s string) error { _, err := review.ParseWindow(s); return err }
	act.SetText(r.Actual)
	met := widget.NewCheck(T("Met"), nil)
	met.SetChecked(r.Met)
	revisit := newDateEntry(r.RevisitDate, true)
	hint := widget.NewLabel(T("With an SLI the row is computed from Mackerel (Compute from Mackerel); without one, type Actual and Met."))
	hint.Wrapping = fyne.TextWrapWord
	items := []*widget.FormItem{
		widget.NewFormItem("SLO", name), widget.NewFormItem("SLI", sli), widget.NewFormItem(T("Objective"), obj),
		widget.NewFormItem(T("Window"), window), widget.NewFormItem(T("Actual"), act),
		widget.NewFormItem("", met), widget.NewFormItem(T("Revisit"), revisit), widget.NewFormItem("", hint),
	}
	showForm(t.win(), "SLO", items, func() error {
		r.Name, r.SLI, r.Objective, r.Window = name.Text, strings.TrimSpace(sli.Text), obj.Text, strings.TrimSpace(window.Text)
		r.Actual, r.Met, r.RevisitDate = act.Text, met.Checked, revisit.Text
		if r.SLI != "" {
			if _, _, err := teamconf.SLODefinition(r); err != nil {
				return err
			}
		}
		return t.Save(r)
	})
}
