package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/editor"
	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/textsync"
	"github.com/pwg-team/pwg/sync/lansync"
)

// SectionView is one agenda section: its title and timebox, guidance, the
// notes editor bound to the section's Automerge text, and a Markdown preview.
type SectionView struct {
	m       *minutes.Meeting
	key     string
	title   *widget.Label
	guide   *widget.Label
	editor  editor.Notes
	stack   *fyne.Container // holds the editor and the preview
	onError func(error)
	preview *widget.RichText
	toggle  *widget.Check
	actions *ActionTable
	slos    *SLOTable
	middle  *fyne.Container // the notes, or the notes and the pane
	notes   *fyne.Container // the editor (or preview) and the thumbnails
	thumbs  *Thumbs
	paneBar *fyne.Container // the pane's buttons, in the title row
	box     *paneBox
	wheel   *wheelPass
	editors *fyne.Container // who else is editing this section
	pane    fyne.CanvasObject
	// paneHeight sizes the pane; paneMode is where it starts.
	paneHeight func(PaneMode) float32
	paneMode   PaneMode
	onPaneMode func(PaneMode)
	root       fyne.CanvasObject
	titleS     string
}

// NewSectionView builds the view of section s of m.
func NewSectionView(m *minutes.Meeting, s minutes.Section, win func() fyne.Window, onError func(error)) *SectionView {
	v := &SectionView{m: m, key: s.Key, onError: onError}
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.guide = widget.NewLabel("")
	v.guide.Wrapping = fyne.TextWrapWord
	v.guide.Importance = widget.LowImportance
	ed, err := editor.NewFor(m.Section(s.Key), textsync.Options{})
	if err != nil {
		// The section vanished between listing and binding: show it empty
		// and read-only rather than fail the whole meeting.
		onError(err)
		ed, _ = editor.NewFor(emptyText{}, textsync.Options{})
		ed.SetReadOnly(true)
	}
	v.editor = ed
	v.editor.SetOnError(onError)
	v.editor.SetMinRowsVisible(4)
	if g, ok := v.editor.(*editor.Editor); ok {
		g.SetGrow(4)
	}
	if m.Handle().ReadOnly() != nil {
		v.editor.SetReadOnly(true)
	}
	v.preview = widget.NewRichTextFromMarkdown("")
	v.preview.Wrapping = fyne.TextWrapWord
	v.preview.Hide()
	v.toggle = widget.NewCheck(T("Preview"), func(on bool) {
		if on {
			v.preview.ParseMarkdown(v.editor.Value())
			v.editor.Hide()
			v.preview.Show()
		} else {
			v.preview.Hide()
			v.editor.Show()
		}
	})
	history := widget.NewButtonWithIcon("", theme.HistoryIcon(), func() { showHistory(m, v.key, v.titleS, win(), onError) })
	v.editors = container.NewHBox()
	v.wheel = newWheelPass(nil)
	if _, long := v.editor.(*editor.LongEditor); long {
		v.wheel.Hide() // it scrolls itself
	}
	v.stack = container.NewStack(v.editor, v.wheel, v.preview)
	v.thumbs = newThumbs(win)
	v.notes = container.NewBorder(nil, v.thumbs.Object(), nil, nil, v.stack)
	v.middle = container.NewStack(v.notes)
	v.paneBar = container.NewHBox()
	head := container.NewBorder(nil, nil, nil, container.NewHBox(v.editors, v.paneBar, v.toggle, history), v.title)
	parts := []fyne.CanvasObject{widget.NewSeparator(), head, v.guide, v.middle}
	if s.Kind == minutes.SectionActions {
		v.actions = NewActionTable(m, s.Key == "previous-actions", win, onError)
		parts = append(parts, v.actions.Object())
	}
	if s.Kind == minutes.SectionSLO {
		v.slos = NewSLOTable(m, win, onError)
		parts = append(parts, v.slos.Object())
	}
	v.root = container.NewVBox(parts...)
	v.update(s)
	return v
}

// Object returns the section's canvas object.
func (v *SectionView) Object() fyne.CanvasObject { return v.root }

// Editor returns the notes editor.
func (v *SectionView) Editor() editor.Notes { return v.editor }

// Previewing reports whether the Markdown preview is shown.
func (v *SectionView) Previewing() bool { return v.toggle.Checked }

// SetPreview turns the Markdown preview on or off.
func (v *SectionView) SetPreview(on bool) { v.toggle.SetChecked(on) }

// SLOs returns the section's SLO table, or nil.
func (v *SectionView) SLOs() *SLOTable { return v.slos }

// Actions returns the section's action item table, or nil.
func (v *SectionView) Actions() *ActionTable { return v.actions }

// Update shows the section as it now is (title, guidance, notes, tables).
func (v *SectionView) Update(s minutes.Section) { v.update(s) }

func (v *SectionView) update(s minutes.Section) {
	v.updateMeta(s)
	if v.editor.Value() != s.Notes {
		v.pullNotes()
	}
}

