package issues

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v75/github"
)

// DefaultPostmortemLabel is the label that marks a postmortem issue when
// the team has not configured another.
const DefaultPostmortemLabel = "postmortem"

// Postmortem is an incident's write-up, kept as an issue in the team's
// repository, with the follow-up work it lists that is not done yet.
type Postmortem struct {
	Number  int       `json:"number"`
	URL     string    `json:"url"`
	Title   string    `json:"title"`
	Open    bool      `json:"open"`
	Author  string    `json:"author"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	// FollowUps are the open follow-up items: unchecked task-list items
	// ("- [ ] …") of the body whose referenced issue, if any, is still open.
	FollowUps []FollowUp `json:"followUps"`
}

// FollowUp is one open follow-up item of a postmortem.
type FollowUp struct {
	Text string `json:"text"`
	// IssueURL is the issue the item refers to (#N or a link), if any.
	IssueURL string `json:"issueUrl,omitempty"`
}

// PostmortemSource lists a repository's postmortems (GitHub implements it).
type PostmortemSource interface {
	Postmortems(ctx context.Context, label string, since time.Time) ([]Postmortem, error)
}

var _ PostmortemSource = (*GitHub)(nil)

var (
	reTask     = regexp.MustCompile(`(?m)^\s*[-*+]\s+\[( |x|X)\]\s+(.+?)\s*$`)
	reIssueURL = regexp.MustCompile(`https?://\S+/(?:issues|pull)/\d+`)
	reIssueNum = regexp.MustCompile(`(?:^|[\s(])#(\d+)\b`)
)

// taskItems returns the unchecked task-list items of a Markdown body.
func taskItems(body string) []string {
	var out []string
	for _, m := range reTask.FindAllStringSubmatch(body, -1) {
		if m[1] == " " {
			out = append(out, m[2])
		}
	}
	return out
}

// Postmortems lists the issues labelled label that were opened or updated
// since (newest update first), each with its open follow-up items. Items
// that refer to another issue (#N in this repository, or a link) are open
// while that issue is; the referenced issues are fetched once each.
func (g *GitHub) Postmortems(ctx context.Context, label string, since time.Time) ([]Postmortem, error) {
	if label == "" {
		label = DefaultPostmortemLabel
	}
	opts := &github.IssueListByRepoOptions{State: "all", Labels: []string{label}, Since: since, Sort: "updated",
		Direction: "desc", ListOptions: github.ListOptions{PerPage: 100}}
	var out []Postmortem
	for {
		list, resp, err := g.c.Issues.ListByRepo(ctx, g.owner, g.repo, opts)
		if err != nil {
			return nil, classify(err)
		}
		for _, is := range list {
			if is.IsPullRequest() {
				continue
			}
			out = append(out, Postmortem{Number: is.GetNumber(), URL: is.GetHTMLURL(), Title: is.GetTitle(),
				Open: is.GetState() == "open", Author: is.GetUser().GetLogin(),
				Created: is.GetCreatedAt().Time, Updated: is.GetUpdatedAt().Time})
			out[len(out)-1].FollowUps = g.followUps(ctx, is.GetBody())
		}
		if resp.NextPage == 0 {
			break
		}
		opts.ListOptions.Page = resp.NextPage
	}
	return out, nil
}

// followUps returns the open follow-up items of a postmortem's body. An
// item whose referenced issue cannot be fetched is kept (shown as open).
func (g *GitHub) followUps(ctx context.Context, body string) []FollowUp {
	var out []FollowUp
	for _, t := range taskItems(body) {
		fu := FollowUp{Text: t}
		var ref IssueRef
		var ok bool
		if u := reIssueURL.FindString(t); u != "" {
			if r, err := ParseIssueURL(u); err == nil {
				ref, ok, fu.IssueURL = r, true, u
			}
		} else if m := reIssueNum.FindStringSubmatch(t); m != nil {
			n, _ := strconv.Atoi(m[1])
			ref, ok = IssueRef{Owner: g.owner, Repo: g.repo, Number: n}, true
		}
		if ok {
			st, err := g.IssueState(ctx, ref)
			if err == nil {
				if !st.Open {
					continue
				}
				if fu.IssueURL == "" {
					fu.IssueURL = st.URL
				}
			}
		}
		fu.Text = strings.TrimSpace(fu.Text)
		out = append(out, fu)
	}
	return out
}
