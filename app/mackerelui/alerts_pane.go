package mackerelui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/integrations/mackerel"
)

// loadTimeout bounds one load of a pane.
const loadTimeout = 2 * time.Minute

// AlertsPane shows the alerts of the review period grouped by monitor, with
// the actions of the alert review. Create it with NewAlertsPane.
type AlertsPane struct {
	widget.BaseWidget

	src      Source
	opt      Options
	from, to time.Time

	banner  *widget.Label
	status  *widget.Label
	reload  *widget.Button
	list    *fyne.Container
	content fyne.CanvasObject

	gen      int
	groups   []mackerel.AlertGroup
	expanded map[string]bool
}

// NewAlertsPane returns the pane for opt's period (by default the last 30
// days). It starts loading at once.
func NewAlertsPane(src Source, opt Options) *AlertsPane {
	opt.defaults()
	p := &AlertsPane{src: src, opt: opt, expanded: map[string]bool{}}
	p.from, p.to = p.opt.period()
	p.banner = widget.NewLabel("")
	p.banner.Importance = widget.WarningImportance
	p.banner.Wrapping = fyne.TextWrapWord
	p.banner.Hide()
	p.status = widget.NewLabel("")
	p.reload = widget.NewButton("Reload", p.Reload)
	p.list = container.NewVBox()
	top := container.NewVBox(container.NewBorder(nil, nil, nil, p.reload, p.status), p.banner)
	p.content = container.NewBorder(top, nil, nil, nil, container.NewVScroll(p.list))
	p.ExtendBaseWidget(p)
	p.Reload()
	return p
}

// CreateRenderer implements fyne.Widget.
func (p *AlertsPane) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(p.content)
}

// SetPeriod sets the review period and reloads.
func (p *AlertsPane) SetPeriod(from, to time.Time) {
	p.from, p.to = from, to
	p.Reload()
}

// Groups returns the alert groups shown, most alerts first.
func (p *AlertsPane) Groups() []mackerel.AlertGroup { return p.groups }

// Reload fetches the period's alerts and the monitors on a goroutine.
func (p *AlertsPane) Reload() {
	p.gen++
	gen := p.gen
	from, to := p.from, p.to
	p.reload.Disable()
	p.status.SetText("Reading alerts…")
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
		defer cancel()
		org := ""
		if p.opt.Org == "" {
			if o, err := p.src.Org(ctx); err == nil {
				org = o.Value
			}
		}
		mons, merr := p.src.Monitors(ctx)
		alerts, aerr := p.src.AlertsOfPeriod(ctx, from, to, func(n int) {
			fyne.Do(func() {
				if gen == p.gen {
					p.status.SetText(fmt.Sprintf("Reading alerts… %d read", n))
				}
			})
		})
		fyne.Do(func() {
			if gen != p.gen {
				return
			}
			if org != "" {
				p.opt.Org = org
			}
			p.apply(mons, merr, alerts, aerr)
		})
	}()
}

func (p *AlertsPane) apply(mons mackerel.Fetched[[]mackerel.Monitor], merr error, alerts mackerel.Fetched[[]mackerel.Alert], aerr error) {
	p.reload.Enable()
	if aerr != nil {
		p.groups = nil
		p.list.RemoveAll()
		p.status.SetText("No alerts to show")
		p.banner.SetText("Could not read the alerts: " + aerr.Error())
		p.banner.Show()
		p.opt.loaded(aerr)
		return
	}
	p.groups = mackerel.GroupAlerts(alerts.Value, mons.Value)
	p.status.SetText(fmt.Sprintf("%d alerts from %d monitors, %s – %s", len(alerts.Value), len(p.groups),
		p.from.In(p.opt.Location).Format("2006-01-02"), p.to.In(p.opt.Location).Format("2006-01-02")))
	var notes []string
	if alerts.Stale {
		notes = append(notes, alerts.StaleNote(p.opt.Now()))
	}
	if merr != nil {
		notes = append(notes, "Monitors could not be read: "+merr.Error())
	} else if mons.Stale && !alerts.Stale {
		notes = append(notes, mons.StaleNote(p.opt.Now()))
	}
	if len(notes) > 0 {
		text := notes[0]
		for _, n := range notes[1:] {
			text += "\n" + n
		}
		p.banner.SetText(text)
		p.banner.Show()
	} else {
		p.banner.Hide()
	}
	p.rebuild()
	p.opt.loaded(nil)
}

