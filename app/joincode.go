package app

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/sync/joincode"
	"github.com/pwg-team/pwg/sync/lansync"
)

// codeRoom is a room that can offer join codes and revoke devices (the
// lansync node; test rooms may not).
type codeRoom interface {
	InviteByCode(ttl time.Duration) (*joincode.Offer, error)
}

type revokeRoom interface {
	Revoke(fp string) error
}

// joinCode returns the join code on offer, offering a new one if there is
// none (or the last one ended).
func (u *UI) joinCode() (*joincode.Offer, error) {
	cr, ok := u.opts.Room.(codeRoom)
	if !ok || u.opts.Room == nil {
		return nil, errors.New(T("sync is off in this window: join codes need it"))
	}
	if u.code != nil {
		select {
		case <-u.code.Ended():
		default:
			return u.code, nil
		}
	}
	if err := lansync.EnsureSelfOnRoster(lansync.FromWorkspace(u.ws), u.ws.Author().Name); err != nil {
		return nil, err
	}
	o, err := cr.InviteByCode(0)
	if err != nil {
		return nil, err
	}
	u.code, u.codeViews = o, nil
	go func() {
		<-o.Finished()
		out := o.Peek()
		onUI(func() {
			if u.code != o || out == nil {
				return
			}
			for _, v := range u.codeViews {
				v.show(*out)
			}
			u.codeViews = nil
			if u.OnCodeEnded != nil {
				u.OnCodeEnded(*out)
			}
		})
	}()
	return o, nil
}

// codeView is one shown join code (the Invite dialog, the facilitator
// view), updated once the code was used or ended.
type codeView struct {
	state *widget.Label
	big   *canvas.Text
}

func (v codeView) show(out joincode.Outcome) {
	if out.Err == nil {
		v.state.SetText(T("%s joined the team", nameOr(out.Joined.Name, out.Joined.Fingerprint)))
	} else {
		v.state.SetText(out.Err.Error())
	}
	v.big.Color = color.Gray{Y: 0x80}
	v.big.Refresh()
}

