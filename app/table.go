package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// rowTable is a read-only table with translated column headers whose rows
// open an editor when tapped (action items, SLO rows).
type rowTable struct {
	table *widget.Table
	box   fyne.CanvasObject // the table at its minimum height
}

// newRowTable builds a table of rows()×len(columns) cells; onTap gets the
// tapped row.
func newRowTable(columns []string, widths []float32, height float32, rows func() int, cell func(row, col int) string, onTap func(row int)) *rowTable {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return rows(), len(columns) },
		func() fyne.CanvasObject { return widget.NewLabel("template text") },
		func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText(cell(id.Row, id.Col)) })
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 {
			o.(*widget.Label).SetText(T(columns[id.Col]))
		}
	}
	for i, w := range widths {
		t.SetColumnWidth(i, w)
	}
	t.OnSelected = func(id widget.TableCellID) {
		t.UnselectAll()
		if id.Row >= 0 && id.Row < rows() {
			onTap(id.Row)
		}
	}
	min := canvas.NewRectangle(color.Transparent)
	min.SetMinSize(fyne.NewSize(0, height))
	return &rowTable{table: t, box: container.NewStack(min, t)}
}
