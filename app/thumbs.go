package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// thumbSize is the box of one attachment thumbnail under a section's notes.
var thumbSize = fyne.NewSize(180, 110)

// Thumbs shows the attachments a section's notes refer to as thumbnails
// under its editor; tapping one shows it large.
type Thumbs struct {
	box    *fyne.Container
	scroll *container.Scroll
	win    func() fyne.Window
	shown  string // the refs shown, to rebuild only on change
	refs   []thumbRef
}

type thumbRef struct{ caption, hash string }

func newThumbs(win func() fyne.Window) *Thumbs {
	t := &Thumbs{box: container.NewHBox(), win: win}
	t.scroll = container.NewHScroll(t.box)
	t.scroll.Hide() // takes no room until there is a picture
	return t
}

// Object returns the strip.
func (t *Thumbs) Object() fyne.CanvasObject { return t.scroll }

// Captions returns the captions of the attachments shown.
func (t *Thumbs) Captions() []string {
	out := make([]string, len(t.refs))
	for i, r := range t.refs {
		out[i] = r.caption
	}
	return out
}

// Set shows the attachments notes refers to.
func (t *Thumbs) Set(notes string) {
	var refs []thumbRef
	var sig strings.Builder
	if strings.Contains(notes, blobScheme+":") {
		for _, m := range blobRef.FindAllStringSubmatch(notes, -1) {
			refs = append(refs, thumbRef{caption: m[1], hash: m[2]})
			sig.WriteString(m[1] + "\x00" + m[2] + "\x00")
		}
	}
	if sig.String() == t.shown {
		return
	}
	t.shown, t.refs = sig.String(), refs
	objs := make([]fyne.CanvasObject, 0, len(refs))
	for _, r := range refs {
		objs = append(objs, t.thumb(r))
	}
	t.box.Objects = objs
	t.box.Refresh()
	if len(objs) == 0 {
		t.scroll.Hide()
	} else {
		t.scroll.Show()
	}
}

func (t *Thumbs) thumb(r thumbRef) fyne.CanvasObject {
	u, err := storage.ParseURI(blobScheme + ":" + r.hash)
	if err != nil {
		return widget.NewLabel(r.caption)
	}
	img := canvas.NewImageFromURI(u)
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScaleSmooth
	img.SetMinSize(thumbSize)
	caption := widget.NewLabel(r.caption)
	caption.Truncation = fyne.TextTruncateEllipsis
	caption.SizeName = theme.SizeNameCaptionText
	open := widget.NewButton("", func() { t.showLarge(r, u) })
	open.Importance = widget.LowImportance
	return container.NewGridWrap(fyne.NewSize(thumbSize.Width, thumbSize.Height+30),
		container.NewStack(open, container.NewBorder(nil, caption, nil, nil, img)))
}

func (t *Thumbs) showLarge(r thumbRef, u fyne.URI) {
	img := canvas.NewImageFromURI(u)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(900, 560))
	d := dialog.NewCustom(r.caption, T("Close"), img, t.win())
	d.Show()
}
