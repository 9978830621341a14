package app

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// saveCopy writes the current meeting as a .automerge file (File → Save a
// copy…), for a colleague without network, another Automerge tool or an
// archive.
func (u *UI) saveCopy() {
	if u.view == nil {
		return
	}
	m := u.view.m
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if w == nil {
			return // cancelled
		}
		if err := u.SaveCopy(m, w); err != nil {
			u.showError(err)
		}
	}, u.win)
	d.SetFileName(m.FileName())
	d.SetFilter(storage.NewExtensionFileFilter([]string{minutes.FileExt}))
	d.Show()
}

// SaveCopy writes m as an Automerge file to w and closes w.
func (u *UI) SaveCopy(m *minutes.Meeting, w io.WriteCloser) error {
	data := m.SaveFile()
	if _, err := w.Write(data); err != nil {
		w.Close()
		return fmt.Errorf("save a copy: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("save a copy: %w", err)
	}
	u.status.SetText(T("Saved a copy of %s (%d KB)", m.Title(), (len(data)+1023)/1024))
	return nil
}

// openMinutesFile asks for a .automerge file and merges it (File → Open
// minutes file…).
func (u *UI) openMinutesFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if r == nil {
			return
		}
		u.importURI(r.URI())
		r.Close()
	}, u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{minutes.FileExt}))
	d.Show()
}

// isMinutesFile reports whether a dropped file is a minutes file.
func isMinutesFile(uri fyne.URI) bool {
	return strings.EqualFold(uri.Extension(), minutes.FileExt)
}

// importURI merges a minutes file and shows the meeting it went into; a
// file that is not minutes gets a clear message and changes nothing.
func (u *UI) importURI(uri fyne.URI) {
	res, err := u.ImportFile(uri)
	if err != nil {
		u.showError(err)
		return
	}
	u.ShowMeeting(res.MeetingID)
	switch {
	case res.New:
		u.status.SetText(T("Opened %s %s from %s as a new meeting of this team", res.Date, res.Title, uri.Name()))
	case res.Changed:
		u.status.SetText(T("Merged %s into %s %s", uri.Name(), res.Date, res.Title))
	default:
		u.status.SetText(T("%s holds nothing new for %s %s", uri.Name(), res.Date, res.Title))
	}
}

// ImportFile reads a minutes file (at most minutes.MaxFileBytes) and
// merges it into the workspace.
func (u *UI) ImportFile(uri fyne.URI) (minutes.Imported, error) {
	r, err := storage.Reader(uri)
	if err != nil {
		return minutes.Imported{}, fmt.Errorf("open %s: %w", uri.Name(), err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, minutes.MaxFileBytes+1))
	if err != nil {
		return minutes.Imported{}, fmt.Errorf("read %s: %w", uri.Name(), err)
	}
	if len(data) > minutes.MaxFileBytes {
		return minutes.Imported{}, fmt.Errorf("%s: %w (larger than %d MB)", uri.Name(), minutes.ErrNotAutomerge, minutes.MaxFileBytes>>20)
	}
	res, err := u.ws.ImportMeeting(data)
	switch {
	case errors.Is(err, minutes.ErrNotAutomerge), errors.Is(err, minutes.ErrNotMeeting):
		return res, fmt.Errorf("%s: %w. Nothing was changed", uri.Name(), err)
	case err != nil:
		return res, fmt.Errorf("%s: %w", uri.Name(), err)
	}
	return res, nil
}
