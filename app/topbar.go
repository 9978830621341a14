package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// peersButton opens the list of devices in the room (and this device's
// fingerprint) under the top bar; its label counts the connected peers.
func (u *UI) peersButton() *widget.Button {
	var b *widget.Button
	b = widget.NewButtonWithIcon(T("Peers"), theme.AccountIcon(), func() {
		fp := widget.NewLabel(T("This device: %s", u.opts.Room.Fingerprint()))
		fp.TextStyle.Monospace = true
		list := container.NewGridWrap(fyne.NewSize(420, 240), u.peerList)
		pop := widget.NewPopUp(container.NewBorder(widget.NewLabelWithStyle(T("Peers"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), fp, nil, nil, list), u.win.Canvas())
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
		pop.ShowAtPosition(fyne.NewPos(pos.X+b.Size().Width-440, pos.Y+b.Size().Height))
	})
	u.peersBtn = b
	return b
}

// refreshPeersButton counts the connected peers on the button.
func (u *UI) refreshPeersButton() {
	if u.peersBtn == nil {
		return
	}
	n := 0
	for _, p := range u.room.peers {
		if p.InReach() {
			n++
		}
	}
	u.peersBtn.SetText(fmt.Sprintf("%s: %d", T("Peers"), n))
}

// quitItem is File → Quit (Fyne adds its own unless one is marked).
func quitItem(run func()) *fyne.MenuItem {
	it := fyne.NewMenuItem(T("Quit"), run)
	it.IsQuit = true
	return it
}

// Quit ends the app: the windows close at once, the rest shuts down behind.
func (u *UI) Quit() {
	for _, w := range u.app.Driver().AllWindows() {
		w.Hide()
	}
	u.app.Quit()
}

// Facilitator returns the open facilitator view, or nil.
func (u *UI) Facilitator() *FacilitatorView { return u.facilitator }

// copyButton copies text to the clipboard (a Label's text cannot be
// selected and copied).
func (u *UI) copyButton(text string) *widget.Button {
	var b *widget.Button
	b = widget.NewButtonWithIcon(T("Copy"), theme.ContentCopyIcon(), func() {
		u.app.Clipboard().SetContent(text)
		b.SetText(T("Copied"))
		u.status.SetText(T("The invitation is on the clipboard."))
	})
	return b
}
