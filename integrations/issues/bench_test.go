package issues_test

import (
	"fmt"
	"testing"

	"github.com/pwg-team/pwg/integrations/issues"
	"github.com/pwg-team/pwg/integrations/issues/githubtest"
)

// BenchmarkRunOnBusyRepo exports 10 new items into a repository that
// already has 1,000 issues (10 pages to scan), over loopback HTTP.
func BenchmarkRunOnBusyRepo(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		srv := githubtest.NewServer()
		tok := srv.AddUser("sato")
		srv.AddRepo("acme", "infra", "sato")
		for i := range 1000 {
			srv.PutIssue("acme", "infra", githubtest.Issue{Title: fmt.Sprintf("old %d", i), Body: "old issue"})
		}
		tr, err := issues.NewGitHub(issues.GitHubConfig{BaseURL: srv.URL, Token: tok, Repo: "acme/infra"})
		if err != nil {
			b.Fatal(err)
		}
		ex := &issues.Exporter{Tracker: tr}
		b.StartTimer()
		rep, err := ex.Run(b.Context(), items(10), nil)
		if err != nil || len(rep.Failed()) != 0 {
			b.Fatal(err, rep.Failed())
		}
		b.StopTimer()
		b.ReportMetric(float64(srv.CountCalls(githubtest.OpList)), "list-requests/op")
		srv.Close()
		b.StartTimer()
	}
}
