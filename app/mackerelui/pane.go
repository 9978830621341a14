package mackerelui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/i18n"
)

// pane is the scaffolding the Mackerel panes share: the period under
// review, a status line, a warning banner (hidden until there is
// something to warn about), a Reload button, the pane's owned loads and
// its content. A pane embeds it, fills content and calls ExtendBaseWidget.
type pane struct {
	widget.BaseWidget

	src      Source
	opt      Options
	from, to time.Time

	banner  *widget.Label
	status  *widget.Label
	reload  *widget.Button
	content fyne.CanvasObject
	loads   loads
	again   func() // the pane's Reload
}

// init sets the scaffolding up for src and opt; reload is the pane's Reload.
func (p *pane) init(src Source, opt Options, reload func()) {
	opt.defaults()
	p.src, p.opt, p.again = src, opt, reload
	p.from, p.to = p.opt.period()
	p.banner = widget.NewLabel("")
	p.banner.Importance = widget.WarningImportance
	p.banner.Wrapping = fyne.TextWrapWord
	p.banner.Hide()
	p.status = widget.NewLabel("")
	p.reload = widget.NewButton(i18n.T("Reload"), reload)
}

// CreateRenderer implements fyne.Widget.
func (p *pane) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(p.content)
}

// SetPeriod sets the review period and reloads.
func (p *pane) SetPeriod(from, to time.Time) {
	p.from, p.to = from, to
	p.again()
}
