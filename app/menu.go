package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/sync/sharing"
)

// shortcut is one keyboard shortcut of the main window.
type shortcut struct {
	key   fyne.KeyName
	mod   fyne.KeyModifier
	label string
	run   func()
}

func (u *UI) shortcuts() []shortcut {
	return []shortcut{
		{fyne.KeyN, fyne.KeyModifierShortcutDefault, T("New meeting"), u.showNewMeeting},
		{fyne.KeyE, fyne.KeyModifierShortcutDefault, T("Export Markdown…"), u.exportMarkdown},
		{fyne.KeyC, fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift, T("Copy as Markdown"), u.copyMarkdown},
		{fyne.KeyI, fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift, T("TODOs to issues"), u.exportIssues},
		{fyne.KeyF, fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift, T("Facilitator view"), u.openFacilitator},
		{fyne.KeyPageDown, fyne.KeyModifierShortcutDefault, T("Next section"), func() { u.moveSection(1) }},
		{fyne.KeyPageUp, fyne.KeyModifierShortcutDefault, T("Previous section"), func() { u.moveSection(-1) }},
		{fyne.KeyComma, fyne.KeyModifierShortcutDefault, T("Settings…"), u.showSettings},
		{fyne.KeySlash, fyne.KeyModifierShortcutDefault, T("Keyboard shortcuts"), u.showHelp},
		{fyne.KeyK, fyne.KeyModifierShortcutDefault, T("Search all meetings…"), u.showSearch},
	}
}

// keyNames are the readable names of keys whose Fyne names are X11's.
var keyNames = map[fyne.KeyName]string{
	fyne.KeyPageDown: "PageDown", fyne.KeyPageUp: "PageUp", fyne.KeyComma: ",", fyne.KeySlash: "/",
}

func keyText(s shortcut) string {
	k := ""
	if s.mod&fyne.KeyModifierShortcutDefault != 0 {
		k += "Ctrl+"
	}
	if s.mod&fyne.KeyModifierShift != 0 {
		k += "Shift+"
	}
	if n, ok := keyNames[s.key]; ok {
		return k + n
	}
	return k + string(s.key)
}

func (s shortcut) fyne() *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: s.key, Modifier: s.mod}
}

// windowShortcut runs sc if it is one of the window's shortcuts: the
// editors hand every shortcut here first, so that the window's work with
// the caret in a section.
func (u *UI) windowShortcut(sc fyne.Shortcut) bool {
	for _, s := range u.shortcuts() {
		if s.fyne().ShortcutName() == sc.ShortcutName() {
			s.run()
			return true
		}
	}
	return false
}

// installMenu adds the main menu and registers the shortcuts.
func (u *UI) installMenu() {
	byLabel := map[string]shortcut{}
	for _, s := range u.shortcuts() {
		run := s.run
		u.win.Canvas().AddShortcut(s.fyne(), func(fyne.Shortcut) { run() })
		byLabel[s.label] = s
	}
	item := func(label string, run func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, run)
		if s, ok := byLabel[label]; ok {
			it.Shortcut = s.fyne()
		}
		return it
	}
	file := fyne.NewMenu(T("File"),
		item(T("New meeting"), u.showNewMeeting),
		item(T("Open minutes file…"), u.openMinutesFile),
		item(T("Save a copy…"), u.saveCopy),
		item(T("Search all meetings…"), u.showSearch),
		fyne.NewMenuItemSeparator(),
		item(T("Invite…"), u.showInvite),
		item(T("Join a team…"), u.showJoin),
		item(T("Devices…"), u.showDevices),
		item(T("Settings…"), u.showSettings),
	)
	meeting := fyne.NewMenu(T("Meeting"),
		item(T("Edit agenda…"), u.showAgendaEditor),
		item(T("Export Markdown…"), u.exportMarkdown),
		item(T("Copy as Markdown"), u.copyMarkdown),
		item(T("TODOs to issues"), u.exportIssues),
		item(T("Toil candidates…"), u.showToil),
		fyne.NewMenuItemSeparator(),
		item(T("Share through the relay…"), u.toggleShare),
		item(T("Repair malformed fields"), u.repairMeeting),
	)
	view := fyne.NewMenu(T("View"),
		item(T("Facilitator view"), u.openFacilitator),
		item(T("Next section"), func() { u.moveSection(1) }),
		item(T("Previous section"), func() { u.moveSection(-1) }),
	)
	help := fyne.NewMenu(T("Help"), item(T("Keyboard shortcuts"), u.showHelp))
	file.Items = append(file.Items, fyne.NewMenuItemSeparator(), quitItem(u.Quit))
	u.win.SetMainMenu(fyne.NewMainMenu(file, meeting, view, help))
}

