package app

import (
	"context"
	"image/color"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/minutes"
)

// FacilitatorView is the screen the facilitator shares: the agenda as a
// progress strip with the current section highlighted, the section's
// timebox and elapsed time, its notes rendered as Markdown (live), and for
// the alert and dashboard sections the matching pane. No editing chrome.
type FacilitatorView struct {
	m      *minutes.Meeting
	timer  *SectionTimer
	panes  func(kind string) fyne.CanvasObject
	onMove func(key string)
	invite func() fyne.CanvasObject
	dark   bool

	sections []minutes.Section
	current  int
	// paneKey and paneDate: the section and meeting date the pane was made
	// for; it is made again (fetching from Mackerel) only when they change
	// or on Reload.
	paneKey, paneDate string

	strip *fyne.Container
	title *canvas.Text
	clock *widget.Label
	notes *widget.RichText
	pane  *fyne.Container
	join  *fyne.Container
	theme *container.ThemeOverride
	body  *container.Split
	// what is shown, to redraw only what changed
	shownKey, shownNotes string
	root                 fyne.CanvasObject
}

// FacilitatorOptions configure a FacilitatorView.
type FacilitatorOptions struct {
	Dark bool
	// Clock for the section timer (nil: time.Now).
	Clock func() time.Time
	// Panes returns the pane for a section kind (alerts, dashboard), or nil.
	Panes func(kind string) fyne.CanvasObject
	// OnMove is called with the new current section (shared as presence).
	OnMove func(key string)
	// Invite returns how to join (team name, invitation, QR code), or nil.
	Invite func() fyne.CanvasObject
}

// NewFacilitatorView builds the facilitator view of m.
func NewFacilitatorView(m *minutes.Meeting, opts FacilitatorOptions) *FacilitatorView {
	f := &FacilitatorView{m: m, timer: NewSectionTimer(opts.Clock), panes: opts.Panes, onMove: opts.OnMove, invite: opts.Invite, dark: opts.Dark}
	f.strip = container.NewHBox()
	f.title = canvas.NewText("", f.theme0())
	f.title.TextStyle.Bold = true
	f.title.TextSize = 40
	f.clock = widget.NewLabel("")
	f.notes = widget.NewRichTextFromMarkdown("")
	f.notes.Wrapping = fyne.TextWrapWord
	f.pane = container.NewStack()
	f.join = container.NewStack()
	f.join.Hide()
	head := container.NewBorder(nil, nil, nil, f.clock, f.title)
	body := container.NewVSplit(container.NewVScroll(f.notes), f.pane)
	f.body = body
	content := container.NewBorder(container.NewVBox(container.NewHScroll(f.strip), head), f.join, nil, nil, body)
	f.theme = container.NewThemeOverride(content, newBigTheme(opts.Dark))
	f.root = f.theme
	f.Reload()
	return f
}

// Object returns the view's canvas object.
func (f *FacilitatorView) Object() fyne.CanvasObject { return f.root }

// Current returns the key of the section under discussion.
func (f *FacilitatorView) Current() string {
	if f.current < len(f.sections) {
		return f.sections[f.current].Key
	}
	return ""
}

// Timer returns the section timer.
func (f *FacilitatorView) Timer() *SectionTimer { return f.timer }

// Reload re-reads the meeting and redraws, the pane included.
func (f *FacilitatorView) Reload() {
	f.paneKey = ""
	f.reload()
}

// Apply takes a change event of the meeting: the notes of the current
// section are re-read when they changed (or this device is typing), the
// agenda when anything else changed; the pane stays unless the current
// section or the meeting's date (the review period) changed.
func (f *FacilitatorView) Apply(ev docs.Event) {
	if ev.DocID != f.m.ID() {
		return
	}
	if ev.Meta {
		f.reload()
		return
	}
	key := f.Current()
	if key == "" || (!ev.Typing() && !slices.Contains(ev.Sections, key)) {
		return
	}
	notes, err := f.m.Notes(key)
	if err != nil {
		f.notes.ParseMarkdown("**" + err.Error() + "**")
		return
	}
	f.sections[f.current].Notes = notes
	f.notes.ParseMarkdown(notes)
}

func (f *FacilitatorView) reload() {
	key := f.Current()
	secs, err := f.m.Sections()
	if err != nil {
		f.notes.ParseMarkdown("**" + err.Error() + "**")
		return
	}
	f.sections = secs
	f.current = 0
	for i, s := range secs {
		if s.Key == key {
			f.current = i
		}
	}
	f.redraw()
}

// Next moves to the next section and restarts the timer.
func (f *FacilitatorView) Next() { f.moveTo(f.current + 1) }

// Previous moves to the previous section.
func (f *FacilitatorView) Previous() { f.moveTo(f.current - 1) }

// Show moves to the section with key.
func (f *FacilitatorView) Show(key string) {
	for i, s := range f.sections {
		if s.Key == key {
			f.moveTo(i)
		}
	}
}

func (f *FacilitatorView) moveTo(i int) {
	if i < 0 || i >= len(f.sections) || i == f.current {
		return
	}
	f.current = i
	running := f.timer.Running()
	f.timer.Reset()
	if running {
		f.timer.Toggle()
	}
	f.redraw()
	if f.onMove != nil {
		f.onMove(f.Current())
	}
}

// ToggleTimer starts or pauses the section timer.
func (f *FacilitatorView) ToggleTimer() {
	f.timer.Toggle()
	f.Tick()
}

