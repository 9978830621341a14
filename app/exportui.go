package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/issues"
	"github.com/pwg-team/pwg/integrations/markdown"
	"github.com/pwg-team/pwg/integrations/teamconf"
)

// exportMarkdown asks for a folder and writes the current meeting's
// Markdown and images there.
func (u *UI) exportMarkdown() {
	if u.view == nil {
		return
	}
	m := u.view.m
	dialog.ShowFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			return
		}
		go func() {
			mins, err := teamconf.Minutes(m)
			var res markdown.Result
			if err == nil {
				res, err = markdown.WriteDir(dir.Path(), mins, markdown.Options{Blobs: u.ws.Blob})
			}
			onUI(func() {
				if err != nil {
					u.showError(err)
					return
				}
				msg := T("Exported to %s", res.File)
				if len(res.Missing) > 0 {
					msg += "\n" + T("%d image(s) are not in this workspace yet.", len(res.Missing))
				}
				u.status.SetText(msg)
				dialog.ShowInformation(T("Export Markdown…"), msg, u.win)
			})
		}()
	}, u.win)
}

// copyMarkdown puts the current meeting's Markdown on the clipboard.
func (u *UI) copyMarkdown() {
	if u.view == nil {
		return
	}
	mins, err := teamconf.Minutes(u.view.m)
	if err != nil {
		u.showError(err)
		return
	}
	s, err := markdown.String(mins, markdown.Options{Blobs: u.ws.Blob})
	if err != nil {
		u.showError(err)
		return
	}
	u.app.Clipboard().SetContent(s)
	u.status.SetText(T("Markdown copied to the clipboard (%d characters)", len([]rune(s))))
}

// exportIssues opens the preview of the current meeting's TODOs to issues.
func (u *UI) exportIssues() {
	if u.view == nil {
		return
	}
	m := u.view.m
	text := widget.NewLabel(T("Looking for existing issues…"))
	text.Wrapping = fyne.TextWrapWord
	// Filled in once the plan is read; "Create" does nothing before.
	var ex *issues.Exporter
	var items []minutes.ActionItem
	d := dialog.NewCustomConfirm(T("TODOs to issues"), T("Create"), T("Cancel"), container.NewVScroll(text), func(ok bool) {
		if ok && ex != nil {
			u.runIssueExport(ex, items)
		}
	}, u.win)
	d.Resize(fyne.NewSize(640, 420))
	d.Show()
	// The token comes from the OS keyring and the plan from GitHub: both off
	// the UI goroutine.
	go func() {
		plan, e, its, err := func() (*issues.Plan, *issues.Exporter, []minutes.ActionItem, error) {
			tr, conf, err := teamconf.Tracker(u.ws)
			if err != nil {
				return nil, nil, nil, err
			}
			e, its, err := teamconf.IssueExporter(u.ws, m, tr, conf)
			if err != nil {
				return nil, nil, nil, err
			}
			plan, err := e.Plan(context.Background(), its)
			return plan, e, its, err
		}()
		onUI(func() {
			if err != nil {
				text.SetText(T("Error") + ": " + err.Error())
				return
			}
			ex, items = e, its
			text.SetText(planText(plan))
		})
	}()
}

func planText(plan *issues.Plan) string {
	var b strings.Builder
	for _, it := range plan.Items {
		fmt.Fprintf(&b, "%s — %s\n", actionLabel(it.Action), it.Item.Title)
	}
	if len(plan.Items) == 0 {
		b.WriteString(T("No open action items."))
	}
	return b.String()
}

func actionLabel(a issues.Action) string {
	switch a {
	case issues.ActionCreate:
		return T("create")
	case issues.ActionLinkExisting:
		return T("link existing issue")
	case issues.ActionAlreadyLinked:
		return T("already linked")
	case issues.ActionSkip:
		return T("skip (closed)")
	}
	return string(a)
}

// runIssueExport runs the export with a progress bar and lists each item's
// result; failures say why, and running again resumes.
func (u *UI) runIssueExport(ex *issues.Exporter, items []minutes.ActionItem) {
	bar := widget.NewProgressBar()
	results := widget.NewLabel("")
	results.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(T("TODOs to issues"), T("Close"), container.NewBorder(bar, nil, nil, nil, container.NewVScroll(results)), u.win)
	d.Resize(fyne.NewSize(640, 420))
	d.Show()
	var lines []string
	go func() {
		rep, err := ex.Run(context.Background(), items, func(p issues.Progress) {
			if p.Result == nil {
				return
			}
			line := fmt.Sprintf("%s — %s: %s", actionLabel(p.Result.Action), p.Title, p.Result.URL)
			if p.Result.Err != nil {
				line = fmt.Sprintf("✗ %s: %v", p.Title, p.Result.Err)
			}
			done, total := p.Done, p.Total
			onUI(func() {
				lines = append(lines, line)
				results.SetText(strings.Join(lines, "\n"))
				if total > 0 {
					bar.SetValue(float64(done) / float64(total))
				}
			})
		})
		onUI(func() {
			bar.SetValue(1)
			switch {
			case err != nil:
				lines = append(lines, T("Error")+": "+err.Error())
			case len(rep.Failed()) > 0:
				lines = append(lines, T("%d item(s) failed; run again to resume.", len(rep.Failed())))
			default:
				lines = append(lines, T("Done: every TODO has its issue, linked in the minutes."))
			}
			results.SetText(strings.Join(lines, "\n"))
		})
	}()
}
