package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/teamconf"
)

// reviewPeriod is the period a meeting reviews (teamconf.AlertReviewPeriod).
func reviewPeriod(ws *minutes.Workspace, m *minutes.Meeting) (time.Time, time.Time) {
	return teamconf.AlertReviewPeriod(ws, m, time.Local)
}

// upcomingChangesKey is the section of 今後の変化共有 in the PWG template: it
// gets the pane that schedules Mackerel downtimes.
const upcomingChangesKey = "changes"

// paneFor returns the Mackerel pane of an alert or dashboard section (a
// hint when Mackerel is not set up), the downtime pane of the upcoming
// changes section, or nil for other sections.
func (u *UI) paneFor(m *minutes.Meeting, s minutes.Section) fyne.CanvasObject {
	return u.paneWith(m, s, nil, true)
}

// paneWith is paneFor; changed (if set) runs after the pane loaded or
// acted (it made new objects). foldBoard folds the alert pane's hygiene
// board to a summary line (the main window; the facilitator shows it).
func (u *UI) paneWith(m *minutes.Meeting, s minutes.Section, changed func(), foldBoard bool) fyne.CanvasObject {
	switch s.Kind {
	case minutes.SectionSLO:
		return u.newSLOPane(m) // reviewpanes.go
	case minutes.SectionCost:
		return u.newCostPane(m)
	case minutes.SectionIncidents:
		return u.newPostmortemPane(m).box // memorypanes.go
	case minutes.SectionActions:
		if s.Key == "previous-actions" {
			return u.newCarryOverPane(m).box
		}
		return nil
	}
	changes := s.Key == upcomingChangesKey && s.Kind == minutes.SectionNotes
	if changes && u.opts.Mackerel == nil {
		return nil
	}
	if s.Kind != minutes.SectionAlerts && s.Kind != minutes.SectionDashboard && !changes {
		return nil
	}
	if u.opts.Mackerel == nil {
		l := widget.NewLabel(T("Mackerel is not set up: add the API key in Settings (Ctrl+,), or start pwg --demo to try it with sample data."))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
		if u.opts.StartDemo == nil {
			return l
		}
		return container.NewVBox(l, container.NewHBox(
			widget.NewButton(T("Settings…"), u.showSettings),
			widget.NewButton(T("Try with demo data"), u.UseDemo)))
	}
	from, to := reviewPeriod(u.ws, m)
	opts := mackerelui.Options{
		Context: u.paneLife,
		Window:  u.win, Minutes: m, SectionKey: s.Key, User: u.ws.Author().Name, Org: u.opts.MackerelOrg,
		From: from, To: to, FoldBoard: foldBoard,
		InsertText: func(key, text string) error {
			if u.view != nil && u.view.m == m {
				if sv := u.view.Section(key); sv != nil {
					return sv.Editor().InsertAtCaret(text)
				}
			}
			return m.AppendNotes(key, text)
		},
		OnAction: func(action string, err error) {
			if err != nil {
				u.status.SetText(T("Mackerel %s failed: %v (nothing was written into the minutes)", action, err))
			}
			if changed != nil {
				changed()
			}
		},
		OnLoaded: func(err error) {
			if changed != nil {
				changed()
			}
			if u.opts.OnPaneLoaded != nil {
				u.opts.OnPaneLoaded(s.Kind, err)
			}
		},
	}
	if changes {
		return mackerelui.NewChangesPane(u.opts.Mackerel, opts)
	}
	if s.Kind == minutes.SectionAlerts {
		opts.Decisions = func() []mackerel.Decision {
			_, ds, err := teamconf.AlertDecisions(u.ws, m, time.Local)
			if err != nil {
				return nil
			}
			return ds
		}
		opts.MonitorsAsCode, _ = teamconf.MonitorsAsCode(u.ws)
		opts.MinutesLink, _ = teamconf.MinutesURL(u.ws)
		return mackerelui.NewAlertsPane(u.opts.Mackerel, opts)
	}
	opts.Notes = seriesNotes{ws: u.ws, author: u.ws.Author().Name}
	dp := mackerelui.NewDashboardPane(u.opts.Mackerel, opts)
	registerPane(&u.review, (*notesPane)(dp))
	return dp
}
