package issues_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/issues"
	"github.com/pwg-team/pwg/integrations/issues/githubtest"
)

func TestPlanThenRun(t *testing.T) {
	e := newEnv(t)
	its := items(3)
	its = append(its,
		minutes.ActionItem{ID: "done1", Title: "済んだもの", Status: minutes.ActionDone},
		minutes.ActionItem{ID: "linked1", Title: "リンク済み", Status: minutes.ActionOpen, IssueURL: "https://github.com/acme/infra/issues/999"},
	)
	lw := newLinks()
	ex := e.exporter(t, e.satoTok, lw)

	plan, err := ex.Plan(ctx(t), its)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Count(issues.ActionCreate) != 3 || plan.Count(issues.ActionSkip) != 1 || plan.Count(issues.ActionAlreadyLinked) != 1 {
		t.Fatalf("plan: %+v", plan.Items)
	}
	if n := len(e.srv.Issues("acme", "infra")); n != 0 {
		t.Fatalf("Plan created %d issues", n)
	}
	first := plan.Items[0].New
	if first.Title != "TODO 0: 閾値を見直す" || !slices.Equal(first.Labels, []string{"pwg"}) || !slices.Equal(first.Assignees, []string{"sato"}) {
		t.Fatalf("planned issue %+v", first)
	}
	if plan.Items[2].New.Assignees != nil {
		t.Fatalf("owner without a login assigned: %v", plan.Items[2].New.Assignees)
	}

	var progress []issues.Progress
	rep, err := ex.Run(ctx(t), its, func(p issues.Progress) { progress = append(progress, p) })
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed()) != 0 {
		t.Fatalf("failed: %+v", rep.Failed())
	}
	if rep.Count(issues.ActionCreate) != 3 || len(rep.URLs()) != 4 {
		t.Fatalf("report %+v", rep.Results)
	}
	if len(progress) != 2*len(its) || progress[len(progress)-1].Done != len(its) || progress[0].Result != nil || progress[1].Result == nil {
		t.Fatalf("progress %+v", progress)
	}

	got := e.srv.Issues("acme", "infra")
	if len(got) != 3 {
		t.Fatalf("%d issues, want 3", len(got))
	}
	is := got[0]
	for _, want := range []string{"佐藤 (@sato)", "2026-12-15", "2026年11月 PWG (2026-11-24)", "出たTODOのIssue化",
		"### Done criteria\n\nアラートが週1件以下", "https://github.com/acme/infra/blob/main/pwg/2026-11-24.md", "<!-- pwg:item00 -->\n"} {
		if !strings.Contains(is.Body, want) {
			t.Errorf("issue body lacks %q:\n%s", want, is.Body)
		}
	}
	if !slices.Equal(is.Labels, []string{"pwg"}) || !slices.Equal(is.Assignees, []string{"sato"}) {
		t.Errorf("issue labels %v assignees %v", is.Labels, is.Assignees)
	}
	if !slices.Equal(got[1].Assignees, []string{"suzuki"}) {
		t.Errorf("owner given by member ID not assigned: %v", got[1].Assignees)
	}
	for i, it := range its[:3] {
		want := e.srv.URL + "acme/infra/issues/" + string(rune('1'+i))
		if lw.get(it.ID) != want || rep.URLs()[it.ID] != want {
			t.Errorf("%s linked to %q (report %q), want %q", it.ID, lw.get(it.ID), rep.URLs()[it.ID], want)
		}
	}
	if lw.get("done1") != "" || lw.get("linked1") != "" {
		t.Error("skipped or already linked items were written")
	}

	// A second run with the links written creates nothing.
	for i := range its[:3] {
		its[i].IssueURL = lw.get(its[i].ID)
	}
	rep, err = ex.Run(ctx(t), its, nil)
	if err != nil || rep.Count(issues.ActionAlreadyLinked) != 4 {
		t.Fatalf("second run: %v %+v", err, rep.Results)
	}
	if n := e.srv.CountCalls(githubtest.OpCreate); n != 3 {
		t.Fatalf("%d creates after two runs, want 3", n)
	}
}

