package issues_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/issues"
	"github.com/pwg-team/pwg/integrations/issues/githubtest"
)

// runBoth runs two exporters (separate tokens, clients and link writers) at
// once over the same items and returns their reports and links.
func runBoth(t *testing.T, e *env, its []minutes.ActionItem) ([2]*issues.Report, [2]*links) {
	t.Helper()
	var reps [2]*issues.Report
	var lws [2]*links
	var errs [2]error
	var wg sync.WaitGroup
	for i, tok := range []string{e.satoTok, e.suzTok} {
		lws[i] = newLinks()
		ex := e.exporter(t, tok, lws[i])
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := append([]minutes.ActionItem(nil), its...)
			reps[i], errs[i] = ex.Run(ctx(t), mine, nil)
		}()
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("exporter %d: %v", i, errs[i])
		}
		if f := reps[i].Failed(); len(f) != 0 {
			t.Fatalf("exporter %d failed items: %+v", i, f)
		}
	}
	return reps, lws
}

// checkExactlyOnce asserts one open issue per item, both exporters linking
// it, and every closed duplicate carrying exactly one duplicate comment.
func checkExactlyOnce(t *testing.T, e *env, its []minutes.ActionItem, lws [2]*links) {
	t.Helper()
	open := e.openIssues()
	for _, it := range its {
		nums := open[it.ID]
		if len(nums) != 1 {
			t.Fatalf("item %s has open issues %v, want exactly one", it.ID, nums)
		}
		want := e.srv.URL + "acme/infra/issues/" + itoa(nums[0])
		for i, lw := range lws {
			if got := lw.get(it.ID); got != want {
				t.Fatalf("exporter %d linked %s to %q, want %q", i, it.ID, got, want)
			}
		}
	}
	for _, is := range e.srv.Issues("acme", "infra") {
		if is.State == "closed" && countDuplicateComments(is) != 1 {
			t.Fatalf("closed duplicate #%d has %d duplicate comments", is.Number, countDuplicateComments(is))
		}
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// TestCrossingCreationsKeepLowest forces the race: the fake holds each
// create until the other exporter's create for the same title has arrived,
// so both scanned before either created and both create every issue.
func TestCrossingCreationsKeepLowest(t *testing.T) {
	e := newEnv(t)
	its := items(4)
	var mu sync.Mutex
	arrived := map[string]chan struct{}{}
	count := map[string]int{}
	e.srv.SetHook(func(c githubtest.Call) {
		if c.Op != githubtest.OpCreate {
			return
		}
		mu.Lock()
		ch := arrived[c.Title]
		if ch == nil {
			ch = make(chan struct{})
			arrived[c.Title] = ch
		}
		count[c.Title]++
		if count[c.Title] == 2 {
			close(ch)
		}
		mu.Unlock()
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			t.Errorf("create of %q: the other exporter's create never came", c.Title)
		}
	})
	reps, lws := runBoth(t, e, its)

	if n := e.srv.CountCalls(githubtest.OpCreate); n != 2*len(its) {
		t.Fatalf("%d creates, want %d: the race was not forced", n, 2*len(its))
	}
	checkExactlyOnce(t, e, its, lws)
	// Per item one exporter kept its issue, the other closed its own.
	for i := range its {
		a, b := reps[0].Results[i], reps[1].Results[i]
		if len(a.Closed)+len(b.Closed) != 1 || a.URL != b.URL {
			t.Fatalf("item %s: results %+v / %+v", its[i].ID, a, b)
		}
	}
	if n := len(e.srv.Issues("acme", "infra")); n != 2*len(its) {
		t.Fatalf("%d issues in all", n)
	}

	// A third run sees everything linked and settled.
	for i := range its {
		its[i].IssueURL = lws[0].get(its[i].ID)
	}
	e.srv.SetHook(nil)
	rep, err := e.exporter(t, e.satoTok, newLinks()).Run(ctx(t), its, nil)
	if err != nil || rep.Count(issues.ActionAlreadyLinked) != len(its) {
		t.Fatalf("third run: %v %+v", err, rep.Results)
	}
	for _, r := range rep.Results {
		if len(r.Closed) != 0 {
			t.Fatalf("third run closed %v", r.Closed)
		}
	}
}

// TestConcurrentExportersUnforced lets two exporters run freely, many
// times: whatever the interleaving, one open issue per item.
func TestConcurrentExportersUnforced(t *testing.T) {
	for round := range 15 {
		e := newEnv(t)
		its := items(3)
		_, lws := runBoth(t, e, its)
		checkExactlyOnce(t, e, its, lws)
		if t.Failed() {
			t.Fatalf("round %d", round)
		}
	}
}

// lossyTransport forwards requests but loses the answer of the first
// create: the issue exists, the client sees an error.
type lossyTransport struct {
	mu   sync.Mutex
	lost bool
}

func (l *lossyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err == nil && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/issues") && !l.lost {
		l.lost = true
		resp.Body.Close()
		return nil, errors.New("connection reset by peer")
	}
	return resp, err
}

func TestLostCreateAnswerIsLinkedNotRecreated(t *testing.T) {
	e := newEnv(t)
	tr, err := issues.NewGitHub(issues.GitHubConfig{BaseURL: e.srv.URL, Token: e.satoTok, Repo: "acme/infra",
		HTTPClient: &http.Client{Transport: &lossyTransport{}}})
	if err != nil {
		t.Fatal(err)
	}
	lw := newLinks()
	rep, err := (&issues.Exporter{Tracker: tr, Links: lw}).Run(context.Background(), items(2), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	if r.Err != nil || r.Action != issues.ActionLinkExisting || r.Number != 1 {
		t.Fatalf("result %+v", r)
	}
	if n := len(e.srv.Issues("acme", "infra")); n != 2 {
		t.Fatalf("%d issues, want 2", n)
	}
	if lw.get("item00") != e.srv.URL+"acme/infra/issues/1" {
		t.Fatalf("link %q", lw.get("item00"))
	}
}
