package issues

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v75/github"
)

// GitHubConfig says which GitHub repository to use and how to reach it.
type GitHubConfig struct {
	// BaseURL is the API of a GitHub Enterprise server, e.g.
	// "https://ghe.example.com/" or ".../api/v3/"; empty for github.com.
	BaseURL string
	// Token is a personal access token with write access to issues. It is
	// sent as "Authorization: Bearer" and never logged.
	Token string
	// Repo is "owner/name" or the repository's web URL.
	Repo string
	// HTTPClient is the client to use; nil for a default one with a
	// 30-second timeout.
	HTTPClient *http.Client
}

// GitHub is a repository's issues on GitHub or GitHub Enterprise.
type GitHub struct {
	c           *github.Client
	owner, repo string
	host        string
}

var _ Tracker = (*GitHub)(nil)

// ParseRepo splits "owner/name", "https://github.com/owner/name" or
// "git@host:owner/name.git" into owner and name.
func ParseRepo(s string) (owner, name string, err error) {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "git@"); ok {
		if _, p, ok := strings.Cut(rest, ":"); ok {
			s = p
		}
	} else if u, perr := url.Parse(s); perr == nil && u.Host != "" {
		s = u.Path
	}
	s = strings.TrimSuffix(strings.Trim(s, "/"), ".git")
	parts := strings.Split(s, "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", "", fmt.Errorf("repository %q: want owner/name", s)
	}
	return parts[0], parts[1], nil
}

// NewGitHub returns the tracker of cfg.Repo.
func NewGitHub(cfg GitHubConfig) (*GitHub, error) {
	owner, name, err := ParseRepo(cfg.Repo)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, fmt.Errorf("no GitHub token: %w", ErrUnauthorized)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	c := github.NewClient(hc).WithAuthToken(cfg.Token)
	host := "github.com"
	if cfg.BaseURL != "" {
		if c, err = c.WithEnterpriseURLs(cfg.BaseURL, cfg.BaseURL); err != nil {
			return nil, fmt.Errorf("GitHub Enterprise URL %q: %w", cfg.BaseURL, err)
		}
		host = c.BaseURL.Host
	}
	return &GitHub{c: c, owner: owner, repo: name, host: host}, nil
}

// Name returns host/owner/name.
func (g *GitHub) Name() string { return g.host + "/" + g.owner + "/" + g.repo }

// Check verifies the token and the repository and returns the token's
// login, for a "test connection" button.
func (g *GitHub) Check(ctx context.Context) (login string, err error) {
	u, _, err := g.c.Users.Get(ctx, "")
	if err != nil {
		return "", classify(err)
	}
	r, _, err := g.c.Repositories.Get(ctx, g.owner, g.repo)
	if err != nil {
		return "", classify(err)
	}
	if p := r.GetPermissions(); p != nil && !p["push"] && !p["triage"] && !p["maintain"] && !p["admin"] {
		// Without push access GitHub silently drops labels and assignees.
		return u.GetLogin(), fmt.Errorf("%s can read %s but not label or assign issues: %w", u.GetLogin(), g.Name(), ErrForbidden)
	}
	return u.GetLogin(), nil
}

func toIssue(is *github.Issue) Issue {
	return Issue{Number: is.GetNumber(), URL: is.GetHTMLURL(), Title: is.GetTitle(), Body: is.GetBody(), Open: is.GetState() == "open"}
}

// Scan lists the repository's issues, newest first, 100 per page.
func (g *GitHub) Scan(ctx context.Context, fn func(Issue) bool) error {
	opts := &github.IssueListByRepoOptions{State: "all", Sort: "created", Direction: "desc",
		ListOptions: github.ListOptions{PerPage: 100}}
	seen := map[int]bool{} // issues created during the scan shift pages
	for {
		list, resp, err := g.c.Issues.ListByRepo(ctx, g.owner, g.repo, opts)
		if err != nil {
			return classify(err)
		}
		for _, is := range list {
			if is.IsPullRequest() || seen[is.GetNumber()] {
				continue
			}
			seen[is.GetNumber()] = true
			if !fn(toIssue(is)) {
				return nil
			}
		}
		if resp.NextPage == 0 {
			return nil
		}
		opts.ListOptions.Page = resp.NextPage
	}
}

// Create creates the issue with its labels and assignees in one call.
func (g *GitHub) Create(ctx context.Context, req NewIssue) (Issue, error) {
	r := &github.IssueRequest{Title: &req.Title, Body: &req.Body}
	if len(req.Labels) > 0 {
		r.Labels = &req.Labels
	}
	if len(req.Assignees) > 0 {
		r.Assignees = &req.Assignees
	}
	is, _, err := g.c.Issues.Create(ctx, g.owner, g.repo, r)
	if err != nil {
		return Issue{}, classify(err)
	}
	return toIssue(is), nil
}

// CloseDuplicate comments "Duplicate of #N" (which GitHub shows as a
// duplicate mark) and closes dup as not planned.
func (g *GitHub) CloseDuplicate(ctx context.Context, dup, canonical Issue) error {
	msg := "Duplicate of #" + strconv.Itoa(canonical.Number) +
		"\n\npwg created this issue while another laptop created the same one; the lowest-numbered issue is kept."
	if _, _, err := g.c.Issues.CreateComment(ctx, g.owner, g.repo, dup.Number, &github.IssueComment{Body: &msg}); err != nil {
		return classify(err)
	}
	closed, reason := "closed", "not_planned"
	if _, _, err := g.c.Issues.Edit(ctx, g.owner, g.repo, dup.Number, &github.IssueRequest{State: &closed, StateReason: &reason}); err != nil {
		return classify(err)
	}
	return nil
}

// classify turns a go-github error into an APIError or RateLimitError.
func classify(err error) error {
	var rl *github.RateLimitError
	if errors.As(err, &rl) {
		return &RateLimitError{Reset: rl.Rate.Reset.Time, Message: rl.Message, Err: err}
	}
	var ab *github.AbuseRateLimitError
	if errors.As(err, &ab) {
		e := &RateLimitError{Secondary: true, Message: ab.Message, Err: err}
		if ab.RetryAfter != nil {
			e.Reset = time.Now().Add(*ab.RetryAfter)
		}
		return e
	}
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		return err // network error, context: outcome unknown
	}
	status := er.Response.StatusCode
	if status == http.StatusTooManyRequests {
		e := &RateLimitError{Secondary: true, Message: er.Message, Err: err}
		if s, perr := strconv.Atoi(er.Response.Header.Get("Retry-After")); perr == nil {
			e.Reset = time.Now().Add(time.Duration(s) * time.Second)
		} else if u, perr := strconv.ParseInt(er.Response.Header.Get("X-RateLimit-Reset"), 10, 64); perr == nil {
			e.Reset = time.Unix(u, 0)
		}
		return e
	}
	api := &APIError{Status: status, Message: er.Message, Err: err}
	switch status {
	case http.StatusUnauthorized:
		api.Kind = ErrUnauthorized
	case http.StatusForbidden:
		api.Kind = ErrForbidden
	case http.StatusNotFound, http.StatusGone:
		api.Kind = ErrNotFound
	case http.StatusUnprocessableEntity:
		api.Kind = ErrValidation
		for _, fe := range er.Errors {
			d := fe.Field + " " + fe.Code
			if fe.Message != "" {
				d = fe.Message
			}
			api.Details = append(api.Details, d)
		}
	}
	return api
}
