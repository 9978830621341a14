package minutes

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/automerge/automerge-go"
)

// CostSnapshot returns the cost review kept in the meeting (JSON of
// review.CostReview), "" when none was taken.
func (m *Meeting) CostSnapshot() string { return m.str("costSnapshot") }

// SetCostSnapshot keeps the cost review's numbers in the meeting.
func (m *Meeting) SetCostSnapshot(js string) error {
	return m.h.Change("cost snapshot", func(d *automerge.Doc) error { return d.RootMap().Set("costSnapshot", js) })
}

// CostMetrics returns the team setting naming the cost metrics
// ("total=web:cost.daily.usd, web:cost.component.compute, ..."; see
// review.ParseCostConfig), "" when unset.
func (s *Series) CostMetrics() string {
	var v string
	_ = s.h.Read(func(d *automerge.Doc) error { v = getStr(d.RootMap(), "costMetrics"); return nil })
	return v
}

// SetCostMetrics changes the team's cost metrics setting.
func (s *Series) SetCostMetrics(v string) error {
	return s.h.Change("cost metrics", func(d *automerge.Doc) error {
		return d.RootMap().Set("costMetrics", strings.TrimSpace(v))
	})
}

// MetricNotes returns the team's notes on graphs, by key.
func (s *Series) MetricNotes() (map[string]MetricNote, error) {
	list, err := readItems(s.h, "metricNotes", func(n *MetricNote, k string) { n.Key = k })
	out := make(map[string]MetricNote, len(list))
	for _, n := range list {
		out[n.Key] = n
	}
	return out, err
}

// MetricNoteList returns the notes ordered by graph title.
func (s *Series) MetricNoteList() ([]MetricNote, error) {
	list, err := readItems(s.h, "metricNotes", func(n *MetricNote, k string) { n.Key = k })
	sort.SliceStable(list, func(i, j int) bool { return list[i].Title < list[j].Title })
	return list, err
}

// SetMetricNote writes the note of a graph (title is the graph's title);
// an empty note removes it. Two people writing the same note at once: the
// later write wins as a whole.
func (s *Series) SetMetricNote(key, title, note, author string) error {
	if strings.TrimSpace(key) == "" {
		return errors.New("a metric note needs the graph it belongs to")
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return s.h.Change("remove metric note "+title, func(d *automerge.Doc) error {
			mm := getMap(d.RootMap(), "metricNotes")
			if mm == nil || getMap(mm, key) == nil {
				return nil
			}
			return mm.Delete(key)
		})
	}
	return putItem(s.h, "metricNotes", key, "metric note "+title,
		MetricNote{Key: key, Title: title, Note: note, Author: author, Updated: time.Now().UTC().Truncate(time.Second)})
}

// carriedSLOs returns the SLO rows of the newest meeting before date, as
// a new meeting lists them: the definitions and revisit dates without the
// numbers of that meeting.
func (w *Workspace) carriedSLOs(date string) ([]SLORow, error) {
	infos, err := w.Meetings()
	if err != nil {
		return nil, err
	}
	for _, in := range infos { // newest first
		if in.Date > date {
			continue
		}
		m, err := w.Meeting(in.ID)
		if err != nil {
			return nil, fmt.Errorf("carry SLOs from %s: %w", in.Title, err)
		}
		rows, err := m.SLOs()
		for i := range rows {
			rows[i].Actual, rows[i].Met, rows[i].Snapshot = "", false, ""
		}
		return rows, err
	}
	return nil, nil
}

// writeSLOs writes rows into a new meeting's root.
func writeSLOs(root *automerge.Map, rows []SLORow) error {
	sm, err := ensureMap(root, "slos")
	if err != nil {
		return err
	}
	for _, r := range rows {
		im, err := ensureMap(sm, r.ID)
		if err != nil {
			return err
		}
		if err := putFields(im, r); err != nil {
			return err
		}
	}
	return nil
}
