package app_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	keyring "github.com/zalando/go-keyring"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/issues/githubtest"
	"github.com/pwg-team/pwg/integrations/secrets"
	"github.com/pwg-team/pwg/integrations/teamconf"
)

// withGitHub configures ws for the fake GitHub's acme/infra as sato.
func withGitHub(t *testing.T, ws *minutes.Workspace) *githubtest.Server {
	t.Helper()
	srv := githubtest.NewServer()
	t.Cleanup(srv.Close)
	tok := srv.AddUser("sato")
	srv.AddUser("suzuki")
	srv.AddRepo("acme", "infra", "sato", "suzuki")
	if err := teamconf.SaveGitHub(ws, teamconf.GitHub{Repo: "acme/infra", BaseURL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	if err := teamconf.Secrets(ws).Set("github.token", tok); err != nil {
		t.Fatal(err)
	}
	return srv
}

func issueURL(srv *githubtest.Server, n int) string {
	return strings.TrimSuffix(srv.URL, "/") + "/acme/infra/issues/" + itoa(n)
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// waitLoaded waits for a pane's first fetch, which runs beside the test.
func waitLoaded(t *testing.T, loaded <-chan struct{}) {
	t.Helper()
	select {
	case <-loaded:
	case <-time.After(30 * time.Second):
		t.Fatal("the pane's first fetch did not end")
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestCarriedItemsShowTheirIssueAndOfferDone(t *testing.T) {
	u, ws := newUI(t)
	srv := withGitHub(t, ws)
	closed := srv.PutIssue("acme", "infra", githubtest.Issue{Title: "証明書の自動更新", State: "closed", ClosedBy: "suzuki", Closed: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)})
	open := srv.PutIssue("acme", "infra", githubtest.Issue{Title: "閾値を見直す"})
	first := u.Current().Meeting()
	for _, it := range []minutes.ActionItem{
		{Title: "証明書の自動更新", IssueURL: issueURL(srv, closed)},
		{Title: "閾値を見直す", IssueURL: issueURL(srv, open)},
		{Title: "issueのないTODO"},
	} {
		if _, err := first.AddActionItem(it); err != nil {
			t.Fatal(err)
		}
	}
	next, err := ws.NewMeeting("PWG 2026-12", "2026-12-20")
	if err != nil {
		t.Fatal(err)
	}
	u.ShowMeeting(next.ID())
	p := u.CarryOver()
	if p == nil {
		t.Fatal("no carry-over pane in the new meeting")
	}
	waitLoaded(t, u.CarryOver().Loaded())
	waitLoaded(t, u.Postmortems().Loaded())
	if err := p.Reload(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]int{}
	for i, c := range p.Items() {
		byTitle[c.Item.Title] = i
	}
	items := p.Items()
	done := items[byTitle["証明書の自動更新"]]
	if done.Issue == nil || done.Issue.Open || done.Issue.ClosedBy != "suzuki" || !done.OfferDone {
		t.Fatalf("closed issue's item: %+v", done)
	}
	if still := items[byTitle["閾値を見直す"]]; still.Issue == nil || !still.Issue.Open || still.OfferDone {
		t.Errorf("open issue's item: %+v", still)
	}
	if err := p.MarkDone(done.Item.ID); err != nil {
		t.Fatal(err)
	}
	s, _ := ws.Series()
	a, err := s.ActionItem(done.Item.ID)
	if err != nil || a.Status != minutes.ActionDone {
		t.Errorf("after Mark done: %+v %v", a, err)
	}
	// Offline: the cached state still shows.
	srv.Inject(githubtest.Fault{Status: 500})
	if err := p.Reload(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if c := p.Items()[byTitle["閾値を見直す"]]; c.Issue == nil || !c.Issue.Open || c.Err == nil {
		t.Errorf("offline: %+v", c)
	}
}

func TestIncidentReviewListsPostmortemsSinceTheLastMeeting(t *testing.T) {
	u, ws := newUI(t)
	srv := withGitHub(t, ws) // the first meeting is dated 2026-11-24
	old := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	recent := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	srv.PutIssue("acme", "infra", githubtest.Issue{Title: "古い障害", Labels: []string{"postmortem"}, Created: old})
	srv.PutIssue("acme", "infra", githubtest.Issue{Title: "2026-12-02 API 障害", Labels: []string{"postmortem"}, User: "suzuki",
		Created: recent, Body: "- [x] 暫定対応\n- [ ] コネクションプールの上限を見直す\n"})
	next, err := ws.NewMeeting("PWG 2026-12", "2026-12-20")
	if err != nil {
		t.Fatal(err)
	}
	u.ShowMeeting(next.ID())
	p := u.Postmortems()
	if p == nil {
		t.Fatal("no postmortem pane in the incident review")
	}
	waitLoaded(t, u.CarryOver().Loaded())
	waitLoaded(t, u.Postmortems().Loaded())
	if err := p.Reload(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	pms := p.List()
	if len(pms) != 1 || pms[0].Title != "2026-12-02 API 障害" || len(pms[0].FollowUps) != 1 || pms[0].FollowUps[0].Text != "コネクションプールの上限を見直す" {
		t.Fatalf("postmortems = %+v", pms)
	}
	// Another label, configured.
	if err := teamconf.SetPostmortemLabel(ws, "incident"); err != nil {
		t.Fatal(err)
	}
	if err := p.Reload(ctxT(t)); err != nil || len(p.List()) != 0 {
		t.Errorf("label incident: %+v %v", p.List(), err)
	}
}

// heldKeyring stands for the OS keyring: it holds every read until hold is
// closed, then answers "not found" (the token is in the secrets file), and
// counts the reads.
type heldKeyring struct {
	hold  chan struct{}
	reads atomic.Int32
}

func (k *heldKeyring) Get(service, user string) (string, error) {
	k.reads.Add(1)
	<-k.hold
	return "", keyring.ErrNotFound
}

func (k *heldKeyring) Set(service, user, pw string) error { return errors.New("read-only keyring") }
func (k *heldKeyring) Delete(service, user string) error  { return keyring.ErrNotFound }

// TestBuildingTheMeetingViewNeverWaitsForTheKeyring: with the GitHub
// tracker set up, the meeting view is built while the keyring holds every
// read; the panes read the token afterwards, in the background, and show
// what they fetched with it.
func TestBuildingTheMeetingViewNeverWaitsForTheKeyring(t *testing.T) {
	u, ws := newUI(t)
	srv := withGitHub(t, ws)
	open := srv.PutIssue("acme", "infra", githubtest.Issue{Title: "閾値を見直す"})
	srv.PutIssue("acme", "infra", githubtest.Issue{Title: "2026-12-02 API 障害", Labels: []string{"postmortem"},
		Created: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)})
	if _, err := u.Current().Meeting().AddActionItem(minutes.ActionItem{Title: "閾値を見直す", IssueURL: issueURL(srv, open)}); err != nil {
		t.Fatal(err)
	}
	next, err := ws.NewMeeting("PWG 2026-12", "2026-12-20")
	if err != nil {
		t.Fatal(err)
	}
	kr := &heldKeyring{hold: make(chan struct{})}
	t.Cleanup(secrets.UseKeyring(kr))
	built := make(chan struct{})
	go func() { // the test's UI goroutine; the panes' fetches wait on the keyring
		defer close(built)
		u.ShowMeeting(next.ID())
	}()
	select {
	case <-built:
	case <-time.After(30 * time.Second):
		close(kr.hold)
		t.Fatal("building the meeting view waited for the keyring")
	}
	if u.Current().Meeting().ID() != next.ID() || u.CarryOver() == nil || u.Postmortems() == nil {
		t.Fatal("the new meeting's view or its panes are not there")
	}
	close(kr.hold)
	waitLoaded(t, u.CarryOver().Loaded())
	waitLoaded(t, u.Postmortems().Loaded())
	if kr.reads.Load() == 0 {
		t.Fatal("no pane read the token: the keyring was not asked")
	}
	if c := u.CarryOver().Items(); len(c) != 1 || c[0].Issue == nil || !c[0].Issue.Open || c[0].Err != nil {
		t.Errorf("carried-over item: %+v", c)
	}
	if pms := u.Postmortems().List(); len(pms) != 1 {
		t.Errorf("postmortems: %+v", pms)
	}
}