// rebuild redraws the list of groups.
func (p *AlertsPane) rebuild() {
	p.list.RemoveAll()
	for i := range p.groups {
		p.list.Add(p.groupView(i))
	}
	p.list.Refresh()
}

func (p *AlertsPane) groupView(i int) fyne.CanvasObject {
	g := &p.groups[i]
	kind := g.MonitorType
	if g.Monitor == nil {
		kind += " · monitor deleted"
	}
	// Two lines a monitor, so that eight and more fit in the pane: the
	// name and the actions, then the counts and thresholds in small type.
	name := widget.NewLabelWithStyle(g.MonitorName, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	thresholds := ""
	if g.Monitor != nil {
		thresholds = "  " + g.Monitor.ThresholdText()
	}
	info := widget.NewLabel(fmt.Sprintf("%d alerts · %d open · %d closed · first %s · last %s  —  %s%s",
		g.Count, g.Open, g.Closed, p.opt.fmtTime(g.First), p.opt.fmtTime(g.Last), kind, thresholds))
	info.SizeName = theme.SizeNameCaptionText
	info.Truncation = fyne.TextTruncateEllipsis
	details := container.NewVBox()
	toggle := widget.NewButton("Alerts ▸", nil)
	toggle.OnTapped = func() {
		p.expanded[g.MonitorID] = !p.expanded[g.MonitorID]
		p.fillDetails(details, toggle, g)
	}
	p.fillDetails(details, toggle, g)

	review := widget.NewButton("Review…", func() { p.showReview(g) })
	thr := widget.NewButton("Thresholds…", func() { p.showThresholds(g) })
	del := widget.NewButton("Delete monitor…", func() { p.showDelete(g) })
	del.Importance = widget.DangerImportance
	if g.Monitor == nil || !g.Monitor.HasThresholds() {
		thr.Disable()
	}
	if g.Monitor == nil {
		del.Disable()
	}
	pin := widget.NewButton("Pin to minutes", func() { p.pinGroup(g) })
	buttons := container.NewHBox(toggle, review, thr, del, pin)
	line := container.NewBorder(nil, nil, nil, buttons, name)
	return container.NewVBox(line, info, details, widget.NewSeparator())
}

func (p *AlertsPane) fillDetails(details *fyne.Container, toggle *widget.Button, g *mackerel.AlertGroup) {
	details.RemoveAll()
	if !p.expanded[g.MonitorID] {
		toggle.SetText("Alerts ▸")
		details.Refresh()
		return
	}
	toggle.SetText("Alerts ▾")
	for j := range g.Alerts {
		a := &g.Alerts[j]
		text := fmt.Sprintf("%s  %s", p.opt.fmtTime(a.OpenedAt), a.Status)
		if a.HostID != "" {
			text += "  host " + a.HostID
		}
		if a.Value != 0 {
			text += "  value " + mackerel.FormatValue(a.Value)
		}
		if a.Message != "" {
			text += "  " + a.Message
		}
		if !a.Open() {
			text += fmt.Sprintf("  closed %s", p.opt.fmtTime(a.ClosedAt))
			if a.Reason != "" {
				text += ": " + a.Reason
			}
			details.Add(widget.NewLabel(text))
			continue
		}
		closeBtn := widget.NewButton("Close…", func() { p.showClose(g, a) })
		details.Add(container.NewBorder(nil, nil, nil, closeBtn, widget.NewLabel(text)))
	}
	details.Refresh()
}
