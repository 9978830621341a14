package mackerelui

import (
	"context"
	"errors"
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
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
)

// writeTimeout bounds one write to Mackerel.
const writeTimeout = time.Minute

// verdicts in the order the review form offers them.
var verdicts = []struct{ key, label string }{
	{minutes.VerdictKeep, "keep: needed as it is"},
	{minutes.VerdictTune, "tune: change threshold or duration"},
	{minutes.VerdictDelete, "delete: noise, nobody acts on it"},
	{minutes.VerdictFixCause, "fix-root-cause: the alert is right, fix the system"},
}

// confirm asks before an action; ok runs on the UI goroutine.
func (p *AlertsPane) confirm(title, message, action string, ok func()) {
	msg := widget.NewLabel(message)
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(title, action, i18n.T("Cancel"), msg, func(yes bool) {
		if yes {
			ok()
		}
	}, p.opt.Window)
	d.Resize(fyne.NewSize(480, 200))
	d.Show()
}

// fail reports a failed action; the minutes are not touched.
func (p *AlertsPane) fail(action string, err error) {
	if p.opt.Window != nil {
		dialog.ShowError(err, p.opt.Window)
	}
	p.status.SetText(i18n.T("Failed: ") + err.Error())
	p.opt.acted(action, err)
}

// run performs write on a goroutine, then, if it succeeded, writes the
// minutes (also off the UI goroutine) and calls done on the UI goroutine.
func (p *AlertsPane) run(action string, write func(ctx context.Context) (line string, err error), done func()) {
	p.status.SetText(i18n.T("Writing to Mackerel…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
		defer cancel()
		line, err := write(ctx)
		if err != nil {
			uido.Do(func() { p.fail(action, err) })
			return
		}
		var merr error
		if line != "" {
			if merr = p.opt.insert(p.opt.logLine(line)); merr != nil {
				merr = fmt.Errorf("the change was made in Mackerel, but the minutes could not be written: %w", merr)
			}
		}
		uido.Do(func() {
			if done != nil {
				done()
			}
			if merr != nil {
				p.fail(action, merr)
				return
			}
			p.status.SetText(i18n.T("Done: ") + line)
			p.opt.acted(action, nil)
		})
	}()
}

func (p *AlertsPane) monitorLink(id string) string {
	return p.src.Links(p.opt.Org).Monitor(id)
}

// showReview adds the group to the meeting's alert review with a verdict.
func (p *AlertsPane) showReview(g *mackerel.AlertGroup) {
	labels := make([]string, len(verdicts))
	for i, v := range verdicts {
		labels[i] = v.label
	}
	verdict := widget.NewSelect(labels, nil)
	note := widget.NewMultiLineEntry()
	note.SetPlaceHolder(i18n.T("why it fired, what we decided"))
	items := []*widget.FormItem{{Text: i18n.T("Verdict"), Widget: verdict}, {Text: i18n.T("Note"), Widget: note}}
	d := dialog.NewForm(i18n.T("Alert review: %s", g.MonitorName), i18n.T("Add to review"), i18n.T("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		key := ""
		for _, v := range verdicts {
			if v.label == verdict.Selected {
				key = v.key
			}
		}
		if key == "" {
			p.fail("review", errors.New("choose a verdict"))
			return
		}
		review := minutes.AlertReview{MonitorID: g.MonitorID, MonitorName: g.MonitorName, Count: g.Count,
			Verdict: key, Note: strings.TrimSpace(note.Text), Link: p.monitorLink(g.MonitorID)}
		p.run("review", func(context.Context) (string, error) {
			if p.opt.Minutes == nil {
				return "", errors.New("no minutes are open")
			}
			if err := p.opt.Minutes.PutAlertReview(review); err != nil {
				return "", fmt.Errorf("write the alert review: %w", err)
			}
			line := fmt.Sprintf("alert review of “%s”: %d alerts (%d open, first %s, last %s) → %s",
				g.MonitorName, g.Count, g.Open, p.opt.fmtTime(g.First), p.opt.fmtTime(g.Last), key)
			if review.Note != "" {
				line += ". " + review.Note
			}
			return line, nil
		}, func() { p.reviewed(g.MonitorID, key) })
	}, p.opt.Window)
	d.Resize(fyne.NewSize(520, 300))
	d.Show()
}

// parseThreshold reads an entry: "" is no threshold.
func parseThreshold(s string) (*float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("%q is not a number", s)
	}
	return &v, nil
}

