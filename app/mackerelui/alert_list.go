package mackerelui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/i18n"
	"github.com/pwg-team/pwg/integrations/mackerel"
)

// listRow is a row of the alert list: a monitor's header (alert < 0) or
// one of its alerts.
type listRow struct {
	group, alert int
}

// listItem is the reusable widget of a row: only the rows in view exist,
// so a thousand alerts scroll as smoothly as ten. Every row has the same
// height (a header's two lines; an alert's line and its detail), so the
// list never measures rows one by one.
type listItem struct {
	widget.BaseWidget
	box *fyne.Container

	header                        *fyne.Container
	name                          *widget.Label
	info                          *widget.Label
	toggle, review, thr, del, pin *widget.Button

	alertRow *fyne.Container
	text     *widget.Label
	detail   *widget.Label
	closeBtn *widget.Button
}

// CreateRenderer implements fyne.Widget.
func (it *listItem) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(it.box) }

func newListItem() *listItem {
	it := &listItem{}
	it.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	it.name.Truncation = fyne.TextTruncateEllipsis
	it.info = widget.NewLabel("")
	it.info.SizeName = theme.SizeNameCaptionText
	it.info.Truncation = fyne.TextTruncateEllipsis
	it.toggle = widget.NewButton(i18n.T("Alerts ▸"), nil)
	it.review = widget.NewButton(i18n.T("Review…"), nil)
	it.thr = widget.NewButton(i18n.T("Thresholds…"), nil)
	it.del = widget.NewButton(i18n.T("Delete monitor…"), nil)
	it.del.Importance = widget.DangerImportance
	it.pin = widget.NewButton(i18n.T("Pin to minutes"), nil)
	buttons := container.NewHBox(it.toggle, it.review, it.thr, it.del, it.pin)
	it.header = container.NewVBox(container.NewBorder(nil, nil, nil, buttons, it.name), it.info)
	it.text = widget.NewLabel("")
	it.text.Truncation = fyne.TextTruncateEllipsis
	it.detail = widget.NewLabel("")
	it.detail.SizeName = theme.SizeNameCaptionText
	it.detail.Truncation = fyne.TextTruncateEllipsis
	it.closeBtn = widget.NewButton(i18n.T("Close…"), nil)
	it.alertRow = container.NewVBox(container.NewBorder(nil, nil, nil, it.closeBtn, it.text), it.detail)
	it.box = container.NewStack(it.header, it.alertRow)
	it.ExtendBaseWidget(it)
	return it
}

func (p *AlertsPane) newList() *widget.List {
	l := widget.NewList(
		func() int { return len(p.rows) },
		func() fyne.CanvasObject {
			p.rowWidgets++
			return newListItem()
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(p.rows) {
				p.bindRow(p.rows[id], o.(*listItem))
			}
		})
	l.HideSeparators = false
	return l
}

// rebuild recomputes the rows of the list (groups and expanded alerts).
func (p *AlertsPane) rebuild() {
	p.rows = p.rows[:0]
	for i := range p.groups {
		p.rows = append(p.rows, listRow{group: i, alert: -1})
		if p.expanded[p.groups[i].MonitorID] {
			for j := range p.groups[i].Alerts {
				p.rows = append(p.rows, listRow{group: i, alert: j})
			}
		}
	}
	p.list.Refresh()
}

func (p *AlertsPane) bindRow(r listRow, it *listItem) {
	g := &p.groups[r.group]
	if r.alert >= 0 {
		it.header.Hide()
		it.alertRow.Show()
		a := &g.Alerts[r.alert]
		line, detail := p.alertText(a)
		it.text.SetText("    " + line)
		it.detail.SetText("    " + detail)
		if a.Open() {
			it.closeBtn.Show()
			it.closeBtn.OnTapped = func() { p.showClose(g, a) }
		} else {
			it.closeBtn.Hide()
		}
		return
	}
	it.alertRow.Hide()
	it.header.Show()
	it.name.SetText(g.MonitorName)
	kind := g.MonitorType
	if g.Monitor == nil {
		kind += " · monitor deleted"
	}
	thresholds := ""
	if g.Monitor != nil {
		thresholds = "  " + g.Monitor.ThresholdText()
	}
	it.info.SetText(i18n.T("%d alerts · %d open · %d closed · first %s · last %s  —  %s%s",
		g.Count, g.Open, g.Closed, p.opt.fmtTime(g.First), p.opt.fmtTime(g.Last), kind, thresholds))
	if p.expanded[g.MonitorID] {
		it.toggle.SetText(i18n.T("Alerts ▾"))
	} else {
		it.toggle.SetText(i18n.T("Alerts ▸"))
	}
	it.toggle.OnTapped = func() {
		p.expanded[g.MonitorID] = !p.expanded[g.MonitorID]
		p.rebuild()
	}
	it.review.OnTapped = func() { p.showReview(g) }
	it.thr.OnTapped = func() { p.showThresholds(g) }
	it.del.OnTapped = func() { p.showDelete(g) }
	it.pin.OnTapped = func() { p.pinGroup(g) }
	if g.Monitor == nil || !g.Monitor.HasThresholds() {
		it.thr.Disable()
	} else {
		it.thr.Enable()
	}
	if g.Monitor == nil {
		it.del.Disable()
	} else {
		it.del.Enable()
	}
}

// alertText is one alert's line (when, status, host name, value) and its
// detail (message, how it closed).
func (p *AlertsPane) alertText(a *mackerel.Alert) (string, string) {
	h, known := mackerel.AlertHistory{}, false
	if p.board != nil {
		h, known = p.board.Histories[a.ID]
	}
	status := a.Status
	if known && h.Worst != "" && !a.Open() {
		status = h.Worst // a closed alert says OK: show how bad it got
	}
	text := fmt.Sprintf("%s  %s", p.opt.fmtTime(a.OpenedAt), status)
	if a.HostID != "" {
		text += "  " + p.hostName(a.HostID)
	}
	if a.Value != 0 {
		text += "  value " + mackerel.FormatValue(a.Value)
	}
	var detail []string
	if a.Message != "" {
		detail = append(detail, a.Message)
	}
	if known {
		detail = append(detail, h.Text())
	}
	if a.Open() {
		detail = append(detail, "open for "+mackerel.ShortDuration(p.opt.Now().Sub(a.OpenedAt)))
	} else {
		c := i18n.T("closed %s after %s", p.opt.fmtTime(a.ClosedAt), mackerel.ShortDuration(a.ClosedAt.Sub(a.OpenedAt)))
		if a.Reason != "" {
			c += ": " + a.Reason
		}
		detail = append(detail, c)
	}
	return text, strings.Join(detail, "  ·  ")
}
