package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// PaneMode is where a section's Mackerel pane sits.
type PaneMode int

// Pane modes: beside the notes (the default: the scribe writes on the left
// while the room reads the alerts or graphs on the right), across the whole
// width under the notes, or hidden behind a one-line bar.
const (
	PaneBeside PaneMode = iota
	PaneWide
	PaneHidden
)

// paneNotesShare is the part of the width the notes keep beside a pane.
const paneNotesShare = 0.40

// paneBox holds a section's pane at a fixed height (so that its own
// scroller takes the wheel and the page does not grow with the alert
// list), with buttons to put it beside the notes, widen it, or hide it.
type paneBox struct {
	pane   fyne.CanvasObject
	notes  fyne.CanvasObject
	height func(PaneMode) float32
	mode   PaneMode
	onMode func(PaneMode)

	bar     *fyne.Container
	buttons map[PaneMode]*widget.Button
	root    *fyne.Container
}

func newPaneBox(pane, notes fyne.CanvasObject, mode PaneMode, height func(PaneMode) float32, onMode func(PaneMode)) *paneBox {
	b := &paneBox{pane: pane, notes: notes, mode: mode, height: height, onMode: onMode, buttons: map[PaneMode]*widget.Button{}}
	b.buttons[PaneBeside] = widget.NewButtonWithIcon(T("Beside"), theme.ViewRestoreIcon(), func() { b.SetMode(PaneBeside) })
	b.buttons[PaneWide] = widget.NewButtonWithIcon(T("Wide"), theme.ViewFullScreenIcon(), func() { b.SetMode(PaneWide) })
	b.buttons[PaneHidden] = widget.NewButtonWithIcon(T("Hide pane"), theme.VisibilityOffIcon(), func() { b.SetMode(PaneHidden) })
	b.bar = container.NewHBox(b.buttons[PaneBeside], b.buttons[PaneWide], b.buttons[PaneHidden])
	b.root = container.NewStack()
	b.SetMode(mode)
	return b
}

// Bar returns the buttons that move the pane (for the section's title row).
func (b *paneBox) Bar() fyne.CanvasObject { return b.bar }

// Object returns what the section shows in place of its notes.
func (b *paneBox) Object() fyne.CanvasObject { return b.root }

// Mode returns where the pane is.
func (b *paneBox) Mode() PaneMode { return b.mode }

// SetMode moves the pane.
func (b *paneBox) SetMode(m PaneMode) {
	b.mode = m
	for k, btn := range b.buttons {
		if k == m {
			btn.Importance = widget.HighImportance
		} else {
			btn.Importance = widget.LowImportance
		}
		btn.Refresh()
	}
	framed := container.New(&fixedHeight{h: func() float32 { return b.height(b.mode) }}, b.pane)
	var o fyne.CanvasObject
	switch m {
	case PaneBeside:
		split := container.NewHSplit(b.notes, framed)
		split.Offset = paneNotesShare
		o = split
	case PaneWide:
		o = container.NewVBox(b.notes, framed)
	default:
		o = b.notes
	}
	b.root.Objects = []fyne.CanvasObject{o}
	b.root.Refresh()
	if b.onMode != nil {
		b.onMode(m)
	}
}

// fixedHeight gives its objects a height decided outside (the pane's),
// whatever their own minimum.
type fixedHeight struct{ h func() float32 }

func (l *fixedHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *fixedHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := float32(0)
	for _, o := range objs {
		w = max(w, o.MinSize().Width)
	}
	return fyne.NewSize(w, l.h())
}
