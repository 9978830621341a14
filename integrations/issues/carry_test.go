package issues_test

import (
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-github/v75/github"
	_ "modernc.org/sqlite"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/issues"
	"github.com/pwg-team/pwg/integrations/issues/githubtest"
)

func openStates(t *testing.T) *issues.States {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "pwg.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := issues.OpenStates(db)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// closeAs closes issue n of acme/infra through the API as the token's user.
func closeAs(t *testing.T, e *env, token string, n int, reason string) {
	t.Helper()
	c, err := github.NewClient(nil).WithAuthToken(token).WithEnterpriseURLs(e.srv.URL, e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	state := "closed"
	if _, _, err := c.Issues.Edit(ctx(t), "acme", "infra", n, &github.IssueRequest{State: &state, StateReason: &reason}); err != nil {
		t.Fatal(err)
	}
}

func TestCarryOverShowsLiveIssueStateAndOffersDone(t *testing.T) {
	e := newEnv(t)
	open := e.srv.PutIssue("acme", "infra", githubtest.Issue{Title: "閾値を見直す"})
	done := e.srv.PutIssue("acme", "infra", githubtest.Issue{Title: "証明書の自動更新"})
	dropped := e.srv.PutIssue("acme", "infra", githubtest.Issue{Title: "古い監視を消す"})
	closeAs(t, e, e.suzTok, done, "completed")
	closeAs(t, e, e.satoTok, dropped, "not_planned")
	url := func(n int) string { return e.srv.URL[:len(e.srv.URL)-1] + "/acme/infra/issues/" + itoa(n) }
	its := items(5)
	its[0].IssueURL = url(open)
	its[1].IssueURL = url(done)
	its[2].IssueURL = url(dropped)
	its[3].IssueURL = url(done)
	its[3].Status = minutes.ActionDone // already marked done: nothing to offer
	// its[4] has no issue.

	st := openStates(t)
	tr := e.tracker(t, e.satoTok)
	got, err := issues.ReviewCarryOver(ctx(t), st, tr, its)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		state     string
		offerDone bool
	}
	var rows []row
	for _, c := range got {
		r := row{offerDone: c.OfferDone}
		if c.Err != nil {
			t.Errorf("item %s: %v", c.Item.ID, c.Err)
		}
		if c.Issue != nil {
			r.state = c.Issue.Describe()
		}
		rows = append(rows, r)
	}
	today := time.Now().Format(time.DateOnly)
	want := []row{
		{"open", false},
		{"closed by suzuki on " + today, true},
		{"closed (not planned) by sato on " + today, true},
		{"closed by suzuki on " + today, false},
		{"", false},
	}
	if !slices.Equal(rows, want) {
		t.Errorf("carry-over = %+v\nwant %+v", rows, want)
	}
	if n := e.srv.CountCalls(githubtest.OpGet); n != 3 {
		t.Errorf("%d issue fetches, want 3 (one per distinct issue)", n)
	}

	// Offline (the tracker refuses every call): the cached states are shown,
	// each with the error; the tracker is asked once, not once per issue.
	e.srv.Inject(githubtest.Fault{Status: 500})
	before := e.srv.CountCalls(githubtest.OpGet)
	got, err = issues.ReviewCarryOver(ctx(t), st, tr, its)
	if err != nil {
		t.Fatal(err)
	}
	if n := e.srv.CountCalls(githubtest.OpGet) - before; n != 1 {
		t.Errorf("%d calls while the tracker fails, want 1", n)
	}
	if got[1].Issue == nil || got[1].Issue.Open || !got[1].OfferDone || got[1].Err == nil {
		t.Errorf("offline: item 1 = %+v, want the cached closed state with an error", got[1])
	}
	// No tracker configured at all: the cache alone.
	got, err = issues.ReviewCarryOver(ctx(t), st, nil, its)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Issue == nil || !got[0].Issue.Open || got[0].Err != nil {
		t.Errorf("from the cache: item 0 = %+v", got[0])
	}
}

func TestCarryOverReopenedIssueIsNoLongerOffered(t *testing.T) {
	e := newEnv(t)
	n := e.srv.PutIssue("acme", "infra", githubtest.Issue{Title: "x", State: "closed", ClosedBy: "sato", Closed: time.Now()})
	its := items(1)
	its[0].IssueURL = e.srv.URL[:len(e.srv.URL)-1] + "/acme/infra/issues/" + itoa(n)
	st := openStates(t)
	tr := e.tracker(t, e.satoTok)
	got, _ := issues.ReviewCarryOver(ctx(t), st, tr, its)
	if !got[0].OfferDone {
		t.Fatalf("closed issue not offered as done: %+v", got[0])
	}
	c, _ := github.NewClient(nil).WithAuthToken(e.suzTok).WithEnterpriseURLs(e.srv.URL, e.srv.URL)
	reopen := "open"
	if _, _, err := c.Issues.Edit(ctx(t), "acme", "infra", n, &github.IssueRequest{State: &reopen}); err != nil {
		t.Fatal(err)
	}
	got, _ = issues.ReviewCarryOver(ctx(t), st, tr, its)
	if got[0].OfferDone || got[0].Issue == nil || !got[0].Issue.Open {
		t.Errorf("reopened issue: %+v", got[0])
	}
}

func TestCarryOverBadLinks(t *testing.T) {
	e := newEnv(t)
	its := items(2)
	its[0].IssueURL = "https://example.com/not-an-issue"
	its[1].IssueURL = e.srv.URL[:len(e.srv.URL)-1] + "/acme/infra/issues/99" // no such issue
	got, err := issues.ReviewCarryOver(ctx(t), openStates(t), e.tracker(t, e.satoTok), its)
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(got[0].Err, issues.ErrNotIssueURL) || !errors.Is(got[1].Err, issues.ErrNotFound) {
		t.Errorf("errors = %v, %v", got[0].Err, got[1].Err)
	}
}

func TestParseIssueURL(t *testing.T) {
	for _, c := range []struct {
		in   string
		want issues.IssueRef
		ok   bool
	}{
		{"https://github.com/acme/infra/issues/12", issues.IssueRef{Owner: "acme", Repo: "infra", Number: 12}, true},
		{"https://ghe.example.com/acme/infra/issues/3#issuecomment-1", issues.IssueRef{Owner: "acme", Repo: "infra", Number: 3}, true},
		{"https://ghe.example.com/api/v3/repos/acme/infra/issues/7", issues.IssueRef{Owner: "acme", Repo: "infra", Number: 7}, true},
		{"https://github.com/acme/infra/pulls", issues.IssueRef{}, false},
		{"acme/infra#3", issues.IssueRef{}, false},
	} {
		got, err := issues.ParseIssueURL(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseIssueURL(%q) = %v, %v", c.in, got, err)
		}
	}
}

func TestPostmortemsSinceLastMeetingWithOpenFollowUps(t *testing.T) {
	e := newEnv(t)
	lastMeeting := time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)
	before, after := lastMeeting.Add(-72*time.Hour), lastMeeting.Add(96*time.Hour)
	fixed := e.srv.PutIssue("acme", "infra", githubtest.Issue{Title: "監視の追加", State: "closed", ClosedBy: "sato", Closed: after, Created: before})
	openFU := e.srv.PutIssue("acme", "infra", githubtest.Issue{Title: "リトライの上限", Created: before})
	e.srv.PutIssue("acme", "infra", githubtest.Issue{Title: "古いポストモーテム", Labels: []string{"postmortem"}, Created: before,
		Body: "- [ ] 何か"})
	pm := e.srv.PutIssue("acme", "infra", githubtest.Issue{Title: "2026-10-20 API 障害 ポストモーテム", Labels: []string{"postmortem", "sev2"},
		User: "suzuki", Created: after, Body: "## 原因\nDB のコネクション枯渇\n\n## 対応\n" +
			"- [x] 一時的に接続数を増やす\n" +
			"- [ ] コネクションプールの上限を見直す\n" +
			"- [ ] #" + itoa(fixed) + " で監視を追加する\n" +
			"- [ ] リトライの上限を決める #" + itoa(openFU) + "\n"})
	// An older postmortem updated since (a comment) is listed too.
	updated := e.srv.PutIssue("acme", "infra", githubtest.Issue{Title: "2026-09 キャッシュ障害", Labels: []string{"postmortem"},
		Created: before.Add(-30 * 24 * time.Hour), Updated: after.Add(time.Hour)})
	// Another label is not a postmortem.
	e.srv.PutIssue("acme", "infra", githubtest.Issue{Title: "incident note", Labels: []string{"incident"}, Created: after})

	got, err := e.tracker(t, e.satoTok).Postmortems(ctx(t), "", lastMeeting)
	if err != nil {
		t.Fatal(err)
	}
	var nums []int
	for _, p := range got {
		nums = append(nums, p.Number)
	}
	if !slices.Equal(nums, []int{updated, pm}) {
		t.Fatalf("postmortems = %v, want [%d %d] (newest update first)", nums, updated, pm)
	}
	p := got[1]
	if p.Author != "suzuki" || !p.Open || p.URL == "" {
		t.Errorf("postmortem = %+v", p)
	}
	var texts []string
	for _, f := range p.FollowUps {
		texts = append(texts, f.Text)
	}
	want := []string{"コネクションプールの上限を見直す", "リトライの上限を決める #" + itoa(openFU)}
	if !slices.Equal(texts, want) {
		t.Errorf("follow-ups = %q, want %q (done and closed-issue items left out)", texts, want)
	}
	if p.FollowUps[1].IssueURL == "" {
		t.Errorf("follow-up with #%d has no issue link", openFU)
	}
	// A configured label.
	got, err = e.tracker(t, e.satoTok).Postmortems(ctx(t), "incident", lastMeeting)
	if err != nil || len(got) != 1 || got[0].Title != "incident note" {
		t.Errorf("label incident: %+v, %v", got, err)
	}
}
