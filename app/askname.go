package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// AskName asks, in a small window of its own, the name this person's
// changes to the minutes will carry, prefilled with suggested (the
// account's login name). done runs on the Fyne thread with the name given;
// the window closes. Closing the window without an answer keeps suggested.
func AskName(a fyne.App, suggested string, done func(name string)) fyne.Window {
	w := a.NewWindow("pwg — " + T("Your name"))
	entry := widget.NewEntry()
	entry.SetText(suggested)
	answered := false
	finish := func() {
		if answered {
			return
		}
		answered = true
		name := strings.TrimSpace(entry.Text)
		if name == "" {
			name = suggested
		}
		done(name)
		w.Close()
	}
	entry.OnSubmitted = func(string) { finish() }
	ok := widget.NewButton(T("Continue"), finish)
	ok.Importance = widget.HighImportance
	intro := widget.NewLabel(T("Your name in the minutes: every change you make carries it, and the room sees it beside the section you write in."))
	intro.Wrapping = fyne.TextWrapWord
	w.SetContent(container.NewPadded(container.NewVBox(intro, entry, container.NewHBox(layout.NewSpacer(), ok))))
	w.SetOnClosed(func() {
		if !answered {
			answered = true
			done(suggested)
		}
	})
	w.Resize(fyne.NewSize(460, 200))
	w.CenterOnScreen()
	w.Show()
	w.Canvas().Focus(entry)
	return w
}