// ToggleInvite shows or hides how to join.
func (f *FacilitatorView) ToggleInvite() {
	if f.invite == nil {
		return
	}
	if f.join.Visible() {
		f.join.Hide()
		return
	}
	f.join.Objects = []fyne.CanvasObject{f.invite()}
	f.join.Show()
	f.join.Refresh()
}

// Tick updates the elapsed time (call it every second).
func (f *FacilitatorView) Tick() {
	if len(f.sections) == 0 {
		return
	}
	txt, over := TimerText(f.timer.Elapsed(), f.sections[f.current].Timebox)
	if !f.timer.Running() {
		txt += "  ❚❚"
	}
	imp := widget.MediumImportance
	if over {
		imp = widget.WarningImportance
	}
	if txt == f.clock.Text && imp == f.clock.Importance {
		return // a repaint of the whole view (graphs included) for nothing
	}
	f.clock.Text, f.clock.Importance = txt, imp
	f.clock.Refresh()
}

// OverTime reports whether the current section is over its timebox.
func (f *FacilitatorView) OverTime() bool {
	if len(f.sections) == 0 {
		return false
	}
	_, over := TimerText(f.timer.Elapsed(), f.sections[f.current].Timebox)
	return over
}

// NotesMarkdown returns the Markdown shown for the current section.
func (f *FacilitatorView) NotesMarkdown() string {
	if len(f.sections) == 0 {
		return ""
	}
	return f.sections[f.current].Notes
}

func (f *FacilitatorView) redraw() {
	objs := make([]fyne.CanvasObject, 0, len(f.sections))
	for i, s := range f.sections {
		l := widget.NewLabel(shortTitle(s.Title))
		if i == f.current {
			l.Importance = widget.HighImportance
			l.TextStyle.Bold = true
		} else if i < f.current {
			l.Importance = widget.LowImportance
		}
		objs = append(objs, l)
	}
	f.strip.Objects = objs
	f.strip.Refresh()
	if len(f.sections) == 0 {
		return
	}
	s := f.sections[f.current]
	f.title.Text = s.Title
	f.title.Color = f.theme0()
	f.title.Refresh()
	if s.Notes != f.shownNotes || s.Key != f.shownKey {
		f.notes.ParseMarkdown(s.Notes) // images are read and decoded again
		f.notes.Segments = flatSegments(f.notes.Segments, 0, nil)
		f.notes.Refresh()
		f.shownNotes = s.Notes
	}
	if date := f.m.Date(); s.Key != f.paneKey || date != f.paneDate {
		// a new pane only when the section (or the period) changed: a
		// document event redraws too; the old one is dropped and freed
		f.paneKey, f.paneDate = s.Key, date
		f.pane.Objects = nil
		if f.panes != nil {
			if p := f.panes(s.Kind); p != nil {
				f.pane.Objects = []fyne.CanvasObject{p}
			}
		}
		f.pane.Refresh()
		// the pane gets most of the screen; without one the notes get all
		if len(f.pane.Objects) > 0 {
			f.body.SetOffset(0.3)
		} else {
			f.body.SetOffset(1)
		}
	}
	f.shownKey = s.Key
	f.Rescale()
	f.Tick()
}

// Rescale puts what was created since the last time (new notes, a pane
// that loaded) at the projector scale: Fyne applies a theme override to
// the objects that exist when it is set.
func (f *FacilitatorView) Rescale() { f.theme.Refresh() }

func (f *FacilitatorView) theme0() color.Color {
	if f.dark {
		return color.White
	}
	return color.Black
}

// shortTitle keeps the Japanese part of a bilingual "日本語 / English" title
// for the progress strip.
func shortTitle(t string) string {
	for i := 0; i+2 < len(t); i++ {
		if t[i:i+3] == " / " {
			return t[:i]
		}
	}
	return t
}

// TypedKey handles the facilitator's keys: → / PageDown / N next, ← /
// PageUp / P previous, Space start/pause, I invitation.
func (f *FacilitatorView) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyRight, fyne.KeyPageDown, fyne.KeyN, fyne.KeyDown:
		f.Next()
	case fyne.KeyLeft, fyne.KeyPageUp, fyne.KeyP, fyne.KeyUp:
		f.Previous()
	case fyne.KeySpace:
		f.ToggleTimer()
	case fyne.KeyI:
		f.ToggleInvite()
	}
}

// ShowFacilitatorWindow opens f in its own window, with its keys, a
// one-second clock and live updates from the workspace; closing the window
// stops them, then calls onClosed (if set).
func ShowFacilitatorWindow(a fyne.App, ws *minutes.Workspace, f *FacilitatorView, onClosed func()) fyne.Window {
	m := f.m
	w := a.NewWindow("pwg — " + m.Title())
	w.SetContent(f.Object())
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyF11 {
			w.SetFullScreen(!w.FullScreen())
			return
		}
		if ev.Name == fyne.KeyEscape {
			w.Close()
			return
		}
		f.TypedKey(ev)
	})
	ctx, cancel := context.WithCancel(context.Background())
	events, stop := ws.Subscribe()
	follow(ctx, events, stop, func(ev docs.Event) {
		if ev.DocID == m.ID() {
			f.Apply(ev)
		}
	})
	every(ctx, time.Second, f.Tick)
	unwatch := m.Handle().Watch()
	w.SetOnClosed(func() {
		cancel()
		unwatch()
		if onClosed != nil {
			onClosed()
		}
	})
	w.Resize(fyne.NewSize(1280, 720))
	w.Show()
	return w
}
