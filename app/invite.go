package app

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/pwg-team/pwg/sync/lansync"
)

// invitation returns the team's invitation string.
func (u *UI) invitation() (string, error) {
	return lansync.Invite(lansync.FromWorkspace(u.ws))
}

// InvitationObject shows how to join: the team, the invitation text and its QR code.
func (u *UI) InvitationObject() fyne.CanvasObject {
	inv, err := u.invitation()
	if err != nil {
		return widget.NewLabel(T("Error") + ": " + err.Error())
	}
	team := ""
	if s, err := u.ws.Series(); err == nil {
		team = s.Name()
	}
	text := widget.NewLabel(inv)
	text.Wrapping = fyne.TextWrapBreak
	text.TextStyle.Monospace = true
	objs := []fyne.CanvasObject{u.CodeObject(), widget.NewSeparator(),
		widget.NewLabelWithStyle(T("Join team %s: pwg join INVITATION, or Join a team… in the window", team), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	if img := invitationQR(inv, 240); img != nil {
		objs = append(objs, img)
	}
	objs = append(objs, container.NewBorder(nil, nil, nil, u.copyButton(inv), text))
	return container.NewVBox(objs...)
}

// invitationQR is the invitation's QR code, side pixels wide (nil if it
// cannot be drawn).
func invitationQR(inv string, side float32) fyne.CanvasObject {
	png, err := qrcode.Encode(inv, qrcode.Medium, 320)
	if err != nil {
		return nil
	}
	img := canvas.NewImageFromReader(bytes.NewReader(png), "invitation.png")
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(side, side))
	return img
}

func (u *UI) showInvite() {
	d := dialog.NewCustom(T("Invite…"), T("Close"), container.NewVScroll(u.InvitationObject()), u.win)
	d.Resize(fyne.NewSize(640, 720))
	d.Show()
}

func (u *UI) showJoin() {
	code := widget.NewEntry()
	code.SetPlaceHolder("7-guitar-orbit")
	addr := widget.NewEntry()
	addr.SetPlaceHolder(T("host:port, where multicast is blocked (optional)"))
	entry := widget.NewMultiLineEntry()
	entry.SetPlaceHolder("PWG1:…")
	sw := widget.NewCheck(T("This workspace has its own team: switch to the invited team (nothing is deleted)"), nil)
	dialog.ShowForm(T("Join a team…"), T("Join"), T("Cancel"), []*widget.FormItem{
		widget.NewFormItem(T("Join code"), code), widget.NewFormItem(T("Address"), addr),
		widget.NewFormItem(T("or invitation"), entry), widget.NewFormItem("", sw),
	}, func(ok bool) {
		if !ok {
			return
		}
		if c := strings.TrimSpace(code.Text); c != "" {
			u.joinByCode(c, strings.TrimSpace(addr.Text), sw.Checked)
			return
		}
		_, err := lansync.JoinOrSwitch(lansync.FromWorkspace(u.ws), strings.TrimSpace(entry.Text), sw.Checked)
		if errors.Is(err, lansync.ErrOtherTeam) {
			err = fmt.Errorf("%w: %s", err, T("this workspace already has its own team; tick “switch” to make the invited team current"))
		}
		if err != nil {
			u.showError(err)
			return
		}
		u.status.SetText(T("Joined: the team's minutes arrive at the next sync."))
		u.reloadMeetings()
	}, u.win)
}
