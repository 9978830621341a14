package issues_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/issues"
	"github.com/pwg-team/pwg/integrations/issues/githubtest"
)

func TestParseRepo(t *testing.T) {
	for in, want := range map[string]string{
		"acme/infra":                             "acme infra",
		" https://github.com/acme/infra/ ":       "acme infra",
		"https://ghe.example.com/acme/infra.git": "acme infra",
		"git@github.com:acme/infra.git":          "acme infra",
	} {
		o, n, err := issues.ParseRepo(in)
		if err != nil || o+" "+n != want {
			t.Errorf("ParseRepo(%q) = %q %q %v", in, o, n, err)
		}
	}
	for _, bad := range []string{"", "acme", "a/b/c", "https://github.com/acme"} {
		if _, _, err := issues.ParseRepo(bad); err == nil {
			t.Errorf("ParseRepo(%q) accepted", bad)
		}
	}
}

func TestMarkerOf(t *testing.T) {
	body := "quoted: <!-- pwg:other --> inline\n\n" + issues.Marker("a1b2") + "\r\n"
	if id, ok := issues.MarkerOf(body); !ok || id != "a1b2" {
		t.Fatalf("MarkerOf = %q %v", id, ok)
	}
	if _, ok := issues.MarkerOf("no marker <!-- pwg:x --> here"); ok {
		t.Fatal("inline marker accepted")
	}
}

func TestNewGitHubNeedsToken(t *testing.T) {
	if _, err := issues.NewGitHub(issues.GitHubConfig{Repo: "acme/infra"}); !errors.Is(err, issues.ErrUnauthorized) {
		t.Fatalf("err %v", err)
	}
}

func TestCheck(t *testing.T) {
	e := newEnv(t)
	tr := e.tracker(t, e.satoTok)
	login, err := tr.Check(ctx(t))
	if err != nil || login != "sato" {
		t.Fatalf("Check = %q %v", login, err)
	}
	if !strings.Contains(tr.Name(), "/acme/infra") {
		t.Fatalf("Name %q", tr.Name())
	}
	if _, err := e.tracker(t, "ghp_bad").Check(ctx(t)); !errors.Is(err, issues.ErrUnauthorized) {
		t.Fatalf("bad token: %v", err)
	}
	other, err := issues.NewGitHub(issues.GitHubConfig{BaseURL: e.srv.URL, Token: e.satoTok, Repo: "acme/nope"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Check(ctx(t)); !errors.Is(err, issues.ErrNotFound) {
		t.Fatalf("missing repo: %v", err)
	}
}

// TestLinksIntoARealSeries writes the links through *minutes.Series.
func TestLinksIntoARealSeries(t *testing.T) {
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "佐藤"})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.Setup("Platform", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	s, err := ws.Series()
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"閾値を見直す", "監視を削除"} {
		if _, err := s.PutActionItem(minutes.ActionItem{Title: title, Owner: "佐藤"}); err != nil {
			t.Fatal(err)
		}
	}
	its, err := s.ActionItems()
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	ex := e.exporter(t, e.satoTok, s)
	rep, err := ex.Run(ctx(t), its, nil)
	if err != nil || len(rep.Failed()) != 0 {
		t.Fatalf("%v %+v", err, rep.Failed())
	}
	its, err = s.ActionItems()
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range its {
		if it.IssueURL == "" || it.IssueURL != rep.URLs()[it.ID] {
			t.Fatalf("item %s: IssueURL %q, report %q", it.ID, it.IssueURL, rep.URLs()[it.ID])
		}
	}
	rep, err = ex.Run(ctx(t), its, nil)
	if err != nil || rep.Count(issues.ActionAlreadyLinked) != 2 || e.srv.CountCalls(githubtest.OpCreate) != 2 {
		t.Fatalf("second run: %v %+v", err, rep.Results)
	}
}
