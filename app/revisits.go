package app

import (
	"sync"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/teamconf"
)

// revisits are the SLO documents of the shown meeting due for a revisit,
// shown in the banner at the top of the window and in the SLO panes.
//
// Knowing whether a revisit is due needs the date of the next meeting, so
// teamconf.RevisitsDue lists every meeting (ws.Meetings reads the database).
// That runs in a goroutine of its own, once per refresh, and its result is
// shown on the UI goroutine. A meeting whose SLOs name no revisit date has
// none due: that is known from the meeting alone and shown at once. A
// refresh while a computation runs leads to one more when it ends; the
// result of a computation overtaken by a refresh is dropped.
type revisits struct {
	// These fields are the UI goroutine's.
	due     []teamconf.DueRevisit
	of      string // the meeting due is of
	gen     uint64 // bumped at every refresh
	running bool
	pending bool // a refresh came while running

	mu   sync.Mutex
	idle chan struct{} // closed when no computation runs; nil: idle

	// before, if set, is called in each computation's goroutine before it
	// runs (tests: export_test.go).
	before func()
}

// dueOf returns the revisits due shown for meeting id (UI goroutine).
func (r *revisits) dueOf(id string) []teamconf.DueRevisit {
	if r.of != id {
		return nil
	}
	return r.due
}

// refreshRevisits works out the revisits due of the meeting shown and shows
// them once known (UI goroutine).
func (u *UI) refreshRevisits() {
	r := &u.review.revisits
	r.gen++
	if u.view == nil {
		u.showRevisits("", nil)
		return
	}
	m := u.view.m
	if r.of != m.ID() {
		u.showRevisits(m.ID(), nil) // not those of the meeting shown before
	}
	if !namesRevisit(m) {
		u.showRevisits(m.ID(), nil) // a computation in flight is dropped
		return
	}
	if r.running {
		r.pending = true
		return
	}
	r.running = true
	r.mu.Lock()
	if r.idle == nil {
		r.idle = make(chan struct{})
	}
	r.mu.Unlock()
	gen, ws, before := r.gen, u.ws, r.before
	go func() {
		if before != nil {
			before()
		}
		due, err := teamconf.RevisitsDue(ws, m)
		onUI(func() { u.revisitsComputed(gen, m, due, err) })
	}()
}

// revisitsComputed takes the revisits due computed for m at refresh gen
// (UI goroutine).
func (u *UI) revisitsComputed(gen uint64, m *minutes.Meeting, due []teamconf.DueRevisit, err error) {
	r := &u.review.revisits
	r.running = false
	switch {
	case gen == r.gen && err != nil:
		u.log.Warn("SLO revisits due", "err", err)
	case gen == r.gen:
		u.showRevisits(m.ID(), due)
	case r.pending:
		r.pending = false
		u.refreshRevisits()
	}
	if !r.running {
		r.mu.Lock()
		if r.idle != nil {
			close(r.idle)
			r.idle = nil
		}
		r.mu.Unlock()
	}
}

// namesRevisit reports whether one of m's SLOs has a revisit date.
func namesRevisit(m *minutes.Meeting) bool {
	rows, err := m.SLOs()
	if err != nil {
		return false
	}
	for _, row := range rows {
		if row.RevisitDate != "" {
			return true
		}
	}
	return false
}

// showRevisits shows the revisits due of meeting id in the banner and the
// SLO panes (UI goroutine).
func (u *UI) showRevisits(id string, due []teamconf.DueRevisit) {
	r := &u.review.revisits
	r.of, r.due = id, due
	u.review.eachPane(func(p refresher) {
		if s, ok := p.(*SLOPane); ok {
			s.showRevisits()
		}
	})
	b := u.review.banner
	if b == nil {
		return
	}
	if len(due) == 0 {
		b.Hide()
		return
	}
	b.SetText(T("SLO documents to revisit: %s", revisitText(due)))
	b.Show()
}

// RevisitsShown returns a channel closed once the revisits due of the
// meeting shown are known and shown (Revisits).
func (u *UI) RevisitsShown() <-chan struct{} {
	r := &u.review.revisits
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.idle != nil {
		return r.idle
	}
	done := make(chan struct{})
	close(done)
	return done
}
