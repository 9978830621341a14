package minutes

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/docid"
)

// Preview is a meeting as last saved, in plain text: what a window shows at
// once while the meeting's Automerge document loads (a long history takes
// hundreds of milliseconds). It is kept with every save of the meeting.
type Preview struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Date     string    `json:"date"`
	Sections []Section `json:"sections"`
}

// meetingView is the meeting kind's stored view (docs.Kind.View).
func meetingView(d *automerge.Doc) ([]byte, error) {
	secs, err := readSections(d)
	if err != nil {
		return nil, err
	}
	r := d.RootMap()
	return json.Marshal(Preview{ID: getStr(r, "id"), Title: getStr(r, "title"), Date: getStr(r, "date"), Sections: secs})
}

// Preview returns meeting id as last saved, without loading its document
// (storage.ErrNotFound if no view was kept: a meeting saved by an older pwg
// before its first save here).
func (w *Workspace) Preview(id string) (Preview, error) {
	var p Preview
	if !docid.Valid(id) {
		return p, fmt.Errorf("%q: %w", id, docid.ErrBad)
	}
	b, err := w.docs.View(id)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("stored view of meeting %s: %w", id, err)
	}
	return p, nil
}

// UnloadIdle unloads now the documents unused for idle (the workspace does
// it on its own every Options.IdleUnload) and returns how many.
func (w *Workspace) UnloadIdle(idle time.Duration) int { return w.docs.UnloadIdle(idle) }

// Resident counts the documents in memory (see UnloadIdle).
func (w *Workspace) Resident() int { return w.docs.Resident() }

// Loaded reports whether meeting (or any document) id is loaded, so that
// Meeting returns at once.
func (w *Workspace) Loaded(id string) bool { return w.docs.Loaded(id) }