// TestRerunLinksIssueWhoseLinkWasNotWritten: the link write fails after the
// issue exists; search never sees the issue; the rerun finds it in the list
// by its marker and links it instead of creating a second one.
func TestRerunLinksIssueWhoseLinkWasNotWritten(t *testing.T) {
	e := newEnv(t)
	e.srv.SetSearchLag(-1)
	its := items(2)
	lw := newLinks()
	lw.fail["item01"] = errors.New("disk full")
	ex := e.exporter(t, e.satoTok, lw)
	rep, err := ex.Run(ctx(t), its, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f := rep.Failed(); len(f) != 1 || f[0].ItemID != "item01" || !strings.Contains(f[0].Err.Error(), "disk full") {
		t.Fatalf("failed %+v", f)
	}
	its[0].IssueURL = lw.get("item00")
	rep, err = ex.Run(ctx(t), its, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Results[1].Action != issues.ActionLinkExisting || rep.Results[1].Err != nil || rep.Results[1].Number != 2 {
		t.Fatalf("rerun result %+v", rep.Results[1])
	}
	if lw.get("item01") != e.srv.URL+"acme/infra/issues/2" {
		t.Fatalf("item01 linked to %q", lw.get("item01"))
	}
	if n := e.srv.CountCalls(githubtest.OpCreate); n != 2 {
		t.Fatalf("%d creates, want 2", n)
	}
}

func TestBadTokenReportedPerItem(t *testing.T) {
	e := newEnv(t)
	ex := e.exporter(t, "ghp_revoked", newLinks())
	rep, err := ex.Run(ctx(t), items(3), nil)
	if !errors.Is(err, issues.ErrUnauthorized) {
		t.Fatalf("Run error %v, want ErrUnauthorized", err)
	}
	if len(rep.Failed()) != 3 {
		t.Fatalf("failed %d items, want 3", len(rep.Failed()))
	}
	for _, r := range rep.Results {
		if !errors.Is(r.Err, issues.ErrUnauthorized) {
			t.Fatalf("item %s: %v", r.ItemID, r.Err)
		}
	}
	if len(e.srv.Issues("acme", "infra")) != 0 {
		t.Fatal("issues created with a bad token")
	}
}

func TestValidationErrorPerItemAndRetry(t *testing.T) {
	e := newEnv(t)
	e.srv.Inject(githubtest.Fault{Op: githubtest.OpCreate, Status: 422, Skip: 1, Times: 1})
	its := items(3)
	lw := newLinks()
	rep, err := e.exporter(t, e.satoTok, lw).Run(ctx(t), its, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := rep.Failed()
	if len(f) != 1 || f[0].ItemID != "item01" || !errors.Is(f[0].Err, issues.ErrValidation) {
		t.Fatalf("failed %+v", f)
	}
	var api *issues.APIError
	if !errors.As(f[0].Err, &api) || api.Status != 422 || len(api.Details) != 1 {
		t.Fatalf("422 details: %#v", f[0].Err)
	}
	if lw.get("item00") == "" || lw.get("item02") == "" || lw.get("item01") != "" {
		t.Fatalf("links %v", lw.urls)
	}
	for i := range its {
		its[i].IssueURL = lw.get(its[i].ID)
	}
	rep, err = e.exporter(t, e.satoTok, lw).Run(ctx(t), its, nil)
	if err != nil || len(rep.Failed()) != 0 || rep.Count(issues.ActionCreate) != 1 {
		t.Fatalf("retry: %v %+v", err, rep.Results)
	}
	if n := len(e.srv.Issues("acme", "infra")); n != 3 {
		t.Fatalf("%d issues, want 3", n)
	}
}

func TestUnknownAssigneeIs422(t *testing.T) {
	e := newEnv(t)
	ex := e.exporter(t, e.satoTok, newLinks())
	ex.Logins = map[string]string{"佐藤": "sato-old-login"}
	rep, err := ex.Run(ctx(t), items(1), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	if !errors.Is(r.Err, issues.ErrValidation) || !strings.Contains(r.Err.Error(), "assignees invalid") {
		t.Fatalf("result %+v", r)
	}
}

func TestPrimaryRateLimitStopsTheRun(t *testing.T) {
	e := newEnv(t)
	reset := time.Now().Add(20 * time.Minute).Truncate(time.Second)
	e.srv.Inject(githubtest.Fault{Op: githubtest.OpCreate, Status: 403, Reset: reset, Skip: 1})
	its := items(4)
	lw := newLinks()
	rep, err := e.exporter(t, e.satoTok, lw).Run(ctx(t), its, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Results[0].Err != nil {
		t.Fatalf("first item: %v", rep.Results[0].Err)
	}
	for _, r := range rep.Results[1:] {
		var rl *issues.RateLimitError
		if !errors.As(r.Err, &rl) || !errors.Is(r.Err, issues.ErrRateLimited) || !rl.Reset.Equal(reset) {
			t.Fatalf("item %s: %v, want rate limit until %v", r.ItemID, r.Err, reset)
		}
	}
	if n := e.srv.CountCalls(githubtest.OpCreate); n != 2 {
		t.Fatalf("%d create requests, want 2: the run must stop calling after a rate limit", n)
	}
	// After the reset (a fresh client, the fault cleared) a rerun resumes.
	e.srv.ClearFaults()
	its[0].IssueURL = lw.get("item00")
	rep, err = e.exporter(t, e.satoTok, lw).Run(ctx(t), its, nil)
	if err != nil || len(rep.Failed()) != 0 || rep.Count(issues.ActionCreate) != 3 {
		t.Fatalf("resume: %v %+v", err, rep.Results)
	}
	if open := e.openIssues(); len(open) != 4 {
		t.Fatalf("open issues %v", open)
	}
}

func TestSecondaryRateLimit429(t *testing.T) {
	e := newEnv(t)
	e.srv.Inject(githubtest.Fault{Op: githubtest.OpCreate, Status: 429, RetryAfter: 90 * time.Second})
	rep, err := e.exporter(t, e.satoTok, newLinks()).Run(ctx(t), items(2), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		var rl *issues.RateLimitError
		if !errors.As(r.Err, &rl) || !rl.Secondary || time.Until(rl.Reset) < 60*time.Second {
			t.Fatalf("item %s: %v", r.ItemID, r.Err)
		}
	}
	if n := e.srv.CountCalls(githubtest.OpCreate); n != 1 {
		t.Fatalf("%d create requests after a 429, want 1", n)
	}
}

// TestDuplicatesLeftByACrashAreClosed: two marked issues exist for an item
// (a crossing whose loser crashed before closing its own); the item is
// linked to the higher one. The run closes the higher and relinks.
func TestDuplicatesLeftByACrashAreClosed(t *testing.T) {
	e := newEnv(t)
	body := "x\n\n" + issues.Marker("item00") + "\n"
	e.srv.PutIssue("acme", "infra", githubtest.Issue{Title: "unrelated"})
	low := e.srv.PutIssue("acme", "infra", githubtest.Issue{Title: "TODO 0", Body: body})
	high := e.srv.PutIssue("acme", "infra", githubtest.Issue{Title: "TODO 0", Body: body})
	its := items(1)
	its[0].IssueURL = e.srv.URL + "acme/infra/issues/" + string(rune('0'+high))
	lw := newLinks()
	ex := e.exporter(t, e.satoTok, lw)
	plan, err := ex.Plan(ctx(t), its)
	if err != nil {
		t.Fatal(err)
	}
	if pi := plan.Items[0]; pi.Action != issues.ActionAlreadyLinked || !pi.Relink || pi.Issue.Number != low || len(pi.Duplicates) != 1 {
		t.Fatalf("plan %+v", pi)
	}
	rep, err := ex.Run(ctx(t), its, nil)
	if err != nil || rep.Results[0].Err != nil {
		t.Fatal(err, rep.Results[0].Err)
	}
	if !slices.Equal(rep.Results[0].Closed, []int{high}) || lw.get("item00") != e.srv.URL+"acme/infra/issues/2" {
		t.Fatalf("result %+v, link %q", rep.Results[0], lw.get("item00"))
	}
	got := e.srv.Issues("acme", "infra")[high-1]
	if got.State != "closed" || got.StateReason != "not_planned" || countDuplicateComments(got) != 1 {
		t.Fatalf("duplicate %+v", got)
	}
}

func TestBadItemID(t *testing.T) {
	e := newEnv(t)
	_, err := e.exporter(t, e.satoTok, nil).Plan(ctx(t), []minutes.ActionItem{{ID: "x -->", Title: "t", Status: minutes.ActionOpen}})
	if err == nil {
		t.Fatal("an ID that would break the marker was accepted")
	}
}
