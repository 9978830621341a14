package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/joincode"
)

// Options configure the main window.
type Options struct {
	// Demo marks the window plainly as a demo (Mackerel is a local fake).
	Demo bool
	// Logger receives errors that have no better place. Default: slog.Default.
	Logger *slog.Logger
	// Mackerel feeds the alert and dashboard panes; nil shows how to set it up.
	Mackerel mackerelui.Source
	// MackerelOrg is the organisation, for links into Mackerel.
	MackerelOrg string
	// Room is the LAN sync node (nil: not syncing).
	Room Room
	// OnPaneLoaded, if set, is called on the UI goroutine after a Mackerel
	// pane of a section kind (alerts, dashboard) loaded.
	OnPaneLoaded func(kind string, err error)
	// OnEditable, if set, is called on the UI goroutine once a meeting
	// shown from its plain-text view has loaded and become editable.
	OnEditable func(id string)
	// StartDemo, if set, starts the demo Mackerel (the first-start button
	// of the Mackerel panes); it returns the source to use.
	StartDemo func() (mackerelui.Source, string, error)
}

// UI is pwg's main window on one workspace.
type UI struct {
	app  fyne.App
	win  fyne.Window
	ws   *minutes.Workspace
	opts Options
	log  *slog.Logger

	meetings []minutes.MeetingInfo
	// picker chooses the meeting shown; pickerIDs maps its labels to ids.
	picker    *widget.Select
	pickerIDs map[string]string
	centre    *fyne.Container
	status    *widget.Label
	view      *MeetingView
	// loading is the meeting shown from its preview while it loads.
	loading string

	facilitator    *FacilitatorView
	facilitatorWin fyne.Window
	// OnFollow, if set, is called after the view followed the facilitator
	// to a section (UI goroutine).
	OnFollow    func(section string)
	room        roomState
	demoBanner  *widget.Label
	peerList    *widget.List
	peersBtn    *widget.Button
	followCheck *widget.Check
	review      reviewHub       // SLO and cost panes, revisit banner (reviewpanes.go)
	search      *SearchBox      // the search box last opened (searchui.go)
	toil        *ToilList       // the toil candidates last opened (toilui.go)
	carry       *CarryOverPane  // issue states of carried-over items (memorypanes.go)
	postmortems *PostmortemPane // postmortems in the incident review (memorypanes.go)
	building    bool            // a meeting view is being built: fetches wait (memorypanes.go)
	code        *joincode.Offer // the join code last offered (joincode.go)
	codeViews   []codeView      // where it is shown, until it ends (UI goroutine)
	// OnCodeEnded and OnJoinDone, if set, are called on the UI goroutine
	// once a shown join code's dialog has shown its outcome, and once a join
	// by code has shown its result (joincode.go).
	OnCodeEnded func(joincode.Outcome)
	OnJoinDone  func(error)
	// paneLife is the life of the shown meeting view's panes: their loads
	// run under it, and it ends when the view is replaced or closed.
	paneLife context.Context
	endPanes context.CancelFunc
	fetches  []func() func()
}

