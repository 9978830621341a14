package mackerelui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/i18n"
)

// boardFold is the one-line summary of the hygiene board with the button
// that folds and unfolds it (Options.FoldBoard). Folded, the alert list has
// the whole pane; unfolded, the board takes the upper half as in the
// facilitator view.
type boardFold struct {
	row     *fyne.Container
	summary *widget.Label
	toggle  *widget.Button
	folded  bool
}

// layoutBoard sets the pane's body: the board above the list, or with
// FoldBoard the summary line above the folded or unfolded board.
func (p *AlertsPane) layoutBoard() {
	boardAndList := func() fyne.CanvasObject {
		split := container.NewVSplit(container.NewVScroll(p.boardBox), p.list)
		split.Offset = 0.5
		return split
	}
	if !p.opt.FoldBoard {
		p.body.Objects = []fyne.CanvasObject{boardAndList()}
		p.body.Refresh()
		return
	}
	f := &p.fold
	if f.row == nil {
		f.summary = widget.NewLabel("")
		f.summary.Truncation = fyne.TextTruncateEllipsis
		f.toggle = widget.NewButton("", func() { p.SetBoardFolded(!f.folded) })
		f.row = container.NewBorder(nil, nil, f.toggle, nil, f.summary)
	}
	var body fyne.CanvasObject = p.list
	if f.folded {
		f.toggle.SetText(i18n.T("Show board"))
		f.toggle.SetIcon(theme.MenuDropDownIcon())
	} else {
		f.toggle.SetText(i18n.T("Hide board"))
		f.toggle.SetIcon(theme.MenuDropUpIcon())
		body = boardAndList()
	}
	p.body.Objects = []fyne.CanvasObject{container.NewBorder(f.row, nil, nil, nil, body)}
	p.body.Refresh()
}

// SetBoardFolded folds the hygiene board to its summary line or unfolds it
// (only with Options.FoldBoard; otherwise the board is always shown).
func (p *AlertsPane) SetBoardFolded(on bool) {
	if !p.opt.FoldBoard || p.fold.folded == on {
		return
	}
	p.fold.folded = on
	p.layoutBoard()
}

// BoardFolded reports whether the hygiene board is folded to its summary.
func (p *AlertsPane) BoardFolded() bool { return p.opt.FoldBoard && p.fold.folded }

// BoardSummary is the folded board's summary line ("" without FoldBoard).
func (p *AlertsPane) BoardSummary() string {
	if p.fold.summary == nil {
		return ""
	}
	return p.fold.summary.Text
}

// summarizeBoard writes the summary line from p.board.
func (p *AlertsPane) summarizeBoard() {
	if p.fold.summary == nil {
		return
	}
	b := p.board
	if b == nil || len(b.Periods) == 0 {
		p.fold.summary.SetText("")
		return
	}
	flagged, open := 0, 0
	for _, r := range b.Rows {
		if len(r.Flags) > 0 {
			flagged++
			if r.Verdict == "" {
				open++
			}
		}
	}
	p.fold.summary.SetText(i18n.T("Hygiene board: %d monitors, %d flagged, %d of them without a verdict", len(b.Rows), flagged, open))
}