// updateMeta shows the section's title, guidance and tables as they now are.
func (v *SectionView) updateMeta(s minutes.Section) {
	v.titleS = s.Title
	t := s.Title
	if s.Timebox > 0 {
		t = fmt.Sprintf("%s  ·  %d min", s.Title, s.Timebox)
	}
	v.title.SetText(t)
	v.showGuidance(s.Guidance)
	if v.slos != nil {
		v.slos.Refresh()
	}
}

// pullNotes takes the section's merged notes into its editor (the binding
// reads them once and maps caret and selection through the change).
func (v *SectionView) pullNotes() {
	if err := v.editor.Pull(); err != nil {
		v.onError(err)
	}
	// A section that grew long gets the editor that lays out only what is
	// visible (same binding, undo history and caret).
	if n, ok := editor.Promote(v.editor); ok {
		focused := false
		if c := fyne.CurrentApp().Driver().CanvasForObject(v.editor); c != nil && c.Focused() == v.editor {
			focused = true
		}
		n.SetMinRowsVisible(longRows)
		v.wheel.Hide()
		if v.toggle.Checked {
			n.Hide()
		}
		v.stack.Objects[0] = n
		v.editor = n
		v.showGuidance(v.guide.Text)
		v.stack.Refresh()
		if focused {
			if c := fyne.CurrentApp().Driver().CanvasForObject(n); c != nil {
				c.Focus(n)
			}
		}
	}
	if v.toggle.Checked {
		v.preview.ParseMarkdown(v.editor.Value())
	}
	v.thumbs.Set(v.editor.Value())
}

// Thumbs returns the section's attachment thumbnails.
func (v *SectionView) Thumbs() *Thumbs { return v.thumbs }

// showGuidance shows what the section is for: inside the empty notes box
// (as Entry's placeholder, taking no room), or above a long section's.
func (v *SectionView) showGuidance(g string) {
	v.guide.SetText(g)
	if ed, ok := v.editor.(*editor.Editor); ok {
		v.guide.Hide()
		if ed.PlaceHolder != g {
			ed.SetPlaceHolder(g)
		}
		return
	}
	if g == "" {
		v.guide.Hide()
	} else {
		v.guide.Show()
	}
}

// longRows is the height, in rows, of a long section's editor: it scrolls
// itself, and keeps room on screen for the sections around it.
const longRows = 24

// setPane shows a pane (alerts, dashboard) beside or under the notes.
func (v *SectionView) setPane(p fyne.CanvasObject) {
	v.pane = p
	if p == nil {
		v.box = nil
		v.paneBar.Objects = nil
		v.paneBar.Refresh()
		v.middle.Objects = []fyne.CanvasObject{v.notes}
		v.middle.Refresh()
		return
	}
	switch p.(type) {
	case *mackerelui.AlertsPane, *mackerelui.DashboardPane:
	default: // a hint (Mackerel not set up): under the notes, as tall as it is
		v.box = nil
		v.middle.Objects = []fyne.CanvasObject{container.NewVBox(v.notes, p)}
		v.middle.Refresh()
		return
	}
	height := v.paneHeight
	if height == nil {
		height = func(PaneMode) float32 { return 480 }
	}
	v.box = newPaneBox(p, v.notes, v.paneMode, height, v.onPaneMode)
	v.paneBar.Objects = []fyne.CanvasObject{v.box.Bar(), widget.NewSeparator()}
	v.paneBar.Refresh()
	v.middle.Objects = []fyne.CanvasObject{v.box.Object()}
	v.middle.Refresh()
}

// PaneMode returns where the pane sits, or false without a pane.
func (v *SectionView) PaneMode() (PaneMode, bool) {
	if v.box == nil {
		return 0, false
	}
	return v.box.Mode(), true
}

// SetPaneMode moves the section's pane (beside, wide, hidden).
func (v *SectionView) SetPaneMode(m PaneMode) {
	if v.box != nil {
		v.box.SetMode(m)
	}
}

// Pane returns the section's pane, or nil.
func (v *SectionView) Pane() fyne.CanvasObject { return v.pane }

// emptyText is a read-only empty target for a section that cannot be bound.
type emptyText struct{}

func (emptyText) Text() (string, error)         { return "", nil }
func (emptyText) Splice(int, int, string) error { return docs.ErrReadOnly }

// setEditors marks the section with the people editing it right now.
func (v *SectionView) setEditors(peers []lansync.PeerInfo) {
	objs := make([]fyne.CanvasObject, 0, len(peers))
	for _, p := range peers {
		t := canvas.NewText(peerName(p)+" ✎", colorFor(p.Fingerprint))
		t.TextStyle.Bold = true
		objs = append(objs, t)
	}
	v.editors.Objects = objs
	v.editors.Refresh()
}

// EditorsShown returns the names marked as editing this section.
func (v *SectionView) EditorsShown() []string {
	var out []string
	for _, o := range v.editors.Objects {
		if t, ok := o.(*canvas.Text); ok {
			out = append(out, t.Text)
		}
	}
	return out
}

// peerName is the name a peer goes by in the meeting.
func peerName(p lansync.PeerInfo) string {
	if p.Presence != nil && p.Presence.Name != "" {
		return p.Presence.Name
	}
	return p.Name
}
