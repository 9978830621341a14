package issues

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// LinkWriter records an action item's issue URL; *minutes.Series is one.
type LinkWriter interface {
	SetIssueURL(itemID, url string) error
}

var _ LinkWriter = (*minutes.Series)(nil)

// Exporter turns action items into issues of one tracker.
type Exporter struct {
	Tracker Tracker
	// Links receives each item's issue URL as soon as it is known; nil to
	// only return the URLs in the Report.
	Links LinkWriter
	// Labels go on new issues; nil means DefaultLabels, empty means none.
	Labels []string
	// Logins maps an item's Owner to a tracker login to assign; see
	// LoginsFromMembers. Owners without a login are not assigned.
	Logins map[string]string
	// Origin describes an item's meeting for the issue body; nil leaves the
	// meeting out.
	Origin func(minutes.ActionItem) Origin
}

// Action is what the export does, or did, with an action item.
type Action string

// Actions.
const (
	// ActionCreate: no issue carries the item's marker; one is created.
	ActionCreate Action = "create"
	// ActionLinkExisting: the item has no URL but an issue carries its
	// marker (an earlier run stopped before linking, or another laptop's
	// link has not synced yet); it is linked instead of creating.
	ActionLinkExisting Action = "link-existing"
	// ActionAlreadyLinked: the item already has an issue URL.
	ActionAlreadyLinked Action = "already-linked"
	// ActionSkip: the item is done or dropped and has no issue.
	ActionSkip Action = "skip"
)

// PlanItem is the plan for one action item.
type PlanItem struct {
	Item   minutes.ActionItem
	Action Action
	// Issue is the item's issue: the existing one for ActionLinkExisting,
	// the marked one (if any) for ActionAlreadyLinked.
	Issue *Issue
	// New is the issue ActionCreate would create.
	New *NewIssue
	// Duplicates are open issues carrying the item's marker besides Issue;
	// Run closes them.
	Duplicates []Issue
	// Relink is set when an already linked item points at a marked issue
	// that is not the lowest-numbered one (two laptops linked different
	// issues of a crossing); Run links Issue instead.
	Relink bool
}

// Plan is a preview of an export: nothing has been written.
type Plan struct {
	Tracker string
	Items   []PlanItem
	// Scanned is how many issues the scan read; MaxNumber the highest issue
	// number seen.
	Scanned   int
	MaxNumber int
}

// Count returns how many items the plan gives action a.
func (p *Plan) Count(a Action) int {
	n := 0
	for _, it := range p.Items {
		if it.Action == a {
			n++
		}
	}
	return n
}

// marked groups scanned issues by the item ID of their marker, each list by
// issue number.
type marked map[string][]Issue

func (m marked) add(is Issue) {
	if id, ok := MarkerOf(is.Body); ok {
		if !slices.ContainsFunc(m[id], func(x Issue) bool { return x.Number == is.Number }) {
			m[id] = append(m[id], is)
			slices.SortFunc(m[id], func(a, b Issue) int { return a.Number - b.Number })
		}
	}
}

// canonical returns the lowest-numbered issue and the open others.
func canonical(list []Issue) (Issue, []Issue) {
	var dups []Issue
	for _, is := range list[1:] {
		if is.Open {
			dups = append(dups, is)
		}
	}
	return list[0], dups
}

// newIssue is the issue to create for an item.
func (e *Exporter) newIssue(it minutes.ActionItem) *NewIssue {
	var o Origin
	if e.Origin != nil {
		o = e.Origin(it)
	}
	login := e.Logins[it.Owner]
	req := &NewIssue{Title: title(it), Body: body(it, o, login)}
	req.Labels = DefaultLabels
	if e.Labels != nil {
		req.Labels = e.Labels
	}
	req.Labels = slices.Clone(req.Labels)
	if login != "" {
		req.Assignees = []string{login}
	}
	return req
}

// Plan scans the tracker and says what Run would do with each item.
func (e *Exporter) Plan(ctx context.Context, items []minutes.ActionItem) (*Plan, error) {
	if e.Tracker == nil {
		return nil, errors.New("issues: no tracker configured")
	}
	for _, it := range items {
		if !validID.MatchString(it.ID) {
			return nil, fmt.Errorf("issues: action item %q has an ID that cannot be marked in an issue", it.ID)
		}
	}
	p := &Plan{Tracker: e.Tracker.Name()}
	idx := marked{}
	err := e.Tracker.Scan(ctx, func(is Issue) bool {
		p.Scanned++
		p.MaxNumber = max(p.MaxNumber, is.Number)
		idx.add(is)
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("reading the issues of %s: %w", p.Tracker, err)
	}
	for _, it := range items {
		pi := PlanItem{Item: it}
		found := idx[it.ID]
		switch {
		case it.IssueURL != "":
			pi.Action = ActionAlreadyLinked
			if len(found) > 0 {
				c, dups := canonical(found)
				pi.Issue, pi.Duplicates = &c, dups
				pi.Relink = it.IssueURL != c.URL && slices.ContainsFunc(found, func(is Issue) bool { return is.URL == it.IssueURL })
			}
		case len(found) > 0:
			pi.Action = ActionLinkExisting
			c, dups := canonical(found)
			pi.Issue, pi.Duplicates = &c, dups
		case it.Status != minutes.ActionOpen && it.Status != "":
			pi.Action = ActionSkip
		case title(it) == "":
			pi.Action = ActionSkip
		default:
			pi.Action = ActionCreate
			pi.New = e.newIssue(it)
		}
		p.Items = append(p.Items, pi)
	}
	return p, nil
}
