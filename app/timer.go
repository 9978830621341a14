package app

import (
	"fmt"
	"time"
)

// SectionTimer times the section under discussion: start, pause, reset,
// with the clock injectable for tests.
type SectionTimer struct {
	now     func() time.Time
	running bool
	since   time.Time     // when the current run started
	before  time.Duration // accumulated before the current run
}

// NewSectionTimer returns a stopped timer reading now from clock (nil: time.Now).
func NewSectionTimer(clock func() time.Time) *SectionTimer {
	if clock == nil {
		clock = time.Now
	}
	return &SectionTimer{now: clock}
}

// Running reports whether the timer runs.
func (t *SectionTimer) Running() bool { return t.running }

// Elapsed returns the time counted so far.
func (t *SectionTimer) Elapsed() time.Duration {
	if t.running {
		return t.before + t.now().Sub(t.since)
	}
	return t.before
}

// Toggle starts a stopped timer or pauses a running one.
func (t *SectionTimer) Toggle() {
	if t.running {
		t.before += t.now().Sub(t.since)
		t.running = false
		return
	}
	t.since = t.now()
	t.running = true
}

// Reset stops the timer at zero.
func (t *SectionTimer) Reset() { t.running, t.before = false, 0 }

// TimerText formats elapsed against a timebox in minutes, and whether the
// section is over its timebox.
func TimerText(elapsed time.Duration, timebox int) (string, bool) {
	el := elapsed.Truncate(time.Second)
	m, s := int(el.Minutes()), int(el.Seconds())%60
	if timebox <= 0 {
		return fmtMS(m, s), false
	}
	box := time.Duration(timebox) * time.Minute
	if el > box {
		over := (el - box).Truncate(time.Second)
		return fmtMS(m, s) + " / " + fmtMS(timebox, 0) + "  (+" + fmtMS(int(over.Minutes()), int(over.Seconds())%60) + ")", true
	}
	return fmtMS(m, s) + " / " + fmtMS(timebox, 0), false
}

func fmtMS(m, s int) string { return fmt.Sprintf("%02d:%02d", m, s) }
