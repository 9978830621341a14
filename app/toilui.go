package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/crdt/toil"
)

// ToilList shows the toil candidates: work-log items that recur across
// meetings (同じことを複数回やっているならトイル), each with where it was
// written and one button that makes it an action item of the meeting open.
type ToilList struct {
	u     *UI
	cands []toil.Reviewed
	box   *fyne.Container
}

// NewToilList finds the toil candidates (what Meeting → Toil candidates… shows).
func (u *UI) NewToilList() (*ToilList, error) {
	t := &ToilList{u: u, box: container.NewVBox()}
	return t, t.Reload()
}

// Candidates returns the candidates shown.
func (t *ToilList) Candidates() []toil.Reviewed { return t.cands }

// Reload finds the candidates again and redraws.
func (t *ToilList) Reload() error {
	cands, err := toil.Review(t.u.ws)
	if err != nil {
		return err
	}
	t.cands = cands
	t.box.RemoveAll()
	if len(cands) == 0 {
		l := widget.NewLabel(T("No toil found: no work-log item recurs in two meetings."))
		l.Wrapping = fyne.TextWrapWord
		t.box.Add(l)
	}
	for i, c := range cands {
		title := widget.NewLabelWithStyle(T("%s — in %d meetings", c.Title, c.Meetings), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Wrapping = fyne.TextWrapWord
		var act fyne.CanvasObject
		if c.Covered {
			l := widget.NewLabel(T("Action item exists"))
			l.Importance = widget.SuccessImportance
			act = l
		} else {
			b := widget.NewButton(T("Make it an action item"), func() {
				if err := t.Act(i); err != nil {
					t.u.showError(err)
				}
			})
			b.Importance = widget.HighImportance
			if t.u.view == nil {
				b.Disable()
			}
			act = b
		}
		seen := container.NewVBox()
		for _, l := range c.Seen {
			w := widget.NewLabel(fmt.Sprintf("%s  %s:  %s", l.Date, l.MeetingTitle, l.Text))
			w.Wrapping = fyne.TextWrapWord
			seen.Add(w)
		}
		t.box.Add(container.NewBorder(nil, nil, nil, act, title))
		t.box.Add(container.NewPadded(seen))
		t.box.Add(widget.NewSeparator())
	}
	t.box.Refresh()
	return nil
}

// Act makes candidate i an action item of the meeting open.
func (t *ToilList) Act(i int) error {
	if t.u.view == nil || i < 0 || i >= len(t.cands) {
		return nil
	}
	it, err := toil.Act(t.u.view.m, t.cands[i].Candidate)
	if err != nil {
		return err
	}
	t.u.status.SetText(T("Action item added: %s", it.Title))
	if t.u.view != nil {
		t.u.view.refreshActions()
	}
	return t.Reload()
}

// showToil opens the toil candidates (Meeting → Toil candidates…).
func (u *UI) showToil() {
	t, err := u.NewToilList()
	if err != nil {
		u.showError(err)
		return
	}
	intro := widget.NewLabel(T("Work-log items written in two meetings or more: if we do the same thing again and again, it is toil — can it be automated or eliminated?"))
	intro.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(T("Toil candidates"), T("Close"), container.NewBorder(intro, nil, nil, nil, container.NewVScroll(t.box)), u.win)
	d.Resize(fyne.NewSize(1000, 650))
	d.Show()
	u.toil = t
}

// Toil returns the toil list last opened, or nil.
func (u *UI) Toil() *ToilList { return u.toil }
