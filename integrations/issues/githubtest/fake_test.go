package githubtest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v75/github"
	"github.com/pwg-team/pwg/integrations/issues/githubtest"
)

func newClient(t *testing.T, srv *githubtest.Server, token string) *github.Client {
	t.Helper()
	c, err := github.NewClient(nil).WithAuthToken(token).WithEnterpriseURLs(srv.URL, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	// WithEnterpriseURLs appends /api/v3/: the fake serves both forms.
	return c
}

func setup(t *testing.T) (*githubtest.Server, *github.Client) {
	t.Helper()
	srv := githubtest.NewServer()
	t.Cleanup(srv.Close)
	tok := srv.AddUser("sato")
	srv.AddUser("suzuki")
	srv.AddRepo("acme", "infra", "sato", "suzuki")
	return srv, newClient(t, srv, tok)
}

func TestCreateGetUpdate(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	is, resp, err := c.Issues.Create(ctx, "acme", "infra", &github.IssueRequest{
		Title: github.Ptr("DB接続プールの上限を見直す"), Body: github.Ptr("body\n<!-- pwg:t1 -->"),
		Labels: &[]string{"pwg", "sre"}, Assignee: github.Ptr("suzuki"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusCreated || is.GetNumber() != 1 || is.GetState() != "open" {
		t.Fatalf("created %d #%d %s", resp.StatusCode, is.GetNumber(), is.GetState())
	}
	if is.GetUser().GetLogin() != "sato" || is.GetAssignee().GetLogin() != "suzuki" || len(is.Labels) != 2 || is.Labels[0].GetName() != "pwg" {
		t.Fatalf("created issue fields: user %q assignee %q labels %v", is.GetUser().GetLogin(), is.GetAssignee().GetLogin(), is.Labels)
	}
	if want := srv.URL + "acme/infra/issues/1"; is.GetHTMLURL() != want {
		t.Fatalf("html_url %q, want %q", is.GetHTMLURL(), want)
	}
	if resp.Rate.Limit != 5000 || resp.Rate.Remaining != 4999 {
		t.Fatalf("rate %+v", resp.Rate)
	}
	got, _, err := c.Issues.Get(ctx, "acme", "infra", 1)
	if err != nil || got.GetBody() != "body\n<!-- pwg:t1 -->" {
		t.Fatalf("Get: %v %q", err, got.GetBody())
	}
	_, _, err = c.Issues.CreateComment(ctx, "acme", "infra", 1, &github.IssueComment{Body: github.Ptr("Duplicate of #2")})
	if err != nil {
		t.Fatal(err)
	}
	closed, _, err := c.Issues.Edit(ctx, "acme", "infra", 1, &github.IssueRequest{State: github.Ptr("closed"), StateReason: github.Ptr("not_planned")})
	if err != nil {
		t.Fatal(err)
	}
	if closed.GetState() != "closed" || closed.GetStateReason() != "not_planned" || closed.GetComments() != 1 || closed.ClosedAt == nil {
		t.Fatalf("after close: %s %s comments %d", closed.GetState(), closed.GetStateReason(), closed.GetComments())
	}
	comments, _, err := c.Issues.ListComments(ctx, "acme", "infra", 1, nil)
	if err != nil || len(comments) != 1 || comments[0].GetBody() != "Duplicate of #2" {
		t.Fatalf("comments %v %v", comments, err)
	}
	_, resp, err = c.Issues.Get(ctx, "acme", "infra", 99)
	var er *github.ErrorResponse
	if !errors.As(err, &er) || resp.StatusCode != 404 || er.Message != "Not Found" || er.DocumentationURL == "" {
		t.Fatalf("Get of a missing issue: %v", err)
	}
}

func TestListPagesWithLinkHeader(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	for i := range 7 {
		srv.PutIssue("acme", "infra", githubtest.Issue{Title: "issue", State: map[bool]string{true: "closed", false: "open"}[i%3 == 0]})
	}
	opts := &github.IssueListByRepoOptions{State: "all", Sort: "created", Direction: "desc", ListOptions: github.ListOptions{PerPage: 3}}
	var numbers []int
	pages := 0
	for {
		list, resp, err := c.Issues.ListByRepo(ctx, "acme", "infra", opts)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, is := range list {
			numbers = append(numbers, is.GetNumber())
		}
		if pages == 1 && resp.LastPage != 3 {
			t.Fatalf("LastPage %d, want 3", resp.LastPage)
		}
		if resp.NextPage == 0 {
			break
		}
		opts.ListOptions.Page = resp.NextPage
	}
	if pages != 3 || len(numbers) != 7 || numbers[0] != 7 || numbers[6] != 1 {
		t.Fatalf("pages %d numbers %v", pages, numbers)
	}
	open, _, err := c.Issues.ListByRepo(ctx, "acme", "infra", nil)
	if err != nil || len(open) != 4 {
		t.Fatalf("default list (open): %d issues, %v; want 4", len(open), err)
	}
}

func TestSearchLagsBehindList(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	srv.SetSearchLag(2)
	if _, _, err := c.Issues.Create(ctx, "acme", "infra", &github.IssueRequest{Title: github.Ptr("t"), Body: github.Ptr("x\n<!-- pwg:item-1 -->")}); err != nil {
		t.Fatal(err)
	}
	q := `repo:acme/infra is:issue in:body "<!-- pwg:item-1 -->"`
	for i := range 3 {
		res, _, err := c.Search.Issues(ctx, q, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		if i == 2 {
			want = 1
		}
		if res.GetTotal() != want || len(res.Issues) != want {
			t.Fatalf("search %d: %d results, want %d", i+1, res.GetTotal(), want)
		}
	}
	// The list sees it at once.
	list, _, err := c.Issues.ListByRepo(ctx, "acme", "infra", &github.IssueListByRepoOptions{State: "all"})
	if err != nil || len(list) != 1 {
		t.Fatalf("list: %d, %v", len(list), err)
	}

	srv.SetSearchLag(-1)
	if _, _, err := c.Issues.Create(ctx, "acme", "infra", &github.IssueRequest{Title: github.Ptr("t2"), Body: github.Ptr("<!-- pwg:item-2 -->")}); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		res, _, _ := c.Search.Issues(ctx, `"pwg:item-2"`, nil)
		if res.GetTotal() != 0 {
			t.Fatal("held issue visible to search before release")
		}
	}
	srv.ReleaseSearch()
	res, resp, err := c.Search.Issues(ctx, `"pwg:item-2" repo:acme/infra`, nil)
	if err != nil || res.GetTotal() != 1 {
		t.Fatalf("after release: %d, %v", res.GetTotal(), err)
	}
	if resp.Rate.Limit != 30 {
		t.Fatalf("search rate limit %d, want 30 (search resource)", resp.Rate.Limit)
	}
}

func TestBadCredentials(t *testing.T) {
	srv, _ := setup(t)
	c := newClient(t, srv, "ghp_wrong")
	_, resp, err := c.Issues.Create(context.Background(), "acme", "infra", &github.IssueRequest{Title: github.Ptr("x")})
	var er *github.ErrorResponse
	if !errors.As(err, &er) || resp.StatusCode != 401 || er.Message != "Bad credentials" {
		t.Fatalf("err %v", err)
	}
	if len(srv.Issues("acme", "infra")) != 0 {
		t.Fatal("issue created with a bad token")
	}
}

func TestValidationFailed(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	_, _, err := c.Issues.Create(ctx, "acme", "infra", &github.IssueRequest{Title: github.Ptr("x"), Assignee: github.Ptr("stranger")})
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 422 || er.Message != "Validation Failed" ||
		len(er.Errors) != 1 || er.Errors[0].Field != "assignees" || er.Errors[0].Code != "invalid" {
		t.Fatalf("err %v", err)
	}
	_, _, err = c.Issues.Create(ctx, "acme", "infra", &github.IssueRequest{Body: github.Ptr("no title")})
	if !errors.As(err, &er) || len(er.Errors) != 1 || er.Errors[0].Code != "missing_field" {
		t.Fatalf("missing title: %v", err)
	}
	srv.Inject(githubtest.Fault{Op: githubtest.OpCreate, Status: 422, Times: 1})
	if _, _, err := c.Issues.Create(ctx, "acme", "infra", &github.IssueRequest{Title: github.Ptr("x")}); !errors.As(err, &er) || er.Response.StatusCode != 422 {
		t.Fatalf("injected 422: %v", err)
	}
	if _, _, err := c.Issues.Create(ctx, "acme", "infra", &github.IssueRequest{Title: github.Ptr("x")}); err != nil {
		t.Fatalf("fault with Times 1 hit twice: %v", err)
	}
	if n := len(srv.Issues("acme", "infra")); n != 1 {
		t.Fatalf("%d issues, want 1", n)
	}
}

func TestPrimaryRateLimit(t *testing.T) {
	srv, c := setup(t)
	reset := time.Now().Add(30 * time.Minute).Truncate(time.Second)
	srv.Inject(githubtest.Fault{Op: githubtest.OpList, Status: 403, Reset: reset})
	_, _, err := c.Issues.ListByRepo(context.Background(), "acme", "infra", nil)
	var rl *github.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("err %T %v, want *github.RateLimitError", err, err)
	}
	if !rl.Rate.Reset.Time.Equal(reset) || rl.Rate.Remaining != 0 {
		t.Fatalf("rate %+v, want reset %v", rl.Rate, reset)
	}
}

func TestSecondaryRateLimit(t *testing.T) {
	srv, c := setup(t)
	srv.Inject(githubtest.Fault{Op: githubtest.OpCreate, Status: 429, RetryAfter: 60 * time.Second, Times: 1})
	_, resp, err := c.Issues.Create(context.Background(), "acme", "infra", &github.IssueRequest{Title: github.Ptr("x")})
	if err == nil || resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "60" {
		t.Fatalf("429: err %v status %d", err, resp.StatusCode)
	}
	srv.Inject(githubtest.Fault{Op: githubtest.OpCreate, Status: 403, RetryAfter: 2 * time.Second, Times: 1})
	_, _, err = c.Issues.Create(context.Background(), "acme", "infra", &github.IssueRequest{Title: github.Ptr("x")})
	var ab *github.AbuseRateLimitError
	if !errors.As(err, &ab) || ab.GetRetryAfter() != 2*time.Second {
		t.Fatalf("403 secondary: %T %v", err, err)
	}
}

func TestHookSeesCallsAndCanHold(t *testing.T) {
	srv, c := setup(t)
	entered := make(chan githubtest.Call, 1)
	release := make(chan struct{})
	srv.SetHook(func(call githubtest.Call) {
		if call.Op == githubtest.OpCreate {
			entered <- call
			<-release
		}
	})
	done := make(chan error, 1)
	go func() {
		_, _, err := c.Issues.Create(context.Background(), "acme", "infra", &github.IssueRequest{Title: github.Ptr("held")})
		done <- err
	}()
	select {
	case call := <-entered:
		if call.Title != "held" || call.Login != "sato" || call.Owner != "acme" {
			t.Fatalf("hook call %+v", call)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("hook not called")
	}
	if n := len(srv.Issues("acme", "infra")); n != 0 {
		t.Fatalf("held create already served: %d issues", n)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if srv.CountCalls(githubtest.OpCreate) != 1 {
		t.Fatalf("calls %v", srv.Calls())
	}
}

func TestUnknownRepoAndPlainPaths(t *testing.T) {
	srv, _ := setup(t)
	tok := srv.AddUser("sato")
	// go-github with the public-API style base URL (no /api/v3).
	c := github.NewClient(nil).WithAuthToken(tok)
	var err error
	c.BaseURL, err = c.BaseURL.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	_, resp, err := c.Repositories.Get(context.Background(), "acme", "nope")
	if err == nil || resp.StatusCode != 404 {
		t.Fatalf("unknown repo: %v", err)
	}
	repo, _, err := c.Repositories.Get(context.Background(), "acme", "infra")
	if err != nil || repo.GetFullName() != "acme/infra" {
		t.Fatalf("repo %v %v", repo.GetFullName(), err)
	}
	u, _, err := c.Users.Get(context.Background(), "")
	if err != nil || u.GetLogin() != "sato" {
		t.Fatalf("user %v %v", u.GetLogin(), err)
	}
	if !strings.HasSuffix(srv.URL, "/") {
		t.Fatal("URL must end in /")
	}
}
