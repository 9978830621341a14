package issues

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ErrNotIssueURL is returned for a link that does not name an issue.
var ErrNotIssueURL = errors.New("not an issue link (want …/OWNER/NAME/issues/NUMBER)")

// IssueRef names one issue.
type IssueRef struct {
	Owner, Repo string
	Number      int
}

// String returns owner/name#number.
func (r IssueRef) String() string { return r.Owner + "/" + r.Repo + "#" + strconv.Itoa(r.Number) }

// ParseIssueURL reads an issue's web address (https://github.com/o/r/issues/12,
// a GitHub Enterprise host, or the API's …/repos/o/r/issues/12).
func ParseIssueURL(s string) (IssueRef, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" {
		return IssueRef{}, fmt.Errorf("%q: %w", s, ErrNotIssueURL)
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 4 {
		return IssueRef{}, fmt.Errorf("%q: %w", s, ErrNotIssueURL)
	}
	p := parts[len(parts)-4:]
	n, err := strconv.Atoi(p[3])
	if err != nil || n < 1 || (p[2] != "issues" && p[2] != "pull") || p[0] == "" || p[1] == "" {
		return IssueRef{}, fmt.Errorf("%q: %w", s, ErrNotIssueURL)
	}
	return IssueRef{Owner: p[0], Repo: p[1], Number: n}, nil
}

// IssueState is what the tracker says about an issue now.
type IssueState struct {
	URL    string `json:"url"`
	Number int    `json:"number"`
	Title  string `json:"title"`
	Open   bool   `json:"open"`
	// Reason is why a closed issue was closed: "completed", "not_planned"
	// or "duplicate"; empty when open or unknown.
	Reason   string    `json:"reason,omitempty"`
	ClosedBy string    `json:"closedBy,omitempty"` // login
	ClosedAt time.Time `json:"closedAt,omitzero"`
	// Fetched is when the tracker was asked.
	Fetched time.Time `json:"fetched"`
}

// Describe says the state in a few words: "open", "closed by alice on
// 2026-11-02", "closed (not planned) by bob on …".
func (s IssueState) Describe() string {
	if s.Open {
		return "open"
	}
	out := "closed"
	if s.Reason != "" && s.Reason != "completed" {
		out += " (" + strings.ReplaceAll(s.Reason, "_", " ") + ")"
	}
	if s.ClosedBy != "" {
		out += " by " + s.ClosedBy
	}
	if !s.ClosedAt.IsZero() {
		out += " on " + s.ClosedAt.Local().Format(time.DateOnly)
	}
	return out
}

// StateSource fetches an issue's state from a tracker (GitHub implements it).
type StateSource interface {
	IssueState(ctx context.Context, ref IssueRef) (IssueState, error)
}

var _ StateSource = (*GitHub)(nil)

// IssueState fetches one issue of any repository the token can read.
func (g *GitHub) IssueState(ctx context.Context, ref IssueRef) (IssueState, error) {
	is, _, err := g.c.Issues.Get(ctx, ref.Owner, ref.Repo, ref.Number)
	if err != nil {
		return IssueState{}, classify(err)
	}
	st := IssueState{URL: is.GetHTMLURL(), Number: is.GetNumber(), Title: is.GetTitle(), Open: is.GetState() == "open",
		Fetched: time.Now().UTC().Truncate(time.Second)}
	if !st.Open {
		st.Reason = is.GetStateReason()
		st.ClosedBy = is.GetClosedBy().GetLogin()
		st.ClosedAt = is.GetClosedAt().Time
	}
	return st, nil
}
