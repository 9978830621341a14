package mackerelui

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/i18n"
	"github.com/pwg-team/pwg/app/internal/uido"
	"github.com/pwg-team/pwg/integrations/mackerel"
)

// DashboardPane shows the team's PWG custom dashboard for the review
// period, laid out on the dashboard's grid. Create it with NewDashboardPane.
type DashboardPane struct {
	pane

	progress *widget.ProgressBar
	annotate *widget.Button
	grid     *fyne.Container
	layout   *gridLayout

	org        string
	dash       mackerel.Dashboard
	results    []widgetResult
	notes      map[string]*noteRow // by graph key (notes.go)
	statusBase string              // the status line before the note count
}

// widgetResult is what was read for one widget of the dashboard.
type widgetResult struct {
	graph mackerel.Fetched[mackerel.GraphData]
	value mackerel.Fetched[mackerel.Value]
	err   error
}

// loadWorkers bounds the graphs read at once.
const loadWorkers = 4

// NewDashboardPane returns the pane for opt's period (by default the last
// 30 days). It starts loading at once.
func NewDashboardPane(src Source, opt Options) *DashboardPane {
	p := &DashboardPane{org: opt.Org}
	p.init(src, opt, p.Reload)
	p.progress = widget.NewProgressBar()
	p.progress.Hide()
	p.annotate = widget.NewButton(i18n.T("Add annotation…"), p.showAnnotationForm)
	// rows grow half as much as the type under a larger theme (the
	// projector's): readable graphs, two rows of them still on screen
	p.layout = &gridLayout{rowHeight: 40, minColumn: 20, gap: 8, scale: func() float32 {
		k := p.Theme().Size(theme.SizeNameText) / theme.DefaultTheme().Size(theme.SizeNameText)
		return 1 + (k-1)/2
	}}
	p.grid = container.New(p.layout)
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(p.annotate, p.reload), p.status)
	top := container.NewVBox(bar, p.progress, p.banner)
	p.content = container.NewBorder(top, nil, nil, nil, container.NewScroll(p.grid))
	p.ExtendBaseWidget(p)
	p.Reload()
	return p
}

// Dashboard returns the dashboard shown.
func (p *DashboardPane) Dashboard() mackerel.Dashboard { return p.dash }

// Reload reads the dashboard and its graphs on a goroutine.
func (p *DashboardPane) Reload() {
	live := p.loads.next(p.opt.Context)
	from, to, title, org := p.from, p.to, p.opt.DashboardTitle, p.org
	p.reload.Disable()
	p.status.SetText(i18n.T("Reading the dashboard…"))
	p.progress.SetValue(0)
	p.progress.Show()
	go func() {
		ctx, cancel := context.WithTimeout(live, loadTimeout)
		defer cancel()
		var stale []string
		if org == "" {
			if o, err := p.src.Org(ctx); err == nil {
				org = o.Value
			}
		}
		dash, err := p.readDashboard(ctx, title, &stale)
		if err != nil {
			uido.Do(func() {
				if live.Err() == nil {
					p.fail(err)
				}
			})
			return
		}
		var todo []int
		for i, w := range dash.Widgets {
			if (w.Type == "graph" && w.Graph.Drawable()) || (w.Type == "value" && (w.Metric.Type == "host" || w.Metric.Type == "service")) {
				todo = append(todo, i)
			}
		}
		results := make([]widgetResult, len(dash.Widgets))
		jobs := make(chan int, len(todo))
		for _, i := range todo {
			jobs <- i
		}
		close(jobs)
		finished := make(chan struct{})
		for range min(loadWorkers, len(todo)) {
			go func() {
				for i := range jobs {
					w := dash.Widgets[i]
					var res widgetResult
					if w.Type == "graph" {
						res.graph, res.err = p.src.Graph(ctx, w.Graph, from, to)
					} else {
						res.value, res.err = p.src.LatestValue(ctx, w.Metric)
					}
					results[i] = res // each index is written by one worker only
					finished <- struct{}{}
				}
			}()
		}
		// progress is reported from this goroutine only, one uido.Do a step
		for n := 1; n <= len(todo); n++ {
			<-finished
			frac := float64(n) / float64(len(todo))
			uido.Do(func() {
				if live.Err() == nil {
					p.progress.SetValue(frac)
				}
			})
		}
		for _, r := range results {
			switch {
			case r.graph.Stale:
				stale = append(stale, r.graph.StaleNote(p.opt.Now()))
			case r.value.Stale:
				stale = append(stale, r.value.StaleNote(p.opt.Now()))
			}
		}
		uido.Do(func() {
			if live.Err() != nil {
				return
			}
			p.org, p.dash, p.results = org, dash, results
			p.apply(stale)
		})
	}()
}

// readDashboard finds the dashboard by title and reads its widgets.
func (p *DashboardPane) readDashboard(ctx context.Context, title string, stale *[]string) (mackerel.Dashboard, error) {
	list, err := p.src.Dashboards(ctx)
	if err != nil {
		return mackerel.Dashboard{}, err
	}
	if list.Stale {
		*stale = append(*stale, list.StaleNote(p.opt.Now()))
	}
	d, ok := mackerel.DashboardByTitle(list.Value, title)
	if !ok {
		if len(list.Value) == 0 {
			return mackerel.Dashboard{}, errors.New("the organisation has no custom dashboard")
		}
		d = list.Value[0]
	}
	full, err := p.src.Dashboard(ctx, d.ID)
	if err != nil {
		return mackerel.Dashboard{}, err
	}
	return full.Value, nil
}