// HelpRows lists the keyboard shortcuts: key, what it does.
func (u *UI) HelpRows() [][2]string {
	var out [][2]string
	for _, s := range u.shortcuts() {
		out = append(out, [2]string{keyText(s), s.label})
	}
	f := T("Facilitator view") + ": "
	out = append(out,
		[2]string{"Right, PageDown, N", f + T("Next section")},
		[2]string{"Left, PageUp, P", f + T("Previous section")},
		[2]string{"Space", f + T("start/pause timer")},
		[2]string{"I", f + T("invitation")},
		[2]string{"F11", f + T("full screen")},
		[2]string{"Esc", f + T("Close")})
	return out
}

// HelpText lists the keyboard shortcuts, one "key<TAB>action" a line.
func (u *UI) HelpText() []string {
	var out []string
	for _, r := range u.HelpRows() {
		out = append(out, r[0]+"\t"+r[1])
	}
	return out
}

func (u *UI) showHelp() {
	rows := u.HelpRows()
	cells := make([]fyne.CanvasObject, 0, 2*len(rows))
	for _, r := range rows {
		k := widget.NewLabelWithStyle(r[0], fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true, Bold: true})
		cells = append(cells, k, widget.NewLabel(r[1]))
	}
	table := container.New(layout.NewFormLayout(), cells...)
	dialog.ShowCustom(T("Keyboard shortcuts"), T("Close"), table, u.win)
}

// moveSection scrolls the meeting view to the next or previous section.
func (u *UI) moveSection(delta int) {
	if u.view != nil {
		u.view.moveFocus(delta)
	}
}

// openFacilitator opens the facilitator view of the current meeting in a
// window of its own.
func (u *UI) openFacilitator() { u.OpenFacilitator("") }

// OpenFacilitator opens the facilitator view of the current meeting in a
// window of its own, at section (or the first).
func (u *UI) OpenFacilitator(section string) {
	f := u.NewFacilitator()
	if f == nil {
		return
	}
	if section != "" {
		f.Show(section)
	}
	u.facilitatorWin = ShowFacilitatorWindow(u.app, u.ws, f, func() {
		if u.facilitator == f {
			u.facilitator, u.facilitatorWin = nil, nil
			u.publishPresence()
			u.applyPresence()
		}
	})
}

// CloseFacilitator closes the facilitator's window, if open.
func (u *UI) CloseFacilitator() {
	if u.facilitatorWin != nil {
		u.facilitatorWin.Close()
	}
}

// NewFacilitator makes the facilitator view of the current meeting: this
// person becomes the room's facilitator and their moves are shared.
func (u *UI) NewFacilitator() *FacilitatorView {
	if u.view == nil {
		return nil
	}
	u.facilitator = NewFacilitatorView(u.view.m, u.facilitatorOptions())
	u.publishPresence()
	return u.facilitator
}

// toggleShare shares the current meeting through the relay, after saying
// what that means, or stops sharing it.
func (u *UI) toggleShare() {
	if u.view == nil {
		return
	}
	id := u.view.m.ID()
	if sharing.IsShared(u.ws.Settings(), id) {
		if err := sharing.Unshare(u.ws.Settings(), id); err != nil {
			u.showError(err)
			return
		}
		u.view.refreshHeader()
		u.status.SetText(T("No longer shared through the relay."))
		return
	}
	url, _ := sharing.RelayURL(u.ws.Settings())
	if url == "" {
		u.showError(fmt.Errorf("%s", T("No relay is set: `pwg relay wss://…` sets one (Settings keeps the LAN only).")))
		return
	}
	dialog.ShowConfirm(T("Share through the relay…"), T("The relay %s authenticates nobody: whoever reaches it and knows this meeting's id can read and change it, and the relay keeps a copy. Share this meeting (only this one; never the team's roster)?", url), func(ok bool) {
		if !ok {
			return
		}
		if err := sharing.Share(u.ws.Settings(), id); err != nil {
			u.showError(err)
			return
		}
		u.view.refreshHeader()
		u.status.SetText(T("Shared through the relay: remote attendees open it with its id: %s", id))
	}, u.win)
}

// repairMeeting restores the open meeting's malformed fields (written by a
// peer) from the meeting's own history, as a change that syncs.
func (u *UI) repairMeeting() {
	if u.view == nil {
		return
	}
	restored, err := u.view.m.Repair()
	switch {
	case err != nil:
		u.showError(err)
	case len(restored) == 0:
		u.status.SetText(T("Nothing in this meeting is malformed."))
	default:
		u.view.refreshHeader()
		u.status.SetText(T("Restored from the meeting's history: %s", strings.Join(restored, ", ")))
	}
}
