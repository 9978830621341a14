package issues

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// Result is what happened to one action item.
type Result struct {
	ItemID string
	Title  string
	Action Action // what was done (or tried, when Err is set)
	URL    string // the item's issue, when known
	Number int
	// Closed are duplicate issues this run closed.
	Closed []int
	Err    error
}

// Report is the outcome of a Run, one Result per item in the given order.
type Report struct {
	Tracker string
	Results []Result
}

// URLs returns item ID → issue URL for every item that has one.
func (r *Report) URLs() map[string]string {
	out := map[string]string{}
	for _, res := range r.Results {
		if res.URL != "" {
			out[res.ItemID] = res.URL
		}
	}
	return out
}

// Failed returns the results with an error.
func (r *Report) Failed() []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Err != nil {
			out = append(out, res)
		}
	}
	return out
}

// Count returns how many items ended with action a and no error.
func (r *Report) Count(a Action) int {
	n := 0
	for _, res := range r.Results {
		if res.Action == a && res.Err == nil {
			n++
		}
	}
	return n
}

// Progress is reported while Run works: once before each item (Result nil)
// and once after it.
type Progress struct {
	Done, Total int
	ItemID      string
	Title       string
	Result      *Result
}

// Run exports the items: it scans the tracker, links items whose issue
// exists, creates the missing ones (see the package documentation for the
// exactly-once protocol) and writes each URL to Links. progress may be nil.
// Errors are per item in the Report; the returned error is set only when
// nothing could be done (the scan failed), and then every item carries it.
func (e *Exporter) Run(ctx context.Context, items []minutes.ActionItem, progress func(Progress)) (*Report, error) {
	rep := &Report{}
	if e.Tracker != nil {
		rep.Tracker = e.Tracker.Name()
	}
	report := func(p Progress) {
		if progress != nil {
			progress(p)
		}
	}
	plan, err := e.Plan(ctx, items)
	if err != nil {
		for i, it := range items {
			r := Result{ItemID: it.ID, Title: it.Title, Err: err}
			rep.Results = append(rep.Results, r)
			report(Progress{Done: i + 1, Total: len(items), ItemID: it.ID, Title: it.Title, Result: &r})
		}
		return rep, err
	}
	var stop error // an error that makes every further call fail
	for i, pi := range plan.Items {
		report(Progress{Done: i, Total: len(items), ItemID: pi.Item.ID, Title: pi.Item.Title})
		r := Result{ItemID: pi.Item.ID, Title: pi.Item.Title, Action: pi.Action}
		if stop == nil {
			stop = ctx.Err()
		}
		if stop != nil && pi.Action != ActionSkip && !(pi.Action == ActionAlreadyLinked && len(pi.Duplicates) == 0 && !pi.Relink) {
			r.Err = stop
			if pi.Action == ActionAlreadyLinked {
				r.URL = pi.Item.IssueURL
			}
		} else {
			e.runItem(ctx, plan, pi, &r)
			if r.Err != nil && stopsRun(r.Err) {
				stop = r.Err
			}
		}
		rep.Results = append(rep.Results, r)
		report(Progress{Done: i + 1, Total: len(items), ItemID: pi.Item.ID, Title: pi.Item.Title, Result: &r})
	}
	return rep, nil
}

func (e *Exporter) runItem(ctx context.Context, plan *Plan, pi PlanItem, r *Result) {
	switch pi.Action {
	case ActionSkip:
		return
	case ActionAlreadyLinked:
		r.URL = pi.Item.IssueURL
		if pi.Issue != nil && pi.Issue.URL == r.URL {
			r.Number = pi.Issue.Number
		}
		if pi.Issue != nil && len(pi.Duplicates) > 0 {
			if r.Closed, r.Err = e.closeAll(ctx, pi.Duplicates, *pi.Issue); r.Err != nil {
				return
			}
		}
		if pi.Relink {
			r.URL, r.Number = pi.Issue.URL, pi.Issue.Number
			r.Err = e.link(pi.Item.ID, pi.Issue.URL)
		}
		return
	case ActionLinkExisting:
		r.URL, r.Number = pi.Issue.URL, pi.Issue.Number
		if len(pi.Duplicates) > 0 {
			if r.Closed, r.Err = e.closeAll(ctx, pi.Duplicates, *pi.Issue); r.Err != nil {
				return
			}
		}
		r.Err = e.link(pi.Item.ID, pi.Issue.URL)
		return
	}

	created, err := e.Tracker.Create(ctx, *pi.New)
	if err != nil && outcomeKnown(err) {
		r.Err = fmt.Errorf("creating the issue: %w", err)
		return
	}
	// Look again for issues of this item created since the scan: a crossing
	// creation by another exporter, or ours when the answer was lost.
	found, serr := e.markedSince(ctx, pi.Item.ID, plan.MaxNumber)
	if err != nil {
		if serr != nil || len(found) == 0 {
			r.Err = fmt.Errorf("creating the issue (it may exist; run again to link it): %w", err)
			return
		}
	} else {
		if serr != nil {
			// Without the second look a crossing creation could go unseen
			// and two laptops link different issues: leave the link to the
			// next run, whose scan finds ours by its marker.
			r.URL, r.Number = created.URL, created.Number
			r.Err = fmt.Errorf("created #%d but could not check for a crossing duplicate (run again to link it): %w", created.Number, serr)
			return
		}
		if !containsNumber(found, created.Number) {
			found = append(found, created)
		}
	}
	keep := found[0]
	for _, is := range found {
		if is.Number < keep.Number {
			keep = is
		}
	}
	r.URL, r.Number = keep.URL, keep.Number
	if err == nil && created.Number != keep.Number {
		// Another exporter's issue is older: ours is the duplicate.
		r.Action = ActionLinkExisting
		if cerr := e.Tracker.CloseDuplicate(ctx, created, keep); cerr != nil {
			r.Err = fmt.Errorf("closing duplicate #%d: %w", created.Number, cerr)
			// Still link the kept issue: the duplicate is closed next run.
		} else {
			r.Closed = append(r.Closed, created.Number)
		}
	} else if err != nil {
		r.Action = ActionLinkExisting
	}
	if lerr := e.link(pi.Item.ID, keep.URL); lerr != nil {
		r.Err = errors.Join(r.Err, lerr)
	}
}

// markedSince returns the issues carrying the item's marker with numbers
// above after, lowest first.
func (e *Exporter) markedSince(ctx context.Context, itemID string, after int) ([]Issue, error) {
	idx := marked{}
	err := e.Tracker.Scan(ctx, func(is Issue) bool {
		if is.Number <= after {
			return false
		}
		idx.add(is)
		return true
	})
	return idx[itemID], err
}

func containsNumber(list []Issue, n int) bool {
	for _, is := range list {
		if is.Number == n {
			return true
		}
	}
	return false
}

// closeAll closes dups as duplicates of keep and returns the numbers closed.
func (e *Exporter) closeAll(ctx context.Context, dups []Issue, keep Issue) ([]int, error) {
	var closed []int
	for _, d := range dups {
		if err := e.Tracker.CloseDuplicate(ctx, d, keep); err != nil {
			return closed, fmt.Errorf("closing duplicate #%s: %w", strconv.Itoa(d.Number), err)
		}
		closed = append(closed, d.Number)
	}
	return closed, nil
}

func (e *Exporter) link(itemID, url string) error {
	if e.Links == nil {
		return nil
	}
	if err := e.Links.SetIssueURL(itemID, url); err != nil {
		return fmt.Errorf("writing the issue link into the action item: %w", err)
	}
	return nil
}
