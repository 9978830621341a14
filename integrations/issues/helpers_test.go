package issues_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/issues"
	"github.com/pwg-team/pwg/integrations/issues/githubtest"
)

// links is an in-memory LinkWriter.
type links struct {
	mu   sync.Mutex
	urls map[string]string
	fail map[string]error // item ID -> error to return once
}

func newLinks() *links { return &links{urls: map[string]string{}, fail: map[string]error{}} }

func (l *links) SetIssueURL(itemID, url string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.fail[itemID]; err != nil {
		delete(l.fail, itemID)
		return err
	}
	l.urls[itemID] = url
	return nil
}

func (l *links) get(id string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.urls[id]
}

// env is a fake GitHub with the team's repository and two users.
type env struct {
	srv             *githubtest.Server
	satoTok, suzTok string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := githubtest.NewServer()
	t.Cleanup(srv.Close)
	e := &env{srv: srv, satoTok: srv.AddUser("sato"), suzTok: srv.AddUser("suzuki")}
	srv.AddRepo("acme", "infra", "sato", "suzuki")
	return e
}

// tracker returns a GitHub tracker with its own client, as a separate
// laptop would have.
func (e *env) tracker(t *testing.T, token string) *issues.GitHub {
	t.Helper()
	tr, err := issues.NewGitHub(issues.GitHubConfig{BaseURL: e.srv.URL, Token: token, Repo: "acme/infra"})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func (e *env) exporter(t *testing.T, token string, lw issues.LinkWriter) *issues.Exporter {
	t.Helper()
	return &issues.Exporter{
		Tracker: e.tracker(t, token),
		Links:   lw,
		Logins:  issues.LoginsFromMembers(members),
		Origin: func(it minutes.ActionItem) issues.Origin {
			return issues.Origin{Meeting: "2026年11月 PWG", Date: "2026-11-24", Section: "出たTODOのIssue化",
				MinutesURL: "https://github.com/acme/infra/blob/main/pwg/2026-11-24.md"}
		},
	}
}

// openIssues returns, per item ID, the open issues carrying its marker.
func (e *env) openIssues() map[string][]int {
	out := map[string][]int{}
	for _, is := range e.srv.Issues("acme", "infra") {
		id, ok := issues.MarkerOf(is.Body)
		if ok && is.State == "open" {
			out[id] = append(out[id], is.Number)
		}
	}
	return out
}

var members = []minutes.Member{
	{ID: "m1", Name: "佐藤", Role: "SRE", GitHub: "sato"},
	{ID: "m2", Name: "鈴木", Role: "tech lead", GitHub: "suzuki"},
	{ID: "m3", Name: "田中", Role: "app engineer"},
}

func items(n int) []minutes.ActionItem {
	var out []minutes.ActionItem
	owners := []string{"佐藤", "m2", "田中"}
	for i := range n {
		out = append(out, minutes.ActionItem{
			ID: fmt.Sprintf("item%02d", i), Title: fmt.Sprintf("TODO %d: 閾値を見直す", i),
			Owner: owners[i%len(owners)], TargetDate: "2026-12-15", DoneCriteria: "アラートが週1件以下",
			Status: minutes.ActionOpen, OriginMeeting: "meet1",
			Created: time.Date(2026, 11, 24, 10, i, 0, 0, time.UTC),
		})
	}
	return out
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func countDuplicateComments(is githubtest.Issue) int {
	n := 0
	for _, c := range is.Comments {
		if strings.HasPrefix(c.Body, "Duplicate of #") {
			n++
		}
	}
	return n
}
