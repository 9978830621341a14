package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// page is the minutes as one scrolling document: the sections stacked, each
// as tall as its content. After every layout (a section grew by a row) it
// keeps the caret of the editor being typed in on screen.
type page struct {
	body   *fyne.Container
	scroll *container.Scroll
	// caret, if set, returns the caret's position in the body (ok false:
	// nothing to keep in view).
	caret func() (top, bottom float32, ok bool)
	// reveal is set by a keystroke and cleared once the caret is in view.
	reveal bool
}

func newPage() *page {
	p := &page{}
	p.body = container.New(&pageLayout{p: p})
	p.scroll = container.NewVScroll(p.body)
	return p
}

// KeepCaretInView scrolls, after the next layout, so that the caret is
// visible (call it after a local edit).
func (p *page) KeepCaretInView() {
	p.reveal = true
	p.revealCaret()
}

func (p *page) revealCaret() {
	if !p.reveal || p.caret == nil {
		return
	}
	top, bottom, ok := p.caret()
	if !ok {
		p.reveal = false
		return
	}
	view := p.scroll.Size().Height
	off := p.scroll.Offset.Y
	margin := theme.TextSize() * 2
	switch {
	case bottom+margin > off+view:
		off = bottom + margin - view
	case top < off:
		off = max(top-margin, 0)
	default:
		p.reveal = false
		return
	}
	if limit := p.body.MinSize().Height - view; off > limit {
		off = max(limit, 0) // the body grows at the next layout: try again then
	} else {
		p.reveal = false
	}
	if off != p.scroll.Offset.Y {
		p.scroll.ScrollToOffset(fyne.NewPos(0, off))
	}
}

// pageLayout stacks objects like a VBox and then keeps the caret in view.
type pageLayout struct{ p *page }

func (l *pageLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	y := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + pad
	}
	l.p.revealCaret()
}

func (l *pageLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	var s fyne.Size
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height
		n++
	}
	if n > 1 {
		s.Height += pad * float32(n-1)
	}
	return s
}

// wheelPass lies over a growing editor and hands the mouse wheel to the
// page: the editor is as tall as its text, so its own scroller (which Fyne
// gives the wheel, being the innermost) has nothing to scroll. Taps, drags
// and the pointer shape still reach the editor underneath.
type wheelPass struct {
	widget.BaseWidget
	to fyne.Scrollable
}

func newWheelPass(to fyne.Scrollable) *wheelPass {
	w := &wheelPass{to: to}
	w.ExtendBaseWidget(w)
	return w
}

// Scrolled implements fyne.Scrollable.
func (w *wheelPass) Scrolled(ev *fyne.ScrollEvent) {
	if w.to != nil {
		w.to.Scrolled(ev)
	}
}

// CreateRenderer implements fyne.Widget.
func (w *wheelPass) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}

// MinSize is nothing: the overlay takes the size of what it lies on.
func (w *wheelPass) MinSize() fyne.Size { return fyne.Size{} }