// CodeObject shows the join code large (for the projector), how to use it,
// and, once used, who joined.
func (u *UI) CodeObject() fyne.CanvasObject {
	o, err := u.joinCode()
	if err != nil {
		return widget.NewLabel(T("Join code") + ": " + err.Error())
	}
	code := o.Code().String()
	big := canvas.NewText(code, theme.Color(theme.ColorNameForeground))
	big.TextSize = 3 * theme.TextSize()
	big.TextStyle = fyne.TextStyle{Monospace: true}
	big.Alignment = fyne.TextAlignCenter
	how := T("On the new laptop: pwg join --code %s, or the Join code field of Join a team…", code)
	addrs, _ := lansync.FromWorkspace(u.ws).Settings().ListenAddrs()
	if len(addrs) > 0 {
		how += "\n" + T("where multicast is blocked: --peer %s", strings.Join(addrs, " "))
	}
	state := widget.NewLabel(T("Valid until %s, for one device", o.Expires().Local().Format("15:04")))
	v := codeView{state: state, big: big}
	if out := o.Peek(); out != nil {
		v.show(*out)
	} else {
		u.codeViews = append(u.codeViews, v)
	}
	return container.NewVBox(
		widget.NewLabelWithStyle(T("Join code"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		big, widget.NewLabel(how), state)
}

// FacilitatorInviteObject is what the facilitator's I key shows on the
// projector: the join code, large, with the invitation's QR code beside it
// (short enough for the bottom of a 720-pixel window).
func (u *UI) FacilitatorInviteObject() fyne.CanvasObject {
	code := u.CodeObject()
	inv, err := u.invitation()
	if err != nil {
		return code
	}
	if qr := invitationQR(inv, 180); qr != nil {
		return container.NewBorder(nil, nil, nil, qr, code)
	}
	return code
}

func nameOr(name, fp string) string {
	if name != "" {
		return name
	}
	return fp
}

// joinByCode runs a join with a code off the UI goroutine, then reports.
func (u *UI) joinByCode(code, addr string, switchTeam bool) {
	if _, err := joincode.Parse(code); err != nil {
		u.showError(err)
		return
	}
	prog := dialog.NewCustomWithoutButtons(T("Join a team…"), widget.NewLabel(T("Looking for the laptop that shows %s…", code)), u.win)
	prog.Show()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
		defer cancel()
		st := lansync.FromWorkspace(u.ws)
		peers, _ := lansync.ManualPeers(st)
		if addr != "" {
			peers = append([]string{addr}, peers...)
		}
		_, devs, err := lansync.JoinByCode(ctx, st, code, lansync.JoinCodeOptions{
			Peers: peers, MDNS: true, Name: u.ws.Author().Name, Switch: switchTeam,
		})
		onUI(func() {
			prog.Hide()
			if errors.Is(err, lansync.ErrOtherTeam) {
				err = fmt.Errorf("%w: %s", err, T("this workspace already has its own team; tick “switch” to make the invited team current"))
			}
			if u.OnJoinDone != nil {
				defer u.OnJoinDone(err)
			}
			if err != nil {
				u.showError(err)
				return
			}
			u.status.SetText(T("Joined (%d devices on the team): the team's minutes arrive at the next sync.", len(devs)))
			u.reloadMeetings()
		})
	}()
}

// DevicesObject lists the team's devices, with a Revoke button for each
// other device still on the team.
func (u *UI) DevicesObject(onChange func()) fyne.CanvasObject {
	st := lansync.FromWorkspace(u.ws)
	devs, err := lansync.Devices(st)
	if err != nil {
		return widget.NewLabel(T("Error") + ": " + err.Error())
	}
	if len(devs) == 0 {
		return widget.NewLabel(T("No roster yet: it starts with the first join code (Invite…)."))
	}
	self, _ := lansync.Fingerprint(st)
	rows := []fyne.CanvasObject{}
	for _, d := range devs {
		d := d
		line := fmt.Sprintf("%s  %s  %s", d.Fingerprint, nameOr(d.Name, "?"), d.Added.Local().Format("2006-01-02 15:04"))
		if d.AddedBy != "" {
			line += "  " + T("let in by %s", d.AddedBy)
		}
		var right fyne.CanvasObject
		switch {
		case d.Revoked != nil:
			right = widget.NewLabel(T("revoked %s", d.Revoked.Local().Format("2006-01-02 15:04")))
		case d.Fingerprint == self:
			right = widget.NewLabel(T("this device"))
		default:
			right = widget.NewButton(T("Revoke"), func() { u.confirmRevoke(d, onChange) })
		}
		lbl := widget.NewLabel(line)
		lbl.TextStyle.Monospace = true
		rows = append(rows, container.NewBorder(nil, nil, nil, right, lbl))
	}
	return container.NewVBox(rows...)
}

func (u *UI) confirmRevoke(d lansync.Device, onChange func()) {
	msg := T("Remove %s (%s) from the team for good? The team key changes; the other devices get the new key. It keeps what it already synced.", nameOr(d.Name, "?"), d.Fingerprint)
	dialog.ShowConfirm(T("Revoke"), msg, func(ok bool) {
		if !ok {
			return
		}
		var err error
		if rr, isRR := u.opts.Room.(revokeRoom); isRR && u.opts.Room != nil {
			err = rr.Revoke(d.Fingerprint)
		} else {
			err = lansync.Revoke(lansync.FromWorkspace(u.ws), d.Fingerprint)
		}
		if err != nil {
			u.showError(err)
			return
		}
		u.status.SetText(T("Revoked %s; the team key changed.", d.Fingerprint))
		if onChange != nil {
			onChange()
		}
	}, u.win)
}

func (u *UI) showDevices() {
	box := container.NewVBox()
	var refresh func()
	refresh = func() {
		box.Objects = []fyne.CanvasObject{u.DevicesObject(refresh)}
		box.Refresh()
	}
	refresh()
	d := dialog.NewCustom(T("Devices…"), T("Close"), container.NewVScroll(box), u.win)
	d.Resize(fyne.NewSize(900, 420))
	d.Show()
}
