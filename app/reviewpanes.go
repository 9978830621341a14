package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"weak"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/markdown"
	"github.com/pwg-team/pwg/integrations/review"
	"github.com/pwg-team/pwg/integrations/teamconf"
)

// errNoMackerel says why nothing can be computed.
//
//lint:ignore ST1005 Mackerel is a name; the message is shown as a sentence.
var errNoMackerel = errors.New("Mackerel is not set up (Settings → Mackerel)")

// reviewTimeout bounds one SLO or cost computation (a month of minutes).
const reviewTimeout = 2 * time.Minute

// reviewHub keeps the SLO and cost panes, the graph notes and the revisit
// banner in step with the documents. Panes are held weakly: the meeting
// view and the facilitator view rebuild them, and one no longer shown is
// dropped once nothing else holds it.
type reviewHub struct {
	banner   *widget.Label
	panes    []func() refresher // each returns the pane, nil once collected
	revisits revisits           // the revisits due in the banner and SLO panes (revisits.go)
}

// refresher is a pane that shows document state and redraws on changes.
type refresher interface{ refresh() }

// registerPane keeps p (weakly) for refreshes.
func registerPane[T any, P interface {
	*T
	refresher
}](h *reviewHub, p P) {
	w := weak.Make((*T)(p))
	h.panes = append(h.panes, func() refresher {
		if q := P(w.Value()); q != nil {
			return q
		}
		return nil
	})
}

// eachPane calls f with each live pane and forgets the collected ones.
func (h *reviewHub) eachPane(f func(refresher)) {
	keep := h.panes[:0]
	for _, get := range h.panes {
		if p := get(); p != nil {
			f(p)
			keep = append(keep, get)
		}
	}
	clear(h.panes[len(keep):])
	h.panes = keep
}

// refreshPanes redraws the live panes.
func (h *reviewHub) refreshPanes() { h.eachPane(refresher.refresh) }

// refreshReview redraws the review panes, and the revisit banner once the
// revisits due are known (UI goroutine).
func (u *UI) refreshReview() {
	u.review.refreshPanes()
	if u.view != nil {
		for _, sv := range u.view.sections {
			if sv.slos != nil {
				sv.slos.Refresh()
			}
		}
	}
	u.refreshRevisits()
}

// revisitText lists due revisits: "availability (2026-11-01, overdue)".
func revisitText(due []teamconf.DueRevisit) string {
	parts := make([]string, len(due))
	for i, d := range due {
		if d.Overdue {
			parts[i] = fmt.Sprintf("%s (%s, %s)", d.Name, d.Date, T("overdue"))
		} else {
			parts[i] = fmt.Sprintf("%s (%s)", d.Name, d.Date)
		}
	}
	return strings.Join(parts, ", ")
}

// Revisits returns the revisit banner's text, "" when it is hidden.
func (u *UI) Revisits() string {
	if u.review.banner == nil || !u.review.banner.Visible() {
		return ""
	}
	return u.review.banner.Text
}

// reviewSource is the Mackerel client as the review computes with it, nil
// when Mackerel is not set up.
func (u *UI) reviewSource() review.Source {
	src, _ := u.opts.Mackerel.(review.Source)
	return src
}

// reviewPane is what the SLO and cost panes share: the meeting, the button
// that computes from Mackerel, the status line and the computation run in
// the background.
type reviewPane struct {
	// life ends when the meeting view is replaced: a computation in
	// flight stops.
	life context.Context
	widget.BaseWidget
	u       *UI
	m       *minutes.Meeting
	compute *widget.Button
	status  *widget.Label
	root    fyne.CanvasObject
	// onDone is called after a computation (tests).
	onDone func(error)
}

func (u *UI) newReviewPane(m *minutes.Meeting) reviewPane {
	return reviewPane{u: u, m: m, life: u.paneLife, status: widget.NewLabel("")}
}

// CreateRenderer implements fyne.Widget.
func (p *reviewPane) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(p.root) }

// OnComputed sets what is called (UI goroutine) after each computation.
func (p *reviewPane) OnComputed(f func(error)) { p.onDone = f }

func (p *reviewPane) done(err error) {
	if p.onDone != nil {
		p.onDone(err)
	}
}

