package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/issues"
	"github.com/pwg-team/pwg/integrations/teamconf"
)

// fetchTimeout bounds one round of GitHub calls of a pane.
const fetchTimeout = 30 * time.Second

// CarryOverPane shows, beside 前回までのTODO確認, the state of each carried-over
// item's GitHub issue (open, or closed by whom), from the cache at once and
// live when online; an item whose issue was closed is offered as done.
type CarryOverPane struct {
	u      *UI
	m      *minutes.Meeting
	box    *fyne.Container
	items  []issues.Carried
	loaded chan struct{}
}

func (u *UI) newCarryOverPane(m *minutes.Meeting) *CarryOverPane {
	p := &CarryOverPane{u: u, m: m, box: container.NewVBox(), loaded: make(chan struct{})}
	u.carry = p
	items, err := teamconf.CarryOver(context.Background(), u.ws, m, false)
	if err != nil {
		close(p.loaded)
		return p
	}
	p.show(items)
	if len(issues.IssueURLs(carriedItems(items))) == 0 || !repoSet(u) {
		close(p.loaded) // nothing to fetch: no goroutine touches the pane
		return p
	}
	// The token is read with the states, off the UI goroutine: the
	// keyring can take seconds to answer. Without it the cached states
	// are shown again.
	life := u.paneLife
	u.fetch(func() func() {
		ctx, cancel := context.WithTimeout(life, fetchTimeout)
		defer cancel()
		items, err := teamconf.CarryOver(ctx, u.ws, m, true)
		return func() {
			defer close(p.loaded)
			if err != nil {
				u.log.Warn("issue states of carried-over items", "err", err)
				return
			}
			p.show(items)
		}
	})
	return p
}

// fetch runs get (a network read) in a goroutine of its own and the
// function it returns on the UI goroutine: at once, or, while a meeting's
// view is being built, once it is built (so that no result is shown into
// a view still under construction).
func (u *UI) fetch(get func() (apply func())) {
	u.fetches = append(u.fetches, get)
	if !u.building {
		u.startFetches()
	}
}

// startFetches starts the fetches of the view just built: their reads run
// side by side, their results are applied one at a time, in the order they
// arrive, each through onUI.
func (u *UI) startFetches() {
	gets := u.fetches
	u.fetches, u.building = nil, false
	if len(gets) == 0 {
		return
	}
	applies := make(chan func(), len(gets))
	for _, get := range gets {
		go func() { applies <- get() }()
	}
	go func() {
		for range gets {
			onUI(<-applies)
		}
	}()
}

// repoSet reports whether the team's GitHub repository is set. It reads
// the settings only: the token, in the OS keyring, is read by the fetches
// (teamconf.Tracker), never on the UI goroutine.
func repoSet(u *UI) bool {
	g, err := teamconf.LoadGitHub(u.ws)
	return err == nil && g.Repo != ""
}

func carriedItems(cs []issues.Carried) []minutes.ActionItem {
	out := make([]minutes.ActionItem, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.Item)
	}
	return out
}

// Loaded is closed once the pane showed the states fetched when it opened.
func (p *CarryOverPane) Loaded() <-chan struct{} { return p.loaded }

// CarryOver returns the carry-over pane of the meeting shown last, or nil.
func (u *UI) CarryOver() *CarryOverPane { return u.carry }

// Reload fetches the issue states again (live) and redraws.
func (p *CarryOverPane) Reload(ctx context.Context) error {
	items, err := teamconf.CarryOver(ctx, p.u.ws, p.m, true)
	if err != nil {
		return err
	}
	p.show(items)
	return nil
}

// Items returns the carried-over items shown with their issue states.
func (p *CarryOverPane) Items() []issues.Carried { return p.items }

