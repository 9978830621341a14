package mackerelui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/i18n"
	"github.com/pwg-team/pwg/app/internal/uido"
	"github.com/pwg-team/pwg/integrations/mackerel"
)

// ChangesPane is the Mackerel side of 今後の変化共有 (upcoming changes): the
// scheduled downtimes, and a form that schedules one (service, role or
// monitor scope; start, duration, recurrence) with a graph annotation for
// its time, confirmed and logged in the minutes like the monitor actions.
type ChangesPane struct {
	widget.BaseWidget

	src      Source
	opt      Options
	status   *widget.Label
	list     *fyne.Container
	schedule *widget.Button
	content  fyne.CanvasObject
	loads    loads

	services []mackerel.Service
	monitors []mackerel.Monitor
}

// NewChangesPane returns the pane; it starts reading the downtimes at once.
func NewChangesPane(src Source, opt Options) *ChangesPane {
	opt.defaults()
	p := &ChangesPane{src: src, opt: opt}
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.list = container.NewVBox()
	p.schedule = widget.NewButton(i18n.T("Schedule a downtime…"), p.showForm)
	p.schedule.Disable()
	title := widget.NewLabelWithStyle(i18n.T("Scheduled downtimes in Mackerel"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.content = container.NewBorder(container.NewVBox(container.NewBorder(nil, nil, nil, p.schedule, title), p.status),
		nil, nil, nil, container.NewVScroll(p.list))
	p.ExtendBaseWidget(p)
	p.Reload()
	return p
}

// CreateRenderer implements fyne.Widget.
func (p *ChangesPane) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(p.content)
}

// Reload reads the downtimes, services and monitors on a goroutine.
func (p *ChangesPane) Reload() {
	p.status.SetText(i18n.T("Reading downtimes…"))
	live := p.loads.next(p.opt.Context)
	go func() {
		ctx, cancel := context.WithTimeout(live, loadTimeout)
		defer cancel()
		ds, err := p.src.Downtimes(ctx)
		svcs, _ := p.src.Services(ctx)
		mons, _ := p.src.Monitors(ctx)
		uido.Do(func() {
			if live.Err() != nil {
				return // superseded, or the pane is gone
			}
			p.services, p.monitors = svcs.Value, mons.Value
			p.schedule.Enable()
			p.list.RemoveAll()
			if err != nil {
				p.status.SetText(i18n.T("Could not read the downtimes: ") + err.Error())
				p.opt.loaded(err)
				return
			}
			p.status.SetText(ds.StaleNote(p.opt.Now()))
			now := p.opt.Now()
			n := 0
			for _, d := range ds.Value {
				if d.Recurrence == "" && d.Start.Add(d.Duration).Before(now) {
					continue // over
				}
				p.list.Add(widget.NewLabel(p.describe(d, p.monitors)))
				n++
			}
			if n == 0 {
				p.list.Add(caption(i18n.T("No downtime is scheduled.")))
			}
			p.list.Refresh()
			p.opt.loaded(nil)
		})
	}()
}

// describe is a downtime in one line, as the minutes log it; monitors
// name the monitors of its scope (p.monitors, or a copy taken for a
// goroutine: a Reload replaces p.monitors on the UI goroutine).
func (p *ChangesPane) describe(d mackerel.Downtime, monitors []mackerel.Monitor) string {
	s := fmt.Sprintf("“%s”: %s, %s for %s", d.Name, scopeText(d, monitors), d.Start.In(p.opt.Location).Format(formTime),
		mackerel.ShortDuration(d.Duration))
	if d.Recurrence != "" {
		s += ", " + d.Recurrence
		if !d.Until.IsZero() {
			s += " until " + d.Until.In(p.opt.Location).Format(time.DateOnly)
		}
	}
	return s
}

func scopeText(d mackerel.Downtime, monitors []mackerel.Monitor) string {
	var parts []string
	parts = append(parts, d.Services...)
	parts = append(parts, d.Roles...)
	for _, id := range d.Monitors {
		name := id
		for _, m := range monitors {
			if m.ID == id {
				name = "monitor “" + m.Name + "”"
			}
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, ", ")
}

// scopeOptions lists what a downtime can cover: services, roles, monitors.
func (p *ChangesPane) scopeOptions() ([]string, map[string]mackerel.Downtime) {
	var labels []string
	scope := map[string]mackerel.Downtime{}
	for _, s := range p.services {
		l := "service " + s.Name
		labels = append(labels, l)
		scope[l] = mackerel.Downtime{Services: []string{s.Name}}
		for _, r := range s.Roles {
			l := "role " + s.Name + ":" + r
			labels = append(labels, l)
			scope[l] = mackerel.Downtime{Roles: []string{s.Name + ":" + r}}
		}
	}
	for _, m := range p.monitors {
		l := "monitor " + m.Name
		labels = append(labels, l)
		scope[l] = mackerel.Downtime{Monitors: []string{m.ID}}
	}
	return labels, scope
}

// annotationService is where a downtime's annotation goes: its service, or
// the service of its role or monitor.
func (p *ChangesPane) annotationService(d mackerel.Downtime) (string, []string) {
	switch {
	case len(d.Services) > 0:
		return d.Services[0], nil
	case len(d.Roles) > 0:
		svc, role, _ := strings.Cut(d.Roles[0], ":")
		return svc, []string{role}
	case len(d.Monitors) > 0:
		for _, m := range p.monitors {
			if m.ID == d.Monitors[0] {
				return mackerel.MonitorService(m)
			}
		}
	}
	return "", nil
}

func (p *ChangesPane) showForm() {
	labels, scopes := p.scopeOptions()
	name := widget.NewEntry()
	name.SetPlaceHolder(i18n.T("e.g. DB maintenance (MySQL 8.4 upgrade)"))
	scope := widget.NewSelect(labels, nil)
	start := widget.NewEntry()
	start.SetText(p.opt.Now().In(p.opt.Location).Add(7 * 24 * time.Hour).Truncate(time.Hour).Format(formTime))
	dur := widget.NewEntry()
	dur.SetText("60")
	rec := widget.NewSelect([]string{"once", "daily", "weekly", "monthly"}, nil)
	rec.SetSelected("once")
	items := []*widget.FormItem{
		{Text: i18n.T("Name"), Widget: name},
		{Text: i18n.T("Scope"), Widget: scope},
		{Text: i18n.T("Start"), Widget: start, HintText: i18n.T("YYYY-MM-DD HH:MM")},
		{Text: i18n.T("Duration"), Widget: dur, HintText: i18n.T("minutes")},
		{Text: i18n.T("Repeats"), Widget: rec},
	}
	d := dialog.NewForm(i18n.T("Schedule a Mackerel downtime"), i18n.T("Next"), i18n.T("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		t, err := time.ParseInLocation(formTime, strings.TrimSpace(start.Text), p.opt.Location)
		if err != nil {
			showError(fmt.Errorf("start %q: want YYYY-MM-DD HH:MM", start.Text), p.opt.Window)
			return
		}
		mins, err := strconv.Atoi(strings.TrimSpace(dur.Text))
		if err != nil || mins < 1 {
			showError(fmt.Errorf("duration %q: want whole minutes", dur.Text), p.opt.Window)
			return
		}
		dt := scopes[scope.Selected]
		dt.Name, dt.Start, dt.Duration = strings.TrimSpace(name.Text), t, time.Duration(mins)*time.Minute
		if rec.Selected != "once" {
			dt.Recurrence = rec.Selected
		}
		if err := dt.Validate(); err != nil {
			showError(err, p.opt.Window)
			return
		}
		p.confirm(dt)
	}, p.opt.Window)
	d.Resize(fyne.NewSize(560, 380))
	d.Show()
}

// marker makes the downtime's marker from the meeting and the downtime:
// the same plan on two laptops is scheduled once.
func (p *ChangesPane) marker(d mackerel.Downtime) string {
	id := ""
	if p.opt.Minutes != nil {
		id = p.opt.Minutes.ID()
	}
	return mackerel.Marker(id, d.Name, strconv.FormatInt(d.Start.Unix(), 10))
}

func (p *ChangesPane) confirm(d mackerel.Downtime) {
	marker := p.marker(d)
	svc, roles := p.annotationService(d)
	ann := mackerel.Annotation{Title: "PWG planned: " + d.Name, Description: "Downtime scheduled in the PWG meeting.",
		From: d.Start, To: d.Start.Add(d.Duration), Service: svc, Roles: roles}
	annotate := svc != ""
	check := widget.NewCheck(i18n.T("Graph annotation on ")+svc+i18n.T(" for its time: “")+ann.Title+"”", func(on bool) { annotate = on })
	if svc == "" {
		check.Text, annotate = "Graph annotation: the scope has no service", false
		check.Disable()
	} else {
		check.SetChecked(true)
	}
	msg := widget.NewLabel(i18n.T("Schedule the downtime ") + p.describe(d, p.monitors) + i18n.T("?\nAlerts of its scope are not notified during it."))
	msg.Wrapping = fyne.TextWrapWord
	dlg := dialog.NewCustomConfirm(i18n.T("Schedule the downtime in Mackerel?"), i18n.T("Schedule"), i18n.T("Cancel"),
		container.NewVBox(msg, widget.NewSeparator(), check), func(yes bool) {
			if yes {
				p.run(d, marker, ann, annotate)
			}
		}, p.opt.Window)
	dlg.Resize(fyne.NewSize(600, 260))
	dlg.Show()
}

func (p *ChangesPane) run(d mackerel.Downtime, marker string, ann mackerel.Annotation, annotate bool) {
	p.status.SetText(i18n.T("Writing to Mackerel…"))
	monitors := p.monitors
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
		defer cancel()
		got, found, err := p.src.ScheduleDowntime(ctx, d, marker)
		if err != nil {
			uido.Do(func() {
				p.status.SetText(i18n.T("Failed: ") + err.Error())
				showError(err, p.opt.Window)
				p.opt.acted("downtime", err)
			})
			return
		}
		line := "downtime " + p.describe(got, monitors) + " scheduled in Mackerel"
		if found {
			line = "downtime " + p.describe(got, monitors) + " was already scheduled in Mackerel"
		}
		if annotate {
			if _, afound, _, aerr := p.src.AnnotateOnce(ctx, ann, marker); aerr != nil {
				line += "; the annotation could not be added: " + aerr.Error()
			} else if afound {
				line += "; annotation already there"
			} else {
				line += "; annotation added"
			}
		}
		merr := p.opt.insert(p.opt.logLine(line))
		uido.Do(func() {
			if merr != nil {
				err := fmt.Errorf("the downtime was scheduled, but the minutes could not be written: %w", merr)
				p.status.SetText(i18n.T("Failed: ") + err.Error())
				p.opt.acted("downtime", err)
				return
			}
			p.status.SetText(i18n.T("Done: ") + line)
			p.opt.acted("downtime", nil)
			p.Reload()
		})
	}()
}