// run computes from Mackerel: reading is shown while work runs in the
// background (bounded by reviewTimeout and the pane's life); the function
// work returns is called on the UI goroutine and its error goes to onDone.
func (p *reviewPane) run(reading string, work func(context.Context, review.Source) (show func() error)) {
	src := p.u.reviewSource()
	if src == nil {
		p.status.SetText(errNoMackerel.Error())
		p.done(errNoMackerel)
		return
	}
	p.compute.Disable()
	p.status.SetText(reading)
	go func() {
		ctx, cancel := context.WithTimeout(p.life, reviewTimeout)
		defer cancel()
		show := work(ctx, src)
		onUI(func() {
			p.compute.Enable()
			p.done(show())
		})
	}()
}

// SLOPane is the SLO section's pane: revisits due, a budget chart per
// computed SLO and the button that computes them from Mackerel.
type SLOPane struct {
	reviewPane
	revisits *widget.Label
	charts   *fyne.Container
}

func (u *UI) newSLOPane(m *minutes.Meeting) *SLOPane {
	p := &SLOPane{reviewPane: u.newReviewPane(m)}
	p.status.Wrapping = fyne.TextWrapWord
	p.revisits = widget.NewLabel("")
	p.revisits.Wrapping = fyne.TextWrapWord
	p.revisits.Importance = widget.WarningImportance
	p.charts = container.NewVBox()
	p.compute = widget.NewButtonWithIcon(T("Compute from Mackerel"), theme.ViewRefreshIcon(), p.Compute)
	bar := container.NewHBox(p.compute)
	if u.opts.Demo {
		bar.Add(widget.NewButton(T("Add the demo SLOs"), p.addDemo))
	}
	p.root = container.NewVBox(p.revisits, container.NewBorder(nil, nil, bar, nil, p.status), p.charts)
	p.ExtendBaseWidget(p)
	p.refresh()
	registerPane(&u.review, p)
	return p
}

// Status returns the pane's status line.
func (p *SLOPane) Status() string { return p.status.Text }

// refresh redraws from the minutes.
func (p *SLOPane) refresh() {
	if p.u.reviewSource() == nil {
		p.compute.Disable()
		if p.status.Text == "" {
			p.status.SetText(T("Mackerel is not set up: SLOs show the numbers kept in the minutes."))
		}
	} else {
		p.compute.Enable()
	}
	p.showRevisits()
	rows, err := p.m.SLOs()
	if err != nil {
		p.status.SetText(err.Error())
		return
	}
	var objs []fyne.CanvasObject
	for _, r := range rows {
		res, ok := sloSnapshot(r)
		if !ok {
			continue
		}
		verdict := T("met")
		if !res.Met {
			verdict = T("NOT MET")
		}
		text := fmt.Sprintf("%s · %s / %s %s · %s · %s %s", r.Name, review.FormatPercent(res.Attainment), r.Objective,
			verdict, budgetText(res), T("burn"), burnText(res.BurnRate))
		if res.WorstDay != "" {
			text += " · " + T("worst day %s (%s)", res.WorstDay, review.FormatPercent(res.WorstDayAttainment))
		}
		line := widget.NewLabel(text)
		line.Wrapping = fyne.TextWrapWord
		if !res.Met {
			line.Importance = widget.DangerImportance
		}
		objs = append(objs, container.NewBorder(nil, nil, newBudgetChart(res.Budget), nil, line))
	}
	p.charts.Objects = objs
	p.charts.Refresh()
}

// showRevisits shows the revisits due of the pane's meeting as last worked
// out (revisits.go).
func (p *SLOPane) showRevisits() {
	if due := p.u.review.revisits.dueOf(p.m.ID()); len(due) > 0 {
		p.revisits.SetText(T("Revisit: %s", revisitText(due)))
		p.revisits.Show()
	} else {
		p.revisits.Hide()
	}
}

// budgetText is the error budget left at the start and the end of the
// period.
func budgetText(res review.Result) string {
	return T("budget %s at start, %s at end", review.FormatPercent(res.BudgetStart), review.FormatPercent(res.BudgetEnd))
}

func burnText(v review.Num) string {
	if !v.Valid() {
		return "–"
	}
	return fmt.Sprintf("%.2f×", float64(v))
}

