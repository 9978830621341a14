package mackerelui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/i18n"
	"github.com/pwg-team/pwg/app/internal/uido"
	"github.com/pwg-team/pwg/integrations/mackerel"
)

const formTime = "2006-01-02 15:04"

func showError(err error, w fyne.Window) { dialog.ShowError(err, w) }

// defaultService is the service of the dashboard's first service or role graph.
func (p *DashboardPane) defaultService() string {
	for _, w := range p.dash.Widgets {
		switch w.Graph.Type {
		case "service":
			return w.Graph.ServiceName
		case "role":
			if svc, _, ok := strings.Cut(w.Graph.RoleFullName, ":"); ok {
				return svc
			}
		}
	}
	return ""
}

// showAnnotationForm reads the services, then asks for an annotation.
func (p *DashboardPane) showAnnotationForm() {
	p.annotate.Disable()
	p.status.SetText(i18n.T("Reading services…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
		defer cancel()
		svcs, err := p.src.Services(ctx)
		uido.Do(func() {
			p.annotate.Enable()
			if err != nil {
				p.status.SetText(i18n.T("Failed: ") + err.Error())
				p.opt.acted("annotation", err)
				return
			}
			p.status.SetText("")
			p.annotationForm(svcs.Value)
		})
	}()
}

func (p *DashboardPane) annotationForm(services []mackerel.Service) {
	title := widget.NewEntry()
	desc := widget.NewMultiLineEntry()
	now := p.opt.Now().In(p.opt.Location)
	from, to := widget.NewEntry(), widget.NewEntry()
	from.SetText(now.Add(-time.Hour).Format(formTime))
	to.SetText(now.Format(formTime))
	names := make([]string, 0, len(services))
	roles := map[string][]string{}
	for _, s := range services {
		names = append(names, s.Name)
		roles[s.Name] = s.Roles
	}
	roleCheck := widget.NewCheckGroup(nil, nil)
	roleCheck.Horizontal = true
	svc := widget.NewSelect(names, func(s string) {
		roleCheck.Options = roles[s]
		roleCheck.Selected = nil
		roleCheck.Refresh()
	})
	if d := p.defaultService(); d != "" {
		svc.SetSelected(d)
	} else if len(names) > 0 {
		svc.SetSelected(names[0])
	}
	items := []*widget.FormItem{
		{Text: i18n.T("Title"), Widget: title},
		{Text: "Description", Widget: desc},
		{Text: i18n.T("From"), Widget: from, HintText: formTime},
		{Text: i18n.T("To"), Widget: to, HintText: formTime},
		{Text: i18n.T("Service"), Widget: svc},
		{Text: i18n.T("Roles"), Widget: roleCheck, HintText: i18n.T("none: the whole service")},
	}
	d := dialog.NewForm(i18n.T("Add a graph annotation"), i18n.T("Add"), i18n.T("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		f, err1 := time.ParseInLocation(formTime, strings.TrimSpace(from.Text), p.opt.Location)
		t, err2 := time.ParseInLocation(formTime, strings.TrimSpace(to.Text), p.opt.Location)
		if err1 != nil || err2 != nil {
			p.annotationFailed(fmt.Errorf("write the times as %s", formTime))
			return
		}
		a := mackerel.Annotation{Title: strings.TrimSpace(title.Text), Description: strings.TrimSpace(desc.Text),
			From: f, To: t, Service: svc.Selected, Roles: append([]string(nil), roleCheck.Selected...)}
		if err := a.Validate(); err != nil {
			p.annotationFailed(err)
			return
		}
		p.createAnnotation(a)
	}, p.opt.Window)
	d.Resize(fyne.NewSize(520, 420))
	d.Show()
}

func (p *DashboardPane) annotationFailed(err error) {
	p.status.SetText(i18n.T("Failed: ") + err.Error())
	if p.opt.Window != nil {
		showError(err, p.opt.Window)
	}
	p.opt.acted("annotation", err)
}

// createAnnotation writes the annotation to Mackerel and the minutes, then
// redraws the graphs so it shows.
func (p *DashboardPane) createAnnotation(a mackerel.Annotation) {
	p.status.SetText(i18n.T("Adding the annotation…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
		defer cancel()
		created, err := p.src.CreateAnnotation(ctx, a)
		var line string
		if err == nil {
			scope := created.Service
			if len(created.Roles) > 0 {
				scope += " (" + strings.Join(created.Roles, ", ") + ")"
			}
			line = fmt.Sprintf("graph annotation “%s” added to %s, %s – %s", created.Title, scope,
				created.From.In(p.opt.Location).Format(formTime), created.To.In(p.opt.Location).Format(formTime))
			if merr := p.opt.insert(p.opt.logLine(line)); merr != nil {
				err = fmt.Errorf("the annotation is in Mackerel, but the minutes could not be written: %w", merr)
			}
		}
		uido.Do(func() {
			if err != nil {
				p.annotationFailed(err)
				return
			}
			p.opt.acted("annotation", nil)
			p.Reload()
		})
	}()
}