func (p *DashboardPane) fail(err error) {
	p.reload.Enable()
	p.progress.Hide()
	p.status.SetText(i18n.T("No dashboard to show"))
	p.banner.SetText(i18n.T("Could not read the dashboard: ") + err.Error())
	p.banner.Show()
	p.opt.loaded(err)
}

func (p *DashboardPane) apply(stale []string) {
	p.reload.Enable()
	p.progress.Hide()
	p.status.SetText(fmt.Sprintf("%s · %s – %s", p.dash.Title, p.from.In(p.opt.Location).Format("2006-01-02"),
		p.to.In(p.opt.Location).Format("2006-01-02")))
	if len(stale) > 0 {
		p.banner.SetText(stale[0])
		p.banner.Show()
	} else {
		p.banner.Hide()
	}
	cells := make([]fyne.CanvasObject, 0, len(p.dash.Widgets))
	p.layout.cells = p.layout.cells[:0]
	p.notes = nil
	for i, w := range p.dash.Widgets {
		cells = append(cells, p.cell(i, w))
		p.layout.cells = append(p.layout.cells, w.Layout)
	}
	p.grid.Objects = cells
	p.grid.Refresh()
	p.statusBase = p.status.Text
	p.showNoteCount()
	p.opt.loaded(nil)
}

func (p *DashboardPane) links() mackerel.Links { return p.src.Links(p.org) }

func (p *DashboardPane) titleLink(title, link string) fyne.CanvasObject {
	u, err := url.Parse(link)
	if err != nil || link == "" {
		return widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	h := widget.NewHyperlink(title, u)
	h.TextStyle.Bold = true
	return h
}

func framed(o fyne.CanvasObject) fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = 4
	return container.NewStack(bg, container.NewPadded(o))
}

// cell builds the view of one widget.
func (p *DashboardPane) cell(i int, w mackerel.Widget) fyne.CanvasObject {
	res := p.results[i]
	link := p.links().Graph(w.Graph, p.dash.URLPath)
	switch w.Type {
	case "graph":
		if !w.Graph.Drawable() {
			what := w.Graph.Expression
			if w.Graph.Type == "query" {
				what = w.Graph.Query
			}
			note := widget.NewLabel(i18n.T("%s graph: %s\nThe API cannot evaluate it: open it in Mackerel.", w.Graph.Type, what))
			note.Wrapping = fyne.TextWrapWord
			return framed(container.NewBorder(p.titleLink(w.Title, link), p.noteRow(w), nil, nil, note))
		}
		if res.err != nil {
			msg := widget.NewLabel(res.err.Error())
			msg.Wrapping = fyne.TextWrapWord
			msg.Importance = widget.WarningImportance
			return framed(container.NewBorder(p.titleLink(w.Title, link), p.noteRow(w), nil, nil, msg))
		}
		g := NewGraph(res.graph.Value, w.ReferenceLines, p.opt.Location)
		data, title, refs := res.graph.Value, w.Title, w.ReferenceLines
		pin := widget.NewButtonWithIcon(i18n.T("Pin"), theme.ContentAddIcon(), nil)
		pin.OnTapped = func() { p.pin(title, link, data, refs) }
		head := container.NewBorder(nil, nil, nil, pin, p.titleLink(w.Title, link))
		return framed(container.NewBorder(head, p.noteRow(w), nil, nil, g))
	case "value":
		link = p.links().Graph(w.Metric, p.dash.URLPath)
		txt := "—"
		switch {
		case res.err != nil:
			txt = "?"
		case res.value.Value.Known:
			frac := 2
			if w.FractionSize != nil {
				frac = int(*w.FractionSize)
			}
			txt = fmt.Sprintf("%.*f%s", frac, res.value.Value.Value, w.Suffix)
		case w.Metric.Type != "host" && w.Metric.Type != "service":
			txt = "open in Mackerel"
		}
		big := canvas.NewText(txt, theme.Color(theme.ColorNameForeground))
		big.TextSize = theme.TextSize() * 2.2
		big.TextStyle.Bold = true
		big.Alignment = fyne.TextAlignCenter
		return framed(container.NewBorder(p.titleLink(w.Title, link), nil, nil, nil, container.NewCenter(big)))
	case "markdown":
		md := widget.NewRichTextFromMarkdown(w.Markdown)
		md.Wrapping = fyne.TextWrapWord
		return framed(container.NewVScroll(md))
	case "alertStatus":
		link = p.links().Graph(mackerel.GraphSpec{Type: "role", RoleFullName: w.RoleFullName}, p.dash.URLPath)
		return framed(container.NewBorder(p.titleLink(w.Title, link), nil, nil, nil,
			widget.NewLabel(i18n.T("Alert status of ")+w.RoleFullName+i18n.T(" (see the alerts pane)"))))
	}
	return framed(container.NewVBox(p.titleLink(w.Title, p.links().Dashboard(p.dash.URLPath)),
		widget.NewLabel(i18n.T("widget type ")+w.Type), layout.NewSpacer()))
}

// pin renders a graph into the minutes.
func (p *DashboardPane) pin(title, link string, data mackerel.GraphData, refs []mackerel.ReferenceLine) {
	p.status.SetText(i18n.T("Pinning ") + title + "…")
	go func() {
		line, err := pinGraph(&p.opt, title, link, data, refs)
		uido.Do(func() {
			if err != nil {
				p.status.SetText(i18n.T("Failed: ") + err.Error())
				if p.opt.Window != nil {
					showError(err, p.opt.Window)
				}
				p.opt.acted("pin", err)
				return
			}
			p.status.SetText(i18n.T("Done: ") + line)
			p.opt.acted("pin", nil)
		})
	}()
}
