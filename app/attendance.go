package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// Attendance shows each member with a present check and a meeting role, and
// manages the team's members.
type Attendance struct {
	m       *minutes.Meeting
	onError func(error)
	win     func() fyne.Window
	rows    *fyne.Container
	root    fyne.CanvasObject
	changed func()
	shown   string // what the rows show, to skip rebuilding them unchanged
}

// NewAttendance builds the attendance strip of m; changed runs after an edit.
func NewAttendance(m *minutes.Meeting, win func() fyne.Window, onError func(error), changed func()) *Attendance {
	a := &Attendance{m: m, onError: onError, win: win, changed: changed}
	a.rows = container.NewHBox()
	members := widget.NewButtonWithIcon(T("Members…"), theme.AccountIcon(), a.showMembers)
	a.root = container.NewBorder(nil, nil, widget.NewLabel(T("Attendees:")), members, container.NewHScroll(a.rows))
	a.Refresh()
	return a
}

// Object returns the strip's canvas object.
func (a *Attendance) Object() fyne.CanvasObject { return a.root }

// Refresh reloads attendance; members who joined the team after the meeting
// was created are listed too.
func (a *Attendance) Refresh() {
	att, err := a.m.Attendees()
	if err != nil {
		a.onError(err)
		return
	}
	s, err := a.m.Series()
	if err != nil {
		a.onError(err)
		return
	}
	members, err := s.Members()
	if err != nil {
		a.onError(err)
		return
	}
	// Every remote keystroke refreshes the meeting view: rebuild the rows
	// only when members or attendance changed.
	key := fmt.Sprint(members, att)
	if key == a.shown {
		return
	}
	a.shown = key
	have := map[string]minutes.Attendee{}
	for _, x := range att {
		have[x.MemberID] = x
	}
	objs := []fyne.CanvasObject{}
	for _, mb := range members {
		x, ok := have[mb.ID]
		if !ok {
			x = minutes.Attendee{MemberID: mb.ID, Name: mb.Name, Role: minutes.RoleAttendee}
		}
		x.Name = mb.Name
		label := mb.Name
		if mb.Required {
			label += " *"
		}
		cur := x
		check := widget.NewCheck(label, nil)
		check.SetChecked(cur.Present)
		role := widget.NewSelect([]string{minutes.RoleFacilitator, minutes.RoleScribe, minutes.RoleAttendee}, nil)
		role.SetSelected(cur.Role)
		check.OnChanged = func(on bool) { cur.Present = on; a.save(cur) }
		role.OnChanged = func(r string) { cur.Role = r; a.save(cur) }
		objs = append(objs, container.NewHBox(check, role, widget.NewSeparator()))
	}
	if len(members) == 0 {
		objs = append(objs, widget.NewLabel(T("no members yet — add them with Members…")))
	}
	a.rows.Objects = objs
	a.rows.Refresh()
}

func (a *Attendance) save(x minutes.Attendee) {
	if err := a.m.SetAttendee(x); err != nil {
		a.onError(err)
		return
	}
	if a.changed != nil {
		a.changed()
	}
}

func (a *Attendance) showMembers() {
	s, err := a.m.Series()
	if err != nil {
		a.onError(err)
		return
	}
	name := widget.NewEntry()
	name.SetPlaceHolder("Name")
	role := widget.NewSelectEntry([]string{"SRE", "tech lead", "app engineer", "product owner"})
	role.SetPlaceHolder("Role in the team")
	required := widget.NewCheck(T("Required attendee"), nil)
	gh := widget.NewEntry()
	gh.SetPlaceHolder("GitHub login (optional)")
	list := widget.NewLabel("")
	show := func() {
		ms, _ := s.Members()
		txt := ""
		for _, m := range ms {
			txt += m.Name + " — " + m.Role
			if m.Required {
				txt += " (required)"
			}
			txt += "\n"
		}
		list.SetText(txt)
	}
	show()
	add := widget.NewButtonWithIcon(T("Add member"), theme.ContentAddIcon(), func() {
		if _, err := s.PutMember(minutes.Member{Name: name.Text, Role: role.Text, Required: required.Checked, GitHub: gh.Text}); err != nil {
			a.onError(err)
			return
		}
		name.SetText("")
		gh.SetText("")
		show()
		a.Refresh()
		if a.changed != nil {
			a.changed()
		}
	})
	content := container.NewVBox(list, widget.NewSeparator(), name, role, required, gh, add)
	d := dialog.NewCustom(T("Team members"), T("Close"), content, a.win())
	d.Resize(fyne.NewSize(420, 480))
	d.Show()
}
