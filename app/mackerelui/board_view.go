package mackerelui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/i18n"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
)

// columnsLayout lays objects side by side: the first takes what the fixed
// widths of the others leave. The widths are for 14 pt text and grow with
// the text size of the theme the row is drawn with (the facilitator's
// projector theme is larger), so that every row of a board lines up.
type columnsLayout struct{ widths []float32 }

// scale is the row's text size over 14, read from its first widget.
func (l columnsLayout) scale(objs []fyne.CanvasObject) float32 {
	if len(objs) > 0 {
		if w, ok := objs[0].(fyne.Widget); ok {
			return max(1, theme.SizeForWidget(theme.SizeNameText, w)/14)
		}
	}
	return 1
}

func (l columnsLayout) fixed(scale float32) float32 {
	w := float32(0)
	for _, x := range l.widths {
		w += x*scale + theme.Padding()
	}
	return w
}

// Layout implements fyne.Layout.
func (l columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	scale := l.scale(objs)
	for i, o := range objs {
		w := size.Width - l.fixed(scale)
		if i > 0 {
			w = l.widths[min(i-1, len(l.widths)-1)] * scale
		}
		h := min(o.MinSize().Height, size.Height)
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		o.Resize(fyne.NewSize(max(w, 0), h))
		x += w + theme.Padding()
	}
}

// MinSize implements fyne.Layout.
func (l columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.fixed(l.scale(objs))+80, h)
}

// boardColumns: trend, open median / longest, flaps, self-closed.
var boardColumns = columnsLayout{widths: []float32{150, 110, 50, 80}}

// trendBars draws the alert counts per period as small bars, oldest first.
type trendBars struct {
	widget.BaseWidget
	counts []int
}

