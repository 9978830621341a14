package mackerelui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/i18n"
	"github.com/pwg-team/pwg/app/internal/uido"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
)

// newWriteBack prepares the write-back of a change of m decided now in
// this meeting: the same decision on another laptop gets the same marker.
func (p *AlertsPane) newWriteBack(m mackerel.Monitor, change string) mackerel.WriteBack {
	id := ""
	if p.opt.Minutes != nil {
		id = p.opt.Minutes.ID()
	}
	wb := mackerel.NewWriteBack(id, m, change, p.opt.Now())
	wb.MinutesLink = p.opt.MinutesLink
	return wb
}

// writeBackChecks shows, in a confirmation dialog, what is written back
// into Mackerel besides the change; both are on by default. memo is false
// when the monitor will be gone (delete).
func writeBackChecks(wb *mackerel.WriteBack, memo bool) fyne.CanvasObject {
	box := container.NewVBox(widget.NewLabelWithStyle(i18n.T("Also written back into Mackerel:"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	where := wb.Service
	if len(wb.Roles) > 0 {
		where += " (" + strings.Join(wb.Roles, ", ") + ")"
	}
	ann := widget.NewCheck(i18n.T("Graph annotation on ")+where, func(on bool) { wb.Annotate = on })
	if wb.Service == "" {
		ann.Text = "Graph annotation: the monitor watches no service"
		wb.Annotate = false
		ann.Disable()
	} else {
		ann.SetChecked(true)
	}
	box.Add(ann)
	if wb.Service != "" {
		box.Add(caption("“" + wb.Title() + "”"))
	}
	note := widget.NewCheck(i18n.T("Dated line in the monitor's memo"), func(on bool) { wb.Memo = on })
	if memo {
		note.SetChecked(true)
		box.Add(note)
		box.Add(caption("“" + wb.MemoLine() + "”"))
	} else {
		wb.Memo = false
	}
	return box
}

// confirmChange asks before a change of a monitor, showing the write-back.
func (p *AlertsPane) confirmChange(title, message, action string, wb *mackerel.WriteBack, memo bool, ok func()) {
	msg := widget.NewLabel(message)
	msg.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(msg, widget.NewSeparator(), writeBackChecks(wb, memo))
	d := dialog.NewCustomConfirm(title, action, i18n.T("Cancel"), content, func(yes bool) {
		if yes {
			ok()
		}
	}, p.opt.Window)
	d.Resize(fyne.NewSize(600, 340))
	d.Show()
}

// writeBack applies wb and says what it did, for the minutes' line. A
// failed write-back does not undo the change; retrying does not write twice.
func (p *AlertsPane) writeBack(ctx context.Context, wb mackerel.WriteBack) string {
	if !wb.Annotate && !wb.Memo {
		return ""
	}
	res, err := p.src.ApplyWriteBack(ctx, wb)
	if err != nil {
		p.pendingMu.Lock()
		p.pending = append(p.pending, wb)
		p.pendingMu.Unlock()
		uido.Do(p.showPending)
		if t := res.Text(); t != "" {
			return "; written back: " + t + "; but: " + err.Error() + " (Retry write-back finishes it without writing twice)"
		}
		return "; not written back into Mackerel: " + err.Error() + " (Retry write-back writes it once)"
	}
	return "; written back: " + res.Text()
}

// showPending shows the retry button while write-backs failed.
func (p *AlertsPane) showPending() {
	p.pendingMu.Lock()
	n := len(p.pending)
	p.pendingMu.Unlock()
	if n == 0 {
		p.retry.Hide()
		return
	}
	p.retry.SetText(i18n.T("Retry write-back (%d)", n))
	p.retry.Show()
}

// RetryWriteBacks applies the write-backs that failed again: their markers
// make sure nothing already written is written twice.
func (p *AlertsPane) RetryWriteBacks() {
	p.pendingMu.Lock()
	todo := p.pending
	p.pending = nil
	p.pendingMu.Unlock()
	p.retry.Hide()
	p.status.SetText(i18n.T("Writing back into Mackerel…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
		defer cancel()
		var lines []string
		var failed error
		for _, wb := range todo {
			res, err := p.src.ApplyWriteBack(ctx, wb)
			if err != nil {
				failed = err
				p.pendingMu.Lock()
				p.pending = append(p.pending, wb)
				p.pendingMu.Unlock()
				continue
			}
			lines = append(lines, fmt.Sprintf("“%s” %s written back: %s", wb.MonitorName, wb.Change, res.Text()))
		}
		var merr error
		for _, l := range lines {
			if merr = p.opt.insert(p.opt.logLine(l)); merr != nil {
				break
			}
		}
		uido.Do(func() {
			p.showPending()
			switch {
			case failed != nil:
				p.fail("write-back", failed)
			case merr != nil:
				p.fail("write-back", fmt.Errorf("written back, but the minutes could not be written: %w", merr))
			default:
				p.status.SetText(i18n.T("Done: ") + strings.Join(lines, "; "))
				p.opt.acted("write-back", nil)
			}
		})
	}()
}

// review records the meeting's verdict (and change) on a monitor in the minutes.
func (p *AlertsPane) review(g *mackerel.AlertGroup, verdict, change string) error {
	if p.opt.Minutes == nil {
		return errors.New("no minutes are open")
	}
	r := minutes.AlertReview{MonitorID: g.MonitorID, MonitorName: g.MonitorName, Count: g.Count, Verdict: verdict,
		Change: change, Link: p.monitorLink(g.MonitorID)}
	if err := p.opt.Minutes.PutAlertReview(r); err != nil {
		return fmt.Errorf("write the alert review: %w", err)
	}
	return nil
}

// reviewNote records the verdict after a change Mackerel accepted: a
// failure is said in the minutes' line rather than hiding the change.
func (p *AlertsPane) reviewNote(g *mackerel.AlertGroup, verdict, change string) string {
	if err := p.review(g, verdict, change); err != nil {
		return "; the verdict could not be recorded: " + err.Error()
	}
	return ""
}

// reviewed marks the verdict on the board (on the UI goroutine).
func (p *AlertsPane) reviewed(monitorID, verdict string) {
	if p.board != nil {
		p.board.SetVerdict(monitorID, verdict)
		p.renderBoard()
	}
}

// recordVerdict records keep or fix-root-cause from the board at once.
func (p *AlertsPane) recordVerdict(g *mackerel.AlertGroup, verdict string) {
	p.run("review", func(context.Context) (string, error) {
		if err := p.review(g, verdict, ""); err != nil {
			return "", err
		}
		return fmt.Sprintf("alert review of “%s”: %d alerts this period → %s", g.MonitorName, g.Count, verdict), nil
	}, func() { p.reviewed(g.MonitorID, verdict) })
}

// monitorChanged puts a changed (nil: deleted) monitor into the list and
// the board.
func (p *AlertsPane) monitorChanged(id string, m *mackerel.Monitor) {
	for i := range p.groups {
		if p.groups[i].MonitorID == id {
			p.groups[i].Monitor = m
		}
	}
	if p.board != nil {
		for i := range p.board.Rows {
			if p.board.Rows[i].MonitorID == id {
				p.board.Rows[i].Monitor = m
			}
		}
		p.renderBoard()
	}
	p.rebuild()
}

// asCode turns a monitor change into an action item when the team keeps
// its monitors in code: the done criteria carry the exact change.
func (p *AlertsPane) asCode(g *mackerel.AlertGroup, verdict, change, exact string) {
	how := map[string]string{"mkr": "monitors.json (mkr monitors push)", "terraform": "Terraform (mackerel_monitor)"}[p.opt.MonitorsAsCode]
	if how == "" {
		how = p.opt.MonitorsAsCode
	}
	title := fmt.Sprintf("Monitor “%s”: %s", g.MonitorName, change)
	criteria := fmt.Sprintf("monitor %s (%s): %s — changed in %s and applied", g.MonitorID, g.MonitorName, exact, how)
	p.confirm("Monitors are kept as code",
		i18n.T("The team keeps its monitors in %s, so pwg does not change Mackerel. It adds an action item:\n\n%s\nDone when: %s",
			how, title, criteria), i18n.T("Add action item"), func() {
			p.run("as-code", func(context.Context) (string, error) {
				if p.opt.Minutes == nil {
					return "", errors.New("no minutes are open")
				}
				item, err := p.opt.Minutes.AddActionItem(minutes.ActionItem{Title: title, Owner: p.opt.User,
					DoneCriteria: criteria, OriginSection: p.opt.SectionKey})
				if err != nil {
					return "", fmt.Errorf("add the action item: %w", err)
				}
				if err := p.review(g, verdict, change); err != nil {
					return "", err
				}
				return fmt.Sprintf("action item %s: %s (done when: %s)", item.ID, title, criteria), nil
			}, func() { p.reviewed(g.MonitorID, verdict) })
		})
}

// showMute mutes or unmutes the monitor, written back like every change.
func (p *AlertsPane) showMute(g *mackerel.AlertGroup) {
	if g.Monitor == nil {
		return
	}
	m := *g.Monitor
	mute := !m.IsMute
	change := "muted"
	if !mute {
		change = "unmuted"
	}
	if p.opt.MonitorsAsCode != "" {
		p.asCode(g, minutes.VerdictTune, change, fmt.Sprintf("isMute %v → %v", m.IsMute, mute))
		return
	}
	wb := p.newWriteBack(m, change)
	verb := map[bool]string{true: "Mute", false: "Unmute"}[mute]
	p.confirmChange(verb+" the monitor in Mackerel?",
		fmt.Sprintf("“%s” is %s: its alerts are not notified while muted. The change is made in Mackerel and written into the minutes.",
			m.Name, change), verb, &wb, true, func() {
			var updated mackerel.Monitor
			p.run("mute", func(ctx context.Context) (string, error) {
				_, after, err := p.src.SetMute(ctx, m.ID, mute)
				if err != nil {
					return "", err
				}
				updated = after
				line := fmt.Sprintf("monitor “%s” %s (%s)", m.Name, change, p.monitorLink(m.ID)) + p.writeBack(ctx, wb)
				return line + p.reviewNote(g, minutes.VerdictTune, change), nil
			}, func() {
				p.monitorChanged(m.ID, &updated)
				p.reviewed(m.ID, minutes.VerdictTune)
			})
		})
}
