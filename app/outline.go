package app

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// outlineWidth is the width of the agenda outline beside the minutes.
const outlineWidth = 250

// OutlineItem is one agenda section as the outline shows it.
type OutlineItem struct {
	Key     string
	Title   string
	Timebox int
	// Here lists who else is in the section (presence), with their colour.
	Here []Person
}

// Person is someone shown in the outline.
type Person struct {
	Name  string
	Color color.NRGBA
}

// Outline is the agenda beside the minutes: every section with its timebox,
// the facilitator's current section (a play icon), the section this person is in
// (highlighted) and who else is where. Tapping a section jumps to it.
type Outline struct {
	box    *fyne.Container
	root   fyne.CanvasObject
	onJump func(key string)

	items       []OutlineItem
	current     string
	facilitator string
	drawn       string // what the rows show, to rebuild only on change
}

// NewOutline returns an empty outline; onJump is called with a section key.
func NewOutline(onJump func(key string)) *Outline {
	o := &Outline{onJump: onJump, box: container.NewVBox()}
	head := widget.NewLabelWithStyle(T("Agenda"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(outlineWidth, 1))
	o.root = container.NewBorder(head, nil, nil, nil, container.NewStack(width, container.NewVScroll(o.box)))
	return o
}

// Object returns the outline's canvas object.
func (o *Outline) Object() fyne.CanvasObject { return o.root }

// SetSections sets the agenda shown.
func (o *Outline) SetSections(secs []minutes.Section) {
	here := map[string][]Person{}
	for _, it := range o.items {
		here[it.Key] = it.Here
	}
	o.items = o.items[:0]
	for _, s := range secs {
		o.items = append(o.items, OutlineItem{Key: s.Key, Title: s.Title, Timebox: s.Timebox, Here: here[s.Key]})
	}
	o.redraw()
}

// SetCurrent highlights the section this person is in.
func (o *Outline) SetCurrent(key string) {
	o.current = key
	o.redraw()
}

// SetPresence marks who is where and the facilitator's section ("" none).
func (o *Outline) SetPresence(here map[string][]Person, facilitator string) {
	for i := range o.items {
		o.items[i].Here = here[o.items[i].Key]
	}
	o.facilitator = facilitator
	o.redraw()
}

// Lines returns the outline's rows as text (for tests and the markup).
func (o *Outline) Lines() []string {
	out := make([]string, len(o.items))
	for i, it := range o.items {
		out[i] = o.line(it)
	}
	return out
}

func (o *Outline) line(it OutlineItem) string {
	t := shortTitle(it.Title)
	if it.Timebox > 0 {
		t += fmt.Sprintf("  %d′", it.Timebox)
	}
	return t
}

func (o *Outline) redraw() {
	var sig strings.Builder
	sig.WriteString(o.current + "|" + o.facilitator)
	for _, it := range o.items {
		sig.WriteString("|" + it.Key + "\x00" + it.Title + fmt.Sprint(it.Timebox))
		for _, p := range it.Here {
			sig.WriteString("," + p.Name)
		}
	}
	if sig.String() == o.drawn {
		return
	}
	o.drawn = sig.String()
	objs := make([]fyne.CanvasObject, 0, len(o.items))
	for _, it := range o.items {
		key := it.Key
		b := widget.NewButton(o.line(it), func() { o.onJump(key) })
		if key == o.facilitator { // the section the room is on
			b.SetIcon(theme.MediaPlayIcon())
		}
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		if key == o.current {
			b.Importance = widget.HighImportance
		}
		if len(it.Here) == 0 {
			objs = append(objs, b)
			continue
		}
		people := container.NewHBox(layoutIndent())
		for _, p := range it.Here {
			t := canvas.NewText(p.Name, p.Color)
			t.TextSize = theme.CaptionTextSize()
			people.Add(t)
		}
		objs = append(objs, container.NewVBox(b, people))
	}
	o.box.Objects = objs
	o.box.Refresh()
}

// layoutIndent is a small fixed gap.
func layoutIndent() fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(theme.Padding()*4, 1))
	return r
}

// Facilitator returns the section marked as the facilitator's ("" none).
func (o *Outline) Facilitator() string { return o.facilitator }

// Current returns the section highlighted as this person's.
func (o *Outline) Current() string { return o.current }

// Jump goes to a section as a tap on its row does.
func (o *Outline) Jump(key string) { o.onJump(key) }