// New builds the main window for ws. Call Run to follow document changes.
func New(a fyne.App, ws *minutes.Workspace, opts Options) *UI {
	useTextFonts(a)
	u := &UI{app: a, ws: ws, opts: opts, log: opts.Logger}
	u.renewPaneLife()
	if u.log == nil {
		u.log = slog.Default()
	}
	u.win = a.NewWindow("pwg")
	name := ""
	if s, err := ws.Series(); err == nil {
		name = s.Name()
	}
	u.setTitle(name)
	useBlobStore(ws)
	u.status = widget.NewLabel("")
	u.picker = widget.NewSelect(nil, func(label string) {
		if id, ok := u.pickerIDs[label]; ok {
			u.openMeeting(id)
		}
	})
	u.picker.PlaceHolder = T("Select a meeting")
	newBtn := widget.NewButtonWithIcon(T("New meeting"), theme.ContentAddIcon(), u.showNewMeeting)
	facil := widget.NewButtonWithIcon(T("Facilitator view"), theme.ComputerIcon(), u.openFacilitator)
	u.peerList = u.newPeerList()
	u.followCheck = widget.NewCheck(T("Follow the facilitator"), func(on bool) {
		if on != u.room.follow {
			u.SetFollow(on)
		}
	})
	right := []fyne.CanvasObject{facil}
	if opts.Room != nil {
		right = append(right, u.followCheck, u.peersButton())
	}
	u.demoBanner = widget.NewLabelWithStyle(T("DEMO — Mackerel data comes from a local fake, not your organisation"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	u.demoBanner.Importance = widget.WarningImportance
	if !opts.Demo {
		u.demoBanner.Hide()
	}
	u.review.banner = widget.NewLabel("")
	u.review.banner.Importance = widget.WarningImportance
	u.review.banner.Wrapping = fyne.TextWrapWord
	u.review.banner.Hide()
	pickerBox := container.NewGridWrap(fyne.NewSize(360, u.picker.MinSize().Height), u.picker)
	searchBtn := widget.NewButtonWithIcon(T("Search"), theme.SearchIcon(), u.showSearch) // searchui.go; Ctrl+K
	bar := container.NewBorder(nil, nil, container.NewHBox(pickerBox, newBtn, searchBtn), container.NewHBox(right...), u.demoBanner)
	u.centre = container.NewStack(widget.NewLabel(T("Select a meeting")))
	if s, err := ws.Series(); err == nil && !s.Arrived() {
		// Joined a team whose minutes have not arrived yet.
		u.centre.Objects = []fyne.CanvasObject{widget.NewLabel(T("The team's minutes arrive from the other laptops of the team…"))}
	}
	top := container.NewVBox(bar, u.review.banner, widget.NewSeparator())
	u.win.SetContent(container.NewBorder(top, u.status, nil, nil, u.centre))
	u.win.Resize(fyne.NewSize(1600, 1000))
	u.installMenu()
	u.win.SetOnDropped(u.DropFiles)
	u.reloadMeetings()
	if len(u.meetings) > 0 {
		u.openMeeting(u.meetings[0].ID)
	}
	return u
}

// setTitle names the window after the team (and demo mode).
func (u *UI) setTitle(team string) {
	title := "pwg"
	if team != "" {
		title += " — " + team
	}
	if u.opts.Demo || strings.HasSuffix(u.win.Title(), " — DEMO") {
		title += " — DEMO"
	}
	u.win.SetTitle(title)
}

// Window returns the main window.
func (u *UI) Window() fyne.Window { return u.win }

// Current returns the meeting view on screen, or nil.
func (u *UI) Current() *MeetingView { return u.view }

// Run applies document and room events to the window until ctx ends.
func (u *UI) Run(ctx context.Context) {
	u.RunRoom(ctx)
	u.RunDocuments(ctx)
}

// RunDocuments applies document events (local and merged) until ctx ends.
func (u *UI) RunDocuments(ctx context.Context) {
	events, stop := u.ws.Subscribe()
	follow(ctx, events, stop, u.apply)
}

// Apply applies a document change event to the window (UI goroutine);
// RunDocuments calls it for each event.
func (u *UI) Apply(ev docs.Event) { u.apply(ev) }

// apply runs on the UI goroutine.
func (u *UI) apply(ev docs.Event) {
	if s, err := u.ws.Series(); err == nil && ev.DocID == s.ID() {
		u.reloadMeetings()
		if u.view != nil {
			u.view.refreshActions()
		} else if len(u.meetings) > 0 {
			// The team's minutes arrived (this laptop joined the team).
			u.setTitle(s.Name())
			u.openMeeting(u.meetings[0].ID)
		}
	}
	if u.view != nil && ev.DocID == u.view.m.ID() {
		u.view.apply(ev)
	}
	if reviewMayChange(ev) {
		u.refreshReview()
	}
}

// reviewMayChange reports whether an event may change what the review
// panes and the revisit banner show (SLOs, cost, graph notes, dates). A
// keystroke (Typing: no section named, nothing else changed) and a change
// of section notes only do not; a change of anything else does, even when
// notes typed before it were committed with it.
func reviewMayChange(ev docs.Event) bool {
	return !ev.Typing() && (ev.Meta || len(ev.Sections) == 0)
}

func (u *UI) reloadMeetings() {
	infos, err := u.ws.Meetings()
	if err != nil && !errors.Is(err, minutes.ErrNoTeam) {
		u.showError(err)
		return
	}
	u.meetings = infos
	u.pickerIDs = map[string]string{}
	labels := make([]string, 0, len(infos))
	for _, in := range infos {
		l := in.Title
		if in.Date != "" && !strings.Contains(l, in.Date) {
			l += " — " + in.Date
		}
		for u.pickerIDs[l] != "" {
			l += " ·"
		}
		u.pickerIDs[l] = in.ID
		labels = append(labels, l)
	}
	u.picker.SetOptions(labels)
	u.showPicked()
}

// showPicked shows the open meeting in the picker.
func (u *UI) showPicked() {
	if u.view == nil {
		return
	}
	for l, id := range u.pickerIDs {
		if id == u.view.m.ID() && u.picker.Selected != l {
			u.picker.SetSelected(l) // calls openMeeting, which returns at once
		}
	}
}

func (u *UI) openMeeting(id string) {
	if u.view != nil && u.view.m.ID() == id {
		return
	}
	if u.loading == id || u.openFromPreview(id) {
		return
	}
	u.loading = ""
	m, err := u.ws.Meeting(id)
	if err != nil {
		u.showError(err)
		return
	}
	if u.view != nil && u.view.m.ID() == id {
		return
	}
	if u.view != nil {
		u.view.close()
	}
	u.renewPaneLife()
	u.building = true
	defer u.startFetches()
	u.view = NewMeetingView(u.ws, m, u.Window, u.showError, u.paneFor)
	u.view.setOnShortcut(u.windowShortcut)
	u.view.onFocus = u.publishPresence
	u.view.markPresent(u.ws.Author().Name)
	u.publishPresence()
	u.applyPresence()
	u.centre.Objects = []fyne.CanvasObject{u.view.Object()}
	u.centre.Refresh()
	u.showPicked()
	u.refreshReview()
	if w := m.Handle().Warnings(); len(w) > 0 {
		u.status.SetText(w[0])
	} else if p := m.Problems(); len(p) > 0 {
		u.status.SetText(T("Malformed: %s (Meeting menu, Repair malformed fields: restores it from the meeting's history)", p[0]))
	} else if ro := m.Handle().ReadOnly(); ro != nil {
		u.status.SetText(ro.Error())
	} else {
		u.status.SetText("")
	}
}

// SelectMeeting opens the meeting with the given id.
func (u *UI) SelectMeeting(id string) {
	for _, m := range u.meetings {
		if m.ID == id {
			u.openMeeting(id)
			return
		}
	}
}

// ShowMeeting re-reads the list of meetings (a meeting was just made) and
// opens the one with id, whatever its place in the list.
func (u *UI) ShowMeeting(id string) {
	u.reloadMeetings()
	u.SelectMeeting(id)
}

// PickedMeeting returns the id of the meeting the picker shows.
func (u *UI) PickedMeeting() string { return u.pickerIDs[u.picker.Selected] }

func (u *UI) showError(err error) {
	u.log.Error("gui", "err", err)
	u.status.SetText("Error: " + err.Error())
	dialog.ShowError(err, u.win)
}

func (u *UI) showNewMeeting() {
	title := widget.NewEntry()
	title.SetText(fmt.Sprintf("PWG %s", time.Now().Format("2006-01")))
	date := newDateEntry(time.Now().Format(time.DateOnly), false)
	items := []*widget.FormItem{widget.NewFormItem(T("Title"), title), widget.NewFormItem(T("Date"), date)}
	dialog.ShowForm(T("New meeting"), T("Create"), T("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		m, err := u.ws.NewMeeting(title.Text, date.Text)
		if err != nil {
			u.showError(err)
			return
		}
		u.ShowMeeting(m.ID())
	}, u.win)
}

// facilitatorOptions are the options of a facilitator view opened from here.
func (u *UI) facilitatorOptions() FacilitatorOptions {
	m := u.view.m
	return FacilitatorOptions{
		Dark: u.app.Settings().ThemeVariant() == theme.VariantDark,
		Panes: func(kind string) fyne.CanvasObject {
			return u.paneWith(m, minutes.Section{Key: kindSection(m, kind), Kind: kind}, func() {
				if u.facilitator != nil {
					u.facilitator.Rescale()
				}
			}, false)
		},
		OnMove: func(string) { u.publishPresence(); u.applyPresence() },
		Invite: u.FacilitatorInviteObject,
	}
}

// kindSection returns the key of m's first section of a kind.
func kindSection(m *minutes.Meeting, kind string) string {
	secs, _ := m.Sections()
	for _, s := range secs {
		if s.Kind == kind {
			return s.Key
		}
	}
	return kind
}

// UseDemo switches the panes to the demo Mackerel and marks the window DEMO.
func (u *UI) UseDemo() {
	if u.opts.StartDemo == nil {
		return
	}
	src, org, err := u.opts.StartDemo()
	if err != nil {
		u.showError(err)
		return
	}
	u.opts.Mackerel, u.opts.MackerelOrg, u.opts.Demo = src, org, true
	u.win.SetTitle(u.win.Title() + " — DEMO")
	u.demoBanner.Show()
	if u.view != nil {
		id := u.view.m.ID()
		u.view.close() // ends its watch of the document
		u.view = nil
		u.openMeeting(id)
	}
}

// renewPaneLife ends the loads of the panes shown so far and starts the
// life of the next view's panes.
func (u *UI) renewPaneLife() {
	if u.endPanes != nil {
		u.endPanes()
	}
	u.paneLife, u.endPanes = context.WithCancel(context.Background())
}