// Compute reads the metric values of the SLOs naming an SLI and keeps the
// numbers in the minutes.
func (p *SLOPane) Compute() {
	p.run(T("Reading a month of metric values from Mackerel…"), func(ctx context.Context, src review.Source) func() error {
		rev, err := teamconf.ComputeSLOs(ctx, p.u.ws, p.m, src, time.Now(), time.Local)
		return func() error {
			var failed []string
			stale := false
			for _, r := range rev.Results {
				if r.Error != "" {
					failed = append(failed, r.Name+": "+r.Error)
				}
				stale = stale || r.Stale
			}
			switch {
			case err != nil:
				p.status.SetText(T("Failed: %v", err))
			case len(rev.Results) == 0:
				p.status.SetText(T("No SLO names an SLI: edit a row and give it one (e.g. web: app.requests.fast / app.requests.total)."))
			case len(failed) > 0:
				err = errors.New(strings.Join(failed, "; "))
				p.status.SetText(T("Computed %d of %d; %s", len(rev.Results)-len(failed), len(rev.Results), err))
			default:
				msg := T("Computed %d SLOs for %s – %s; %d breached.", len(rev.Results),
					rev.Period.From.Format(time.DateOnly), rev.Period.To.Add(-time.Second).Format(time.DateOnly), len(rev.Breached))
				if stale {
					msg += " " + T("(some values from the offline cache)")
				}
				p.status.SetText(msg)
			}
			p.u.refreshReview() // this pane, the SLO table and the banner
			return err
		}
	})
}

// addDemo adds the demo SLOs to the meeting (demo mode).
func (p *SLOPane) addDemo() {
	rows, _ := p.m.SLOs()
	have := map[string]bool{}
	for _, r := range rows {
		have[r.Name] = true
	}
	for _, r := range teamconf.DemoSLOs {
		if !have[r.Name] {
			if err := p.m.PutSLO(r); err != nil {
				p.u.showError(err)
				return
			}
		}
	}
}

// CostPane is the cost section's pane: the team's cost metrics, the month
// under review against the month before and a year before, the last 12
// months and the components that moved most.
type CostPane struct {
	reviewPane
	metrics *widget.Label
	summary *widget.Label
	body    *fyne.Container
}

func (u *UI) newCostPane(m *minutes.Meeting) *CostPane {
	p := &CostPane{reviewPane: u.newReviewPane(m)}
	p.metrics = widget.NewLabel("")
	p.metrics.Wrapping = fyne.TextWrapWord
	p.metrics.Importance = widget.LowImportance
	p.status.Wrapping = fyne.TextWrapWord
	p.summary = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.summary.Wrapping = fyne.TextWrapWord
	p.body = container.NewVBox()
	p.compute = widget.NewButtonWithIcon(T("Compute from Mackerel"), theme.ViewRefreshIcon(), p.Compute)
	settings := widget.NewButtonWithIcon(T("Cost metrics…"), theme.SettingsIcon(), p.editMetrics)
	p.root = container.NewVBox(container.NewBorder(nil, nil, container.NewHBox(p.compute, settings), nil, p.status),
		p.metrics, p.summary, p.body)
	p.ExtendBaseWidget(p)
	p.refresh()
	registerPane(&u.review, p)
	return p
}

// Summary returns the pane's headline.
func (p *CostPane) Summary() string { return p.summary.Text }

