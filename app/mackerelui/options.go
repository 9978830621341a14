package mackerelui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"

	"github.com/pwg-team/pwg/app/internal/uido"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
)

// Minutes is where the panes write: *minutes.Meeting satisfies it.
type Minutes interface {
	AppendNotes(sectionKey, text string) error
	PutAlertReview(minutes.AlertReview) error
	AddAttachment(minutes.Attachment, []byte) (minutes.Attachment, error)
	// ID identifies the meeting: write-backs of the same decision in the
	// same meeting share their marker.
	ID() string
	AlertReviews() ([]minutes.AlertReview, error)
	AddActionItem(minutes.ActionItem) (minutes.ActionItem, error)
}

// Source is Mackerel as the panes use it: *mackerel.Client satisfies it.
type Source interface {
	AlertsOfPeriod(ctx context.Context, from, to time.Time, progress func(read int)) (mackerel.Fetched[[]mackerel.Alert], error)
	Monitors(ctx context.Context) (mackerel.Fetched[[]mackerel.Monitor], error)
	UpdateThresholds(ctx context.Context, id string, ch mackerel.ThresholdChange) (before, after mackerel.Monitor, err error)
	DeleteMonitor(ctx context.Context, id string) (mackerel.Monitor, error)
	CloseAlert(ctx context.Context, alertID, reason string) (mackerel.Alert, error)
	Dashboards(ctx context.Context) (mackerel.Fetched[[]mackerel.Dashboard], error)
	Dashboard(ctx context.Context, id string) (mackerel.Fetched[mackerel.Dashboard], error)
	Graph(ctx context.Context, g mackerel.GraphSpec, from, to time.Time) (mackerel.Fetched[mackerel.GraphData], error)
	LatestValue(ctx context.Context, m mackerel.GraphSpec) (mackerel.Fetched[mackerel.Value], error)
	Services(ctx context.Context) (mackerel.Fetched[[]mackerel.Service], error)
	CreateAnnotation(ctx context.Context, a mackerel.Annotation) (mackerel.Annotation, error)
	Org(ctx context.Context) (mackerel.Fetched[string], error)
	Links(org string) mackerel.Links
	HygieneBoard(ctx context.Context, req mackerel.BoardRequest) (mackerel.Board, error)
	ApplyWriteBack(ctx context.Context, w mackerel.WriteBack) (mackerel.WriteBackResult, error)
	SetMute(ctx context.Context, id string, mute bool) (before, after mackerel.Monitor, err error)
	ScheduleDowntime(ctx context.Context, d mackerel.Downtime, marker string) (mackerel.Downtime, bool, error)
	Downtimes(ctx context.Context) (mackerel.Fetched[[]mackerel.Downtime], error)
	AnnotateOnce(ctx context.Context, a mackerel.Annotation, marker string) (id string, found bool, removed int, err error)
	Roles(ctx context.Context, service string) (mackerel.Fetched[[]string], error)
	Hosts(ctx context.Context, service string, roles ...string) (mackerel.Fetched[[]mackerel.Host], error)
}

var _ Source = (*mackerel.Client)(nil)

// Options configure a pane.
type Options struct {
	// Window hosts the pane's dialogs.
	Window fyne.Window
	// Minutes receives what the meeting decides; SectionKey is the section
	// the pane belongs to.
	Minutes    Minutes
	SectionKey string
	// User is who acts, as written into the minutes.
	User string
	// Org is the Mackerel organisation, for links.
	Org string
	// From and To are the review period; the 30 days up to the current
	// hour when zero. SetPeriod changes it later.
	From, To time.Time
	// DashboardTitle picks the dashboard; "PWG" when empty.
	DashboardTitle string
	// Location formats times; time.Local when nil.
	Location *time.Location
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Context is the pane's life: its loads stop when it ends (the pane
	// was replaced or closed). Default: never.
	Context context.Context
	// InsertText puts text at the caret of the section; AppendNotes when nil.
	InsertText func(sectionKey, text string) error
	// OnLoaded is called on the UI goroutine after each load, with the
	// error that left the pane empty (nil when data is shown).
	OnLoaded func(err error)
	// Notes are the team's notes on graphs, shown under each graph of the
	// dashboard (a graph without one is marked); nil hides them.
	Notes GraphNotes
	// Decisions returns the decisions of earlier meetings (their alert
	// review records) for the evidence on the hygiene board; nil: none. It
	// is called off the UI goroutine.
	Decisions func() []mackerel.Decision
	// MonitorsAsCode is the team setting: "" (pwg changes monitors through
	// the API), or "mkr" / "terraform": threshold, delete and mute make an
	// action item with the exact change instead.
	MonitorsAsCode string
	// FoldBoard starts the alert pane's hygiene board folded to a one-line
	// summary with a button to unfold it, so that the alert list has the
	// pane (the main window); false shows the board above the list always
	// (the facilitator view).
	FoldBoard bool
	// MinutesLink is put into the annotations pwg writes back ("": none).
	MinutesLink string
	// OnAction is called on the UI goroutine after an action ended, with
	// its name ("thresholds", "delete", "close", "review", "pin",
	// "annotation", "note") and its error.
	OnAction func(action string, err error)
}

func (o *Options) defaults() {
	if o.Context == nil {
		o.Context = context.Background()
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.DashboardTitle == "" {
		o.DashboardTitle = "PWG"
	}
	if o.User == "" {
		o.User = "someone"
	}
}

// period returns the configured review period or the default one.
func (o *Options) period() (from, to time.Time) {
	if !o.From.IsZero() && o.To.After(o.From) {
		return o.From, o.To
	}
	to = o.Now().Truncate(time.Hour) // a stable period keeps the cache useful
	return to.Add(-30 * 24 * time.Hour), to
}

func (o *Options) loaded(err error) {
	if o.OnLoaded != nil {
		o.OnLoaded(err)
	}
}

func (o *Options) acted(action string, err error) {
	if o.OnAction != nil {
		o.OnAction(action, err)
	}
}

// logLine is a line of the minutes: who did what, when.
func (o *Options) logLine(what string) string {
	return fmt.Sprintf("- %s %s: %s\n", o.Now().In(o.Location).Format("2006-01-02 15:04"), o.User, what)
}

// insert writes text into the section's notes. It is called from the
// goroutine that did the work: InsertText (the editor's caret) runs on the
// UI goroutine through uido.DoAndWait.
func (o *Options) insert(text string) error {
	if o.InsertText != nil {
		var err error
		uido.DoAndWait(func() { err = o.InsertText(o.SectionKey, text) })
		return err
	}
	if o.Minutes == nil {
		return fmt.Errorf("no minutes are open")
	}
	return o.Minutes.AppendNotes(o.SectionKey, text)
}

func (o *Options) fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(o.Location).Format("01/02 15:04")
}