func (p *CarryOverPane) show(items []issues.Carried) {
	p.items = items
	p.box.RemoveAll()
	withIssue := 0
	for _, c := range items {
		if c.Item.IssueURL != "" {
			withIssue++
		}
	}
	if withIssue == 0 {
		p.box.Hide() // takes no room under the notes
		return
	}
	p.box.Show()
	p.box.Add(widget.NewLabelWithStyle(T("Issues of the carried-over items"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, c := range items {
		if c.Item.IssueURL == "" {
			continue
		}
		state := T("state not fetched yet")
		if c.Issue != nil {
			state = fmt.Sprintf("#%d %s", c.Issue.Number, c.Issue.Describe())
		}
		if c.Err != nil {
			state += "  " + T("(offline: %v)", shortErr(c.Err))
		}
		line := widget.NewLabel(fmt.Sprintf("%s — %s", c.Item.Title, state))
		line.Wrapping = fyne.TextWrapWord
		if c.Issue != nil && !c.Issue.Open {
			line.Importance = widget.SuccessImportance
		}
		var right fyne.CanvasObject
		if c.OfferDone {
			id := c.Item.ID
			b := widget.NewButton(T("Mark done"), func() {
				if err := p.MarkDone(id); err != nil {
					p.u.showError(err)
				}
			})
			b.Importance = widget.HighImportance
			right = b
		} else if c.Item.Status != minutes.ActionOpen {
			right = widget.NewLabel(c.Item.Status)
		}
		p.box.Add(container.NewBorder(nil, nil, nil, right, line))
	}
	p.box.Refresh()
}

// MarkDone closes a carried-over item for the team (its issue was closed).
func (p *CarryOverPane) MarkDone(itemID string) error {
	s, err := p.m.Series()
	if err != nil {
		return err
	}
	if err := s.SetActionStatus(itemID, minutes.ActionDone); err != nil {
		return err
	}
	for i, c := range p.items {
		if c.Item.ID == itemID {
			p.items[i].Item.Status, p.items[i].OfferDone = minutes.ActionDone, false
		}
	}
	p.show(p.items)
	if p.u.view != nil {
		p.u.view.refreshActions()
	}
	return nil
}

func shortErr(err error) string {
	s := err.Error()
	if len(s) > 80 {
		s = s[:77] + "…"
	}
	return s
}

// PostmortemPane lists, in 障害ふりかえり, the postmortem issues opened or
// updated since the last meeting with their open follow-up items.
type PostmortemPane struct {
	u      *UI
	m      *minutes.Meeting
	box    *fyne.Container
	pms    []issues.Postmortem
	loaded chan struct{}
}

func (u *UI) newPostmortemPane(m *minutes.Meeting) *PostmortemPane {
	p := &PostmortemPane{u: u, m: m, box: container.NewVBox(widget.NewLabel(T("Looking for postmortems…"))), loaded: make(chan struct{})}
	u.postmortems = p
	if !repoSet(u) {
		since := teamconf.PreviousMeetingDate(u.ws, m, time.Local)
		label, _ := teamconf.PostmortemLabel(u.ws)
		p.show(since, label, nil, teamconf.ErrNotConfigured)
		close(p.loaded)
		return p
	}
	life := u.paneLife
	u.fetch(func() func() { // reads the token: ErrNotConfigured without it
		ctx, cancel := context.WithTimeout(life, fetchTimeout)
		defer cancel()
		since, label, pms, err := teamconf.Postmortems(ctx, u.ws, m, time.Local)
		return func() {
			defer close(p.loaded)
			p.show(since, label, pms, err)
		}
	})
	return p
}

// Loaded is closed once the pane showed what it fetched when it opened.
func (p *PostmortemPane) Loaded() <-chan struct{} { return p.loaded }

// Postmortems returns the postmortem pane of the meeting shown last, or nil.
func (u *UI) Postmortems() *PostmortemPane { return u.postmortems }

// Reload lists the postmortems again.
func (p *PostmortemPane) Reload(ctx context.Context) error {
	since, label, pms, err := teamconf.Postmortems(ctx, p.u.ws, p.m, time.Local)
	p.show(since, label, pms, err)
	return err
}

// List returns the postmortems shown.
func (p *PostmortemPane) List() []issues.Postmortem { return p.pms }

func (p *PostmortemPane) show(since time.Time, label string, pms []issues.Postmortem, err error) {
	p.pms = pms
	p.box.RemoveAll()
	head := widget.NewLabelWithStyle(T("Postmortems (label %s) since %s", label, since.Format(time.DateOnly)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.box.Add(head)
	switch {
	case errors.Is(err, teamconf.ErrNotConfigured):
		l := widget.NewLabel(T("Set the GitHub repository and token in Settings to list the team's postmortems here."))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
		p.box.Add(l)
	case err != nil:
		l := widget.NewLabel(T("Postmortems could not be fetched: %v", err))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		p.box.Add(l)
	case len(pms) == 0:
		p.box.Add(widget.NewLabel(T("No postmortem opened or updated since the last meeting.")))
	}
	for _, pm := range pms {
		state := T("open")
		if !pm.Open {
			state = T("closed")
		}
		title := fmt.Sprintf("#%d %s", pm.Number, pm.Title)
		var link fyne.CanvasObject = widget.NewLabel(title)
		if u, err := url.Parse(pm.URL); err == nil && pm.URL != "" {
			link = widget.NewHyperlink(title, u)
		}
		meta := widget.NewLabel(T("by %s, %s, updated %s", pm.Author, state, pm.Updated.Local().Format(time.DateOnly)))
		meta.Importance = widget.LowImportance
		p.box.Add(container.NewHBox(link, meta))
		if len(pm.FollowUps) == 0 {
			continue
		}
		var b strings.Builder
		for _, f := range pm.FollowUps {
			b.WriteString("・" + f.Text + "\n")
		}
		fu := widget.NewLabel(strings.TrimSuffix(b.String(), "\n"))
		fu.Wrapping = fyne.TextWrapWord
		p.box.Add(container.NewPadded(fu))
	}
	p.box.Refresh()
}
