package app_test

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// typeShortcut delivers a shortcut as the desktop driver does: to the
// focused widget when it takes shortcuts, else to the canvas.
func typeShortcut(c fyne.Canvas, key fyne.KeyName, mod fyne.KeyModifier) {
	sc := &desktop.CustomShortcut{KeyName: key, Modifier: mod}
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(sc)
		return
	}
	c.(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(sc)
}

func TestWindowShortcutsWorkWithTheCaretInAnEditor(t *testing.T) {
	u, _ := newUI(t)
	ed := u.Current().Section("topics").Editor()
	c := u.Window().Canvas()
	c.Focus(ed)
	typeShortcut(c, fyne.KeyF, fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift)
	if u.Facilitator() == nil {
		t.Fatal("Ctrl+Shift+F with the caret in an editor did not open the facilitator view")
	}
	// its window runs a clock and follows the document on goroutines,
	// which the test driver runs in place: close it before typing
	u.CloseFacilitator()
	if u.Facilitator() != nil {
		t.Fatal("the facilitator view stayed after its window closed")
	}
	c.Focus(ed)
	test.Type(ed, "p99")
	if c.Focused() != ed {
		t.Fatal("the editor lost the focus")
	}
	typeShortcut(c, fyne.KeyPageDown, fyne.KeyModifierShortcutDefault)
	if got := u.Current().Focused(); got != "changes" {
		t.Fatalf("Ctrl+PageDown from topics went to %q, want the next section", got)
	}
	// the editor's own shortcuts still work: ctrl+Z undoes the typing
	c.Focus(ed)
	ed.(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutUndo{})
	if ed.Value() != "" {
		t.Fatalf("undo left %q", ed.Value())
	}
}

func TestNewMeetingIsShown(t *testing.T) {
	u, ws := newUI(t)
	later := time.Date(2026, 12, 22, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	earlier := "2026-10-20"
	for _, d := range []string{later, earlier} {
		m, err := ws.NewMeeting("PWG "+d, d)
		if err != nil {
			t.Fatal(err)
		}
		u.ShowMeeting(m.ID())
		if got := u.Current().Meeting().ID(); got != m.ID() {
			t.Fatalf("new meeting of %s: the window shows %s", d, u.Current().Meeting().Date())
		}
		if got := u.PickedMeeting(); got != m.ID() {
			t.Fatalf("new meeting of %s: the picker shows %q", d, got)
		}
	}
}
