package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/editor"
	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/sharing"
)

// MeetingView shows one meeting's minutes: its header, attendance warning and
// one SectionView per agenda section.
type MeetingView struct {
	ws      *minutes.Workspace
	m       *minutes.Meeting
	unwatch func() // the handle's events name what changed while shown
	onError func(error)
	win     func() fyne.Window

	attendance *Attendance
	// panes builds the Mackerel pane of a section (nil: none).
	panes func(m *minutes.Meeting, s minutes.Section) fyne.CanvasObject

	header   *widget.Label
	banner   *widget.Label
	sections map[string]*SectionView
	order    []string
	body     *fyne.Container
	scroll   *container.Scroll
	page     *page
	outline  *Outline
	root     fyne.CanvasObject
	focused  string
	// typing is the section of the last local edit (its caret is kept in
	// view while the page scrolls).
	typing string
	// onShortcut gives the window's shortcuts to the editors.
	onShortcut func(fyne.Shortcut) bool
	// paneModes remembers where each kind of pane was put.
	paneModes map[string]PaneMode
	// onFocus is called when this person moves to another section.
	onFocus func()
}

// NewMeetingView builds the view of m.
// panes (may be nil) builds the Mackerel pane of a section.
func NewMeetingView(ws *minutes.Workspace, m *minutes.Meeting, win func() fyne.Window, onError func(error), panes func(*minutes.Meeting, minutes.Section) fyne.CanvasObject) *MeetingView {
	v := &MeetingView{ws: ws, m: m, onError: onError, win: win, panes: panes, sections: map[string]*SectionView{}, paneModes: map[string]PaneMode{}}
	v.unwatch = m.Handle().Watch()
	v.header = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.banner = widget.NewLabel("")
	v.banner.Wrapping = fyne.TextWrapWord
	v.banner.Importance = widget.WarningImportance
	v.page = newPage()
	v.page.caret = v.caretInPage
	v.body, v.scroll = v.page.body, v.page.scroll
	v.outline = NewOutline(v.ScrollTo)
	v.attendance = NewAttendance(m, win, onError, v.refreshHeader)
	// one row: the meeting (title, date, place, sharing) and who is there
	head := container.NewBorder(nil, nil, v.header, nil, v.attendance.Object())
	minutes := container.NewBorder(container.NewVBox(head, v.banner), nil, nil, nil, v.scroll)
	v.root = container.NewBorder(nil, nil, container.NewHBox(v.outline.Object(), widget.NewSeparator()), nil, minutes)
	v.rebuild()
	return v
}

// Object returns the view's canvas object.
func (v *MeetingView) Object() fyne.CanvasObject { return v.root }

// Meeting returns the meeting shown.
func (v *MeetingView) Meeting() *minutes.Meeting { return v.m }

// Section returns the view of a section, or nil.
func (v *MeetingView) Section(key string) *SectionView { return v.sections[key] }

func (v *MeetingView) refreshHeader() {
	h := v.m.Title() + " — " + v.m.Date()
	if loc := v.m.Location(); loc != "" {
		h += " — " + loc
	}
	if sharing.IsShared(v.ws.Settings(), v.m.ID()) {
		url, _ := sharing.RelayURL(v.ws.Settings())
		h += "   " + T("shared through the relay %s (not authenticated)", url) + " ⇅"
	}
	v.header.SetText(h)
	missing, err := v.m.MissingRequired()
	if err != nil || len(missing) == 0 {
		v.banner.Hide()
		return
	}
	names := make([]string, len(missing))
	for i, mb := range missing {
		names[i] = fmt.Sprintf("%s (%s)", mb.Name, mb.Role)
	}
	v.banner.SetText(T("Required attendees not present: %s. The PWG needs its SREs and tech lead: consider rescheduling.", strings.Join(names, ", ")))
	v.banner.Show()
}

// rebuild lays out the sections anew (after the agenda changed).
func (v *MeetingView) rebuild() {
	v.refreshHeader()
	secs, err := v.m.Sections()
	if err != nil {
		v.onError(err)
		return
	}
	objs := make([]fyne.CanvasObject, 0, len(secs))
	keep := map[string]bool{}
	v.order = v.order[:0]
	for _, s := range secs {
		sv, ok := v.sections[s.Key]
		if !ok {
			sv = NewSectionView(v.m, s, v.win, v.onError)
			key, kind := s.Key, s.Kind
			sv.editor.SetOnLocalSplice(func(int, int, string) {
				v.setFocused(key)
				v.typing = key
				v.page.KeepCaretInView()
				if sv := v.sections[key]; sv != nil {
					sv.thumbs.Set(sv.editor.Value())
				}
			})
			sv.wheel.to = v.scroll
			sv.editor.SetOnShortcut(v.onShortcut)
			sv.paneHeight = v.paneHeight
			sv.paneMode = v.paneModes[kind]
			sv.onPaneMode = func(m PaneMode) { v.paneModes[kind] = m }
			if v.panes != nil {
				sv.setPane(v.panes(v.m, s))
			}
			v.sections[s.Key] = sv
		} else {
			sv.update(s)
		}
		keep[s.Key] = true
		v.order = append(v.order, s.Key)
		objs = append(objs, sv.Object())
	}
	for k := range v.sections {
		if !keep[k] {
			delete(v.sections, k)
		}
	}
	v.body.Objects = objs
	v.body.Refresh()
	v.outline.SetSections(secs)
}