func sameThreshold(a, b *float64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// changeText describes what differs between two versions of a monitor.
func changeText(before, after mackerel.Monitor) string {
	var parts []string
	if !sameThreshold(before.Warning, after.Warning) {
		parts = append(parts, "warning "+mackerel.FormatThreshold(before.Warning)+" → "+mackerel.FormatThreshold(after.Warning))
	}
	if !sameThreshold(before.Critical, after.Critical) {
		parts = append(parts, "critical "+mackerel.FormatThreshold(before.Critical)+" → "+mackerel.FormatThreshold(after.Critical))
	}
	if before.Duration != after.Duration {
		parts = append(parts, fmt.Sprintf("duration %d → %d", before.Duration, after.Duration))
	}
	return strings.Join(parts, ", ")
}

// showThresholds changes warning, critical and duration of the group's monitor.
func (p *AlertsPane) showThresholds(g *mackerel.AlertGroup) {
	if g.Monitor == nil {
		return
	}
	m := *g.Monitor
	text := func(v *float64) string {
		if v == nil {
			return ""
		}
		return mackerel.FormatThreshold(v)
	}
	warn, crit, dur := widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	warn.SetText(text(m.Warning))
	crit.SetText(text(m.Critical))
	items := []*widget.FormItem{
		{Text: i18n.T("Warning"), Widget: warn, HintText: i18n.T("empty: no warning")},
		{Text: i18n.T("Critical"), Widget: crit, HintText: i18n.T("empty: no critical")},
	}
	if m.HasDuration() {
		dur.SetText(strconv.FormatUint(m.Duration, 10))
		items = append(items, &widget.FormItem{Text: i18n.T("Duration"), Widget: dur})
	}
	d := dialog.NewForm(i18n.T("Thresholds of “%s” (%s %s)", m.Name, m.Operator, m.Target), i18n.T("Next"), i18n.T("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		w, err := parseThreshold(warn.Text)
		if err != nil {
			p.fail("thresholds", fmt.Errorf("warning: %w", err))
			return
		}
		c, err := parseThreshold(crit.Text)
		if err != nil {
			p.fail("thresholds", fmt.Errorf("critical: %w", err))
			return
		}
		want := m
		want.Warning, want.Critical = w, c
		ch := mackerel.ThresholdChange{Warning: w, Critical: c, ClearWarning: w == nil, ClearCritical: c == nil}
		if m.HasDuration() {
			n, err := strconv.ParseUint(strings.TrimSpace(dur.Text), 10, 64)
			if err != nil {
				p.fail("thresholds", fmt.Errorf("duration %q is not a whole number", dur.Text))
				return
			}
			want.Duration, ch.Duration = n, &n
		}
		desc := changeText(m, want)
		if desc == "" {
			p.status.SetText(i18n.T("Nothing to change"))
			return
		}
		if p.opt.MonitorsAsCode != "" {
			p.asCode(g, minutes.VerdictTune, desc, desc)
			return
		}
		wb := p.newWriteBack(m, desc)
		p.confirmChange("Change the monitor in Mackerel?",
			i18n.T("“%s”: %s.\nThe change is made in Mackerel and written into the minutes.", m.Name, desc),
			i18n.T("Change"), &wb, true, func() {
				var updated mackerel.Monitor
				link := p.monitorLink(m.ID)
				p.run("thresholds", func(ctx context.Context) (string, error) {
					before, after, err := p.src.UpdateThresholds(ctx, m.ID, ch)
					if err != nil {
						return "", err
					}
					updated = after
					change := changeText(before, after)
					line := fmt.Sprintf("monitor “%s” changed: %s (%s)", after.Name, change, link) + p.writeBack(ctx, wb)
					return line + p.reviewNote(g, minutes.VerdictTune, change), nil
				}, func() {
					p.monitorChanged(m.ID, &updated)
					p.reviewed(m.ID, minutes.VerdictTune)
				})
			})
	}, p.opt.Window)
	d.Resize(fyne.NewSize(480, 280))
	d.Show()
}

// showDelete deletes the group's monitor after the user typed its name.
func (p *AlertsPane) showDelete(g *mackerel.AlertGroup) {
	if g.Monitor == nil {
		return
	}
	m := *g.Monitor
	if p.opt.MonitorsAsCode != "" {
		p.asCode(g, minutes.VerdictDelete, "delete the monitor", fmt.Sprintf("remove the monitor (%s %s, %s)", m.Type, m.Target, m.ThresholdText()))
		return
	}
	wb := p.newWriteBack(m, "deleted")
	msg := widget.NewLabel(fmt.Sprintf("This deletes the monitor “%s” from Mackerel for everyone. "+
		"Its %d alerts of the period stay.\nType the monitor's name to confirm:", m.Name, g.Count))
	msg.Wrapping = fyne.TextWrapWord
	typed := widget.NewEntry()
	typed.SetPlaceHolder(m.Name)
	var d *dialog.CustomDialog
	del := widget.NewButton(i18n.T("Delete monitor"), nil)
	del.Importance = widget.DangerImportance
	del.Disable()
	typed.OnChanged = func(s string) {
		if s == m.Name {
			del.Enable()
		} else {
			del.Disable()
		}
	}
	del.OnTapped = func() {
		if typed.Text != m.Name {
			return
		}
		d.Hide()
		p.run("delete", func(ctx context.Context) (string, error) {
			gone, err := p.src.DeleteMonitor(ctx, m.ID)
			if err != nil {
				return "", err
			}
			line := fmt.Sprintf("monitor “%s” deleted (%s %s, %s; %d alerts in the period)", gone.Name, gone.Type,
				gone.Target, gone.ThresholdText(), g.Count) + p.writeBack(ctx, wb)
			return line + p.reviewNote(g, minutes.VerdictDelete, "deleted"), nil
		}, func() {
			p.monitorChanged(m.ID, nil)
			p.reviewed(m.ID, minutes.VerdictDelete)
		})
	}
	cancel := widget.NewButton(i18n.T("Cancel"), func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("Delete monitor?", container.NewVBox(msg, typed, widget.NewSeparator(),
		writeBackChecks(&wb, false)), p.opt.Window)
	d.SetButtons([]fyne.CanvasObject{cancel, del})
	d.Resize(fyne.NewSize(600, 320))
	d.Show()
}

// showClose closes one open alert with a reason.
func (p *AlertsPane) showClose(g *mackerel.AlertGroup, a *mackerel.Alert) {
	reason := widget.NewEntry()
	reason.SetPlaceHolder(i18n.T("why it can be closed"))
	items := []*widget.FormItem{{Text: i18n.T("Reason"), Widget: reason}}
	d := dialog.NewForm(i18n.T("Close alert of “%s” opened %s", g.MonitorName, p.opt.fmtTime(a.OpenedAt)),
		i18n.T("Next"), i18n.T("Cancel"), items, func(ok bool) {
			if !ok {
				return
			}
			r := strings.TrimSpace(reason.Text)
			if r == "" {
				p.fail("close", errors.New("a reason is needed to close an alert"))
				return
			}
			message := i18n.T("Alert %s of “%s” (%s since %s) is closed with the reason “%s”.", a.ID, g.MonitorName,
				a.Status, p.opt.fmtTime(a.OpenedAt), r)
			closeIt := func(wb *mackerel.WriteBack) {
				before := a.Status
				link := p.src.Links(p.opt.Org).Alert(a.ID)
				p.run("close", func(ctx context.Context) (string, error) {
					closed, err := p.src.CloseAlert(ctx, a.ID, r)
					if err != nil {
						return "", err
					}
					line := fmt.Sprintf("alert %s of “%s” closed (%s → %s, opened %s): %s (%s)", closed.ID,
						g.MonitorName, before, closed.Status, p.opt.fmtTime(a.OpenedAt), r, link)
					if wb != nil {
						line += p.writeBack(ctx, *wb)
					}
					return line, nil
				}, func() {
					a.Status, a.Reason, a.ClosedAt = "OK", r, p.opt.Now()
					g.Open--
					g.Closed++
					p.rebuild()
				})
			}
			if g.Monitor == nil {
				p.confirm("Close the alert in Mackerel?", message, "Close alert", func() { closeIt(nil) })
				return
			}
			wb := p.newWriteBack(*g.Monitor, fmt.Sprintf("alert %s (opened %s) closed: %s", a.ID,
				a.OpenedAt.In(p.opt.Location).Format("01/02 15:04"), r))
			p.confirmChange("Close the alert in Mackerel?", message, "Close alert", &wb, true, func() { closeIt(&wb) })
		}, p.opt.Window)
	d.Resize(fyne.NewSize(480, 200))
	d.Show()
}