func newTrendBars(counts []int) *trendBars {
	t := &trendBars{counts: counts}
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer implements fyne.Widget.
func (t *trendBars) CreateRenderer() fyne.WidgetRenderer {
	peak := 1
	for _, c := range t.counts {
		peak = max(peak, c)
	}
	var bars []fyne.CanvasObject
	for i := range t.counts {
		col := theme.Color(theme.ColorNameDisabled)
		if i == len(t.counts)-1 {
			col = theme.Color(theme.ColorNamePrimary)
		}
		bars = append(bars, canvas.NewRectangle(col))
	}
	lay := &barsLayout{counts: t.counts, peak: peak}
	return widget.NewSimpleRenderer(container.New(lay, bars...))
}

type barsLayout struct {
	counts []int
	peak   int
}

// Layout implements fyne.Layout.
func (l *barsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	const w, gap = 6, 2
	for i, o := range objs {
		h := size.Height * float32(l.counts[i]) / float32(l.peak)
		if l.counts[i] > 0 {
			h = max(h, 2)
		}
		o.Move(fyne.NewPos(float32(i*(w+gap)), size.Height-h))
		o.Resize(fyne.NewSize(w, h))
	}
}

// MinSize implements fyne.Layout.
func (l *barsLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(float32(len(l.counts)*8), 16)
}

// flagImportance colours a flag chip.
func flagImportance(kind string) widget.Importance {
	switch kind {
	case mackerel.FlagNoisy, mackerel.FlagDidNotHelp:
		return widget.DangerImportance
	case mackerel.FlagSilent:
		return widget.LowImportance
	}
	return widget.WarningImportance
}

func caption(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameCaptionText
	l.Wrapping = fyne.TextWrapWord
	return l
}

// renderBoard redraws the hygiene board from p.board.
func (p *AlertsPane) renderBoard() {
	p.boardBox.RemoveAll()
	p.summarizeBoard()
	b := p.board
	if b == nil || len(b.Periods) == 0 {
		p.boardBox.Refresh()
		return
	}
	cur := b.Periods[len(b.Periods)-1]
	title := widget.NewLabelWithStyle(i18n.T("Hygiene board: %d monitors, %s – %s and the %d periods before",
		len(b.Rows), cur.From.In(p.opt.Location).Format("01/02"), cur.To.In(p.opt.Location).Format("01/02"), len(b.Periods)-1),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head := container.New(boardColumns, widget.NewLabel(i18n.T("Monitor")), caption(i18n.T("Alerts per period")),
		caption(i18n.T("Open median / longest")), caption(i18n.T("Flaps")), caption(i18n.T("Self-closed ≤ 1h")))
	p.boardBox.Add(title)
	p.boardBox.Add(head)
	for i := range b.Rows {
		p.boardBox.Add(p.boardRow(&b.Rows[i]))
	}
	p.boardBox.Refresh()
}

func (p *AlertsPane) boardRow(r *mackerel.MonitorHygiene) fyne.CanvasObject {
	name := widget.NewLabelWithStyle(r.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	counts := make([]int, len(r.Periods))
	texts := make([]string, len(r.Periods))
	for i, st := range r.Periods {
		counts[i], texts[i] = st.Count, fmt.Sprint(st.Count)
	}
	cur := r.Current()
	open := "—"
	if cur.Count > 0 {
		open = mackerel.ShortDuration(cur.MedianOpen) + " / " + mackerel.ShortDuration(cur.LongestOpen)
	}
	trend := container.NewHBox(newTrendBars(counts), widget.NewLabel(strings.Join(texts, " · ")))
	line := container.New(boardColumns, name, trend, widget.NewLabel(open), widget.NewLabel(fmt.Sprint(cur.Flaps)),
		widget.NewLabel(fmt.Sprint(cur.SelfClosedQuickly)))

	chips := container.NewHBox()
	for _, f := range r.Flags {
		c := widget.NewLabel(f.Kind)
		c.Importance = flagImportance(f.Kind)
		c.TextStyle.Bold = true
		chips.Add(c)
	}
	if r.Verdict != "" {
		v := widget.NewLabel(i18n.T("verdict: ") + r.Verdict)
		v.Importance = widget.SuccessImportance
		chips.Add(v)
	}
	line2 := container.NewBorder(nil, nil, nil, p.verdictButtons(r), chips)

	box := container.NewVBox(line, line2)
	for _, f := range r.Flags {
		box.Add(caption(f.Kind + ": " + f.Reason))
	}
	for _, e := range r.Evidence {
		if e.Helped == nil || *e.Helped {
			box.Add(caption(i18n.T("earlier decision: ") + e.Text))
		}
	}
	box.Add(widget.NewSeparator())
	return box
}

// verdictButtons are the decisions the meeting can take on a monitor.
func (p *AlertsPane) verdictButtons(r *mackerel.MonitorHygiene) fyne.CanvasObject {
	g := p.groupFor(r)
	keep := widget.NewButton(i18n.T("Keep"), func() { p.recordVerdict(g, minutes.VerdictKeep) })
	fix := widget.NewButton(i18n.T("Fix root cause"), func() { p.recordVerdict(g, minutes.VerdictFixCause) })
	thr := widget.NewButton(i18n.T("Threshold…"), func() { p.showThresholds(g) })
	del := widget.NewButton(i18n.T("Delete…"), func() { p.showDelete(g) })
	del.Importance = widget.DangerImportance
	muteText := "Mute…"
	if r.Monitor != nil && r.Monitor.IsMute {
		muteText = "Unmute…"
	}
	mute := widget.NewButton(muteText, func() { p.showMute(g) })
	if r.Monitor == nil {
		thr.Disable()
		del.Disable()
		mute.Disable()
	} else if !r.Monitor.HasThresholds() {
		thr.Disable()
	}
	return container.NewHBox(keep, fix, thr, del, mute)
}

// groupFor returns the list's group of a board row, or a group without
// alerts for a monitor that did not fire in the period.
func (p *AlertsPane) groupFor(r *mackerel.MonitorHygiene) *mackerel.AlertGroup {
	for i := range p.groups {
		if p.groups[i].MonitorID == r.MonitorID {
			return &p.groups[i]
		}
	}
	g := &mackerel.AlertGroup{MonitorID: r.MonitorID, MonitorName: r.Name, MonitorType: r.Type, Monitor: r.Monitor}
	return g
}
