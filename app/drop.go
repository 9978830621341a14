package app

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// maxDropBytes bounds an image dropped on the window.
const maxDropBytes = 20 << 20

// DropFiles handles files dropped on the window: a minutes file
// (.automerge) is merged; an image is attached to the meeting with a link
// to it at the caret of the section being written (Fyne's clipboard
// carries text only, so images come by drag and drop).
func (u *UI) DropFiles(_ fyne.Position, uris []fyne.URI) {
	var images []fyne.URI
	for _, uri := range uris {
		if isMinutesFile(uri) { // a .automerge file: merge it (minutesfileui.go)
			u.importURI(uri)
		} else {
			images = append(images, uri)
		}
	}
	if u.view == nil {
		return
	}
	key := u.view.Focused()
	if key == "" {
		key = "topics"
	}
	for _, uri := range images {
		if err := u.AttachImage(key, uri); err != nil {
			u.showError(err)
		}
	}
}

// AttachImage stores an image file as an attachment of the current meeting
// and inserts ![name](pwg-blob:HASH) at the caret of section key.
func (u *UI) AttachImage(key string, uri fyne.URI) error {
	r, err := storage.Reader(uri)
	if err != nil {
		return fmt.Errorf("open %s: %w", uri.Name(), err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, maxDropBytes+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", uri.Name(), err)
	}
	if len(data) > maxDropBytes {
		return fmt.Errorf("%s is larger than %d MB: not attached", uri.Name(), maxDropBytes>>20)
	}
	mime := http.DetectContentType(data)
	if !strings.HasPrefix(mime, "image/") {
		return fmt.Errorf("%s is not an image (%s): not attached", uri.Name(), mime)
	}
	name := filepath.Base(uri.Path())
	a, err := u.view.m.AddAttachment(minutes.Attachment{Name: name, Mime: mime, Caption: strings.TrimSuffix(name, filepath.Ext(name))}, data)
	if err != nil {
		return err
	}
	text := minutes.AttachmentMarkdown(a) + "\n"
	if sv := u.view.Section(key); sv != nil {
		return sv.Editor().InsertAtCaret(text)
	}
	return u.view.m.AppendNotes(key, text)
}