func (p *CostPane) refresh() {
	s, err := p.m.Series()
	if err == nil && s.CostMetrics() != "" {
		p.metrics.SetText(T("Cost metrics: %s", s.CostMetrics()))
	} else {
		p.metrics.SetText(T("The team's cost metrics are not set (Cost metrics…)."))
	}
	if p.u.reviewSource() == nil {
		p.compute.Disable()
	} else {
		p.compute.Enable()
	}
	c, ok := teamconf.CostSnapshot(p.m)
	if !ok || len(c.Months) == 0 {
		p.summary.SetText("")
		p.body.Objects = nil
		p.body.Refresh()
		return
	}
	cur := c.Months[len(c.Months)-1]
	head := fmt.Sprintf("%s: %s", cur.Month, markdown.Money(cur.Projected))
	if cur.Days < cur.DaysInMonth {
		head += " " + T("(projected from %d of %d days)", cur.Days, cur.DaysInMonth)
	}
	head += fmt.Sprintf(" · %s %s · %s %s", T("vs last month"), markdown.Change(c.VsLastMonth, c.VsLastMonthPct),
		T("vs same month last year"), markdown.Change(c.VsLastYear, c.VsLastYearPct))
	p.summary.SetText(head)
	first, last := widget.NewLabel(c.Months[0].Month), widget.NewLabel(cur.Month)
	first.Importance, last.Importance = widget.LowImportance, widget.LowImportance
	objs := []fyne.CanvasObject{newCostChart(c.Months), container.NewBorder(nil, nil, first, last)}
	if len(c.Components) > 0 {
		objs = append(objs, widget.NewLabelWithStyle(T("Components that moved most"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for i, cc := range c.Components {
			if i == 3 {
				break
			}
			l := widget.NewLabel(fmt.Sprintf("%s  %s  (%s %s, %s %s)", cc.Metric, markdown.Change(review.Num(cc.Change), cc.ChangePct),
				T("last month"), markdown.Money(cc.Last), T("this month"), markdown.Money(cc.This)))
			if i == 0 && cc.ChangePct.Valid() && float64(cc.ChangePct) > 0.1 {
				l.Importance = widget.WarningImportance
			}
			objs = append(objs, l)
		}
	}
	p.body.Objects = objs
	p.body.Refresh()
}

// Compute reads the cost metrics and keeps the review in the minutes.
func (p *CostPane) Compute() {
	p.run(T("Reading a year of cost from Mackerel…"), func(ctx context.Context, src review.Source) func() error {
		c, err := teamconf.ComputeCost(ctx, p.u.ws, p.m, src, time.Now(), time.Local)
		return func() error {
			switch {
			case err != nil:
				p.status.SetText(T("Failed: %v", err))
			case c.Stale:
				p.status.SetText(T("Computed (some values from the offline cache)."))
			default:
				p.status.SetText(T("Computed."))
			}
			p.refresh()
			return err
		}
	})
}

// editMetrics asks for the team's cost metrics; a wrong entry keeps the
// form open with the reason.
func (p *CostPane) editMetrics() {
	s, err := p.m.Series()
	if err != nil {
		p.u.showError(err)
		return
	}
	e := widget.NewMultiLineEntry()
	e.SetMinRowsVisible(4)
	e.SetPlaceHolder("total=web:cost.daily.usd\nweb:cost.component.compute\nweb:cost.component.database")
	e.SetText(strings.ReplaceAll(s.CostMetrics(), ", ", "\n"))
	if e.Text == "" && p.u.opts.Demo {
		e.SetText(strings.ReplaceAll(teamconf.DemoCostMetrics, ", ", "\n"))
	}
	e.Validator = func(text string) error {
		_, err := review.ParseCostConfig(text)
		return err
	}
	hint := widget.NewLabel(T("Daily cost as Mackerel service metrics, service:metric, one a line; total= marks the total (else the components are summed)."))
	hint.Wrapping = fyne.TextWrapWord
	showForm(p.u.win, T("Cost metrics"), []*widget.FormItem{widget.NewFormItem("", hint), widget.NewFormItem(T("Metrics"), e)},
		func() error {
			cfg, err := review.ParseCostConfig(e.Text)
			if err != nil {
				return err
			}
			if err := s.SetCostMetrics(cfg.String()); err != nil {
				return err
			}
			p.refresh()
			return nil
		})
}

// seriesNotes are the team's graph notes for the dashboard pane.
type seriesNotes struct {
	ws     *minutes.Workspace
	author string
}

func (n seriesNotes) GraphNote(key string) (string, bool) {
	s, err := n.ws.Series()
	if err != nil {
		return "", false
	}
	ns, _ := s.MetricNotes()
	note, ok := ns[key]
	return note.Note, ok && note.Note != ""
}

func (n seriesNotes) SetGraphNote(key, title, note string) error {
	s, err := n.ws.Series()
	if err != nil {
		return err
	}
	return s.SetMetricNote(key, title, note, n.author)
}

// notesPane refreshes a dashboard pane's notes after a sync.
type notesPane mackerelui.DashboardPane

func (n *notesPane) refresh() { (*mackerelui.DashboardPane)(n).RefreshNotes() }

// showForm shows a form whose submit may fail: the reason is shown and the
// form comes back with what was typed.
func showForm(win fyne.Window, title string, items []*widget.FormItem, submit func() error) {
	d := dialog.NewForm(title, T("Save"), T("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		if err := submit(); err != nil {
			e := dialog.NewError(err, win)
			e.SetOnClosed(func() { showForm(win, title, items, submit) })
			e.Show()
		}
	}, win)
	d.Resize(fyne.NewSize(600, 380))
	d.Show()
}
