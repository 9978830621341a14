package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
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
	// As tall as its rows (one empty row at least): the page scrolls, not
	// the table; height is the most it takes before scrolling itself.
	tall := func() float32 {
		head := widget.NewLabel("x").MinSize().Height
		rowH := head + theme.Padding()
		return min(head+float32(max(rows(), 1))*rowH+theme.Padding(), max(height, head+rowH))
	}
	return &rowTable{table: t, box: container.New(&fixedHeight{h: tall}, t)}
}

// withAdd puts an add button under a table, at its left, as one more row.
func withAdd(table fyne.CanvasObject, add *widget.Button) fyne.CanvasObject {
	add.Importance = widget.LowImportance
	add.Alignment = widget.ButtonAlignLeading
	return container.NewVBox(table, container.NewHBox(add))
}
