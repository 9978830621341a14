package minutes

import (
	"fmt"
	"time"

	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/crdt/amsafe"
	"github.com/pwg-team/pwg/crdt/docs"
)

// HistoryEntry is one step in the history of a section's notes: a run of
// consecutive changes by one author, with the text they added and removed.
type HistoryEntry struct {
	// Hash is the last change of the run; NotesAt(key, Hash) shows the notes then.
	Hash    automerge.ChangeHash
	Author  docs.Author
	Time    time.Time
	Added   string
	Removed string
}

// historyGap splits one author's changes into separate history entries.
const historyGap = 2 * time.Minute

// History returns the changes to a section's notes, newest first, at most
// limit entries (0: all). It forks the document once per entry (cost grows
// with the history), so call it when the user opens the history panel, never
// on a hot path.
func (m *Meeting) History(key string, limit int) ([]HistoryEntry, error) {
	chs, err := m.h.ChangesSince()
	if err != nil {
		return nil, err
	}
	type run struct {
		end   int // index of the run's last change
		info  docs.ChangeInfo
		heads []automerge.ChangeHash
	}
	var runs []run
	heads := map[automerge.ChangeHash]bool{}
	var deps [][]automerge.ChangeHash
	_ = m.h.Read(func(d *automerge.Doc) error {
		for _, c := range chs {
			ch, err := d.Change(c.Hash)
			if err != nil {
				deps = append(deps, nil)
				continue
			}
			deps = append(deps, ch.Dependencies())
		}
		return nil
	})
	for i, c := range chs {
		for _, dep := range deps[i] {
			delete(heads, dep)
		}
		heads[c.Hash] = true
		hs := make([]automerge.ChangeHash, 0, len(heads))
		for h := range heads {
			hs = append(hs, h)
		}
		if n := len(runs); n > 0 && runs[n-1].info.Author == c.Author && c.Time.Sub(runs[n-1].info.Time) < historyGap {
			runs[n-1].end, runs[n-1].info, runs[n-1].heads = i, c, hs
			continue
		}
		runs = append(runs, run{end: i, info: c, heads: hs})
	}
	// Text after each run, oldest first; keep the runs that changed this section.
	var out []HistoryEntry
	prev := ""
	for _, r := range runs {
		text, err := m.notesAsOf(key, r.heads)
		if err != nil {
			return nil, err
		}
		if text == prev {
			continue
		}
		added, removed := diffText(prev, text)
		out = append(out, HistoryEntry{Hash: r.info.Hash, Author: r.info.Author, Time: r.info.Time, Added: added, Removed: removed})
		prev = text
	}
	// Newest first.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// NotesAt returns a section's notes as they were just after change hash.
func (m *Meeting) NotesAt(key string, hash automerge.ChangeHash) (string, error) {
	return m.notesAsOf(key, []automerge.ChangeHash{hash})
}

func (m *Meeting) notesAsOf(key string, heads []automerge.ChangeHash) (string, error) {
	var fork *automerge.Doc
	err := m.h.Read(func(d *automerge.Doc) error {
		var err error
		fork, err = amsafe.Fork(d, heads)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("history of %s: %w", key, err)
	}
	return getStr(getMap(getMap(fork.RootMap(), "sections"), key), "notes"), nil
}

// diffText returns what changed between a and b around their common prefix
// and suffix (code points).
func diffText(a, b string) (added, removed string) {
	ra, rb := []rune(a), []rune(b)
	p := 0
	for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	s := 0
	for s < len(ra)-p && s < len(rb)-p && ra[len(ra)-1-s] == rb[len(rb)-1-s] {
		s++
	}
	return string(rb[p : len(rb)-s]), string(ra[p : len(ra)-s])
}