// paneHeight is the height of a section's pane: nearly the page's, so that
// the section's title, the pane's buttons and the pane fit on one screen.
func (v *MeetingView) paneHeight(m PaneMode) float32 {
	view := v.scroll.Size().Height
	if m == PaneWide {
		return max(view-60, 480)
	}
	return max(view-55, 420)
}

// caretInPage returns the top and bottom of the caret's row in the page,
// for the editor typed in last.
func (v *MeetingView) caretInPage() (top, bottom float32, ok bool) {
	sv := v.sections[v.typing]
	if sv == nil {
		return 0, 0, false
	}
	ed, grows := sv.Editor().(*editor.Editor)
	if !grows || !ed.Visible() {
		return 0, 0, false
	}
	d := fyne.CurrentApp().Driver()
	y := d.AbsolutePositionForObject(ed).Y - d.AbsolutePositionForObject(v.body).Y
	bottom = y + ed.CaretY()
	return bottom - ed.RowHeight(), bottom, true
}

// apply takes a document event of this meeting (UI goroutine) and re-reads
// only what it names: the notes of each changed section (one read, by the
// section's binding), and the header, attendance and agenda only when
// something else changed (Meta).
func (v *MeetingView) apply(ev docs.Event) {
	if ev.Typing() {
		return // our own typing: the editor shows it already
	}
	if !ev.Meta {
		for _, key := range ev.Sections {
			if sv, ok := v.sections[key]; ok {
				sv.pullNotes()
			}
		}
		return
	}
	changed := make(map[string]bool, len(ev.Sections))
	for _, key := range ev.Sections {
		changed[key] = true
	}
	secs, err := v.m.Sections()
	if err != nil {
		v.onError(err)
		return
	}
	same := len(secs) == len(v.order)
	for i := 0; same && i < len(secs); i++ {
		same = secs[i].Key == v.order[i]
	}
	if !same {
		v.rebuild()
		return
	}
	v.refreshHeader()
	v.attendance.Refresh()
	for _, s := range secs {
		v.sections[s.Key].updateMeta(s)
		if changed[s.Key] {
			v.sections[s.Key].pullNotes()
		}
	}
	v.outline.SetSections(secs)
}

// Attendance returns the attendance strip.
func (v *MeetingView) Attendance() *Attendance { return v.attendance }

// refreshActions reloads what comes from the series: members, action items.
func (v *MeetingView) refreshActions() {
	v.refreshHeader()
	v.attendance.Refresh()
	for _, sv := range v.sections {
		if sv.actions != nil {
			sv.actions.Refresh()
		}
	}
}

func (v *MeetingView) close() { v.unwatch() }

// ScrollTo brings a section into view (follow the facilitator, next section).
func (v *MeetingView) ScrollTo(key string) {
	sv, ok := v.sections[key]
	if !ok {
		return
	}
	v.focused = key
	v.outline.SetCurrent(key)
	v.scroll.ScrollToOffset(fyne.NewPos(0, sv.Object().Position().Y))
}

// setOnShortcut makes the window's shortcuts work with the caret in an
// editor (Fyne gives shortcuts to the focused widget only).
func (v *MeetingView) setOnShortcut(f func(fyne.Shortcut) bool) {
	v.onShortcut = f
	for _, sv := range v.sections {
		sv.editor.SetOnShortcut(f)
	}
}

// Outline returns the agenda outline beside the minutes.
func (v *MeetingView) Outline() *Outline { return v.outline }

// Focused returns the section last scrolled to.
func (v *MeetingView) Focused() string { return v.focused }

func (v *MeetingView) moveFocus(delta int) {
	// nothing chosen yet: the page shows the first section
	i := max(delta, 0)
	for j, k := range v.order {
		if k == v.focused {
			i = j + delta
		}
	}
	if i >= 0 && i < len(v.order) {
		v.ScrollTo(v.order[i])
	}
}

// setFocused records the section this person writes in.
func (v *MeetingView) setFocused(key string) {
	if v.focused == key {
		return
	}
	v.focused = key
	v.outline.SetCurrent(key)
	if v.onFocus != nil {
		v.onFocus()
	}
}

// markPresent checks in the member called name, if not yet present
// (members who joined the team after the meeting was made included).
func (v *MeetingView) markPresent(name string) {
	s, err := v.m.Series()
	if err != nil {
		return
	}
	members, err := s.Members()
	if err != nil {
		return
	}
	att, err := v.m.Attendees()
	if err != nil {
		return
	}
	present := map[string]minutes.Attendee{}
	for _, a := range att {
		present[a.MemberID] = a
	}
	for _, mb := range members {
		if mb.Name != name {
			continue
		}
		a, ok := present[mb.ID]
		if ok && a.Present {
			continue
		}
		if !ok {
			a = minutes.Attendee{MemberID: mb.ID, Name: mb.Name, Role: minutes.RoleAttendee}
		}
		a.Present = true
		if err := v.m.SetAttendee(a); err != nil {
			v.onError(err)
			return
		}
		v.attendance.Refresh()
		v.refreshHeader()
	}
}

// HeaderText returns the meeting's header line as shown.
func (v *MeetingView) HeaderText() string { return v.header.Text }

// Refresh re-reads the header (title, date, relay sharing) and attendance.
func (v *MeetingView) Refresh() {
	v.refreshHeader()
	v.attendance.Refresh()
}
