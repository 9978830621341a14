package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/search"
	"github.com/pwg-team/pwg/crdt/toil"
	"github.com/pwg-team/pwg/integrations/issues/githubtest"
)

// pwgIn runs the binary on workspace ws from the working folder dir.
func pwgIn(t *testing.T, dir, ws string, args ...string) (string, string, int) {
	t.Helper()
	return runPwg(t, dir, ws, "", args...)
}

func mustPwg(t *testing.T, ws string, args ...string) string {
	t.Helper()
	out, errs, code := pwg(t, ws, "", args...)
	if code != 0 {
		t.Fatalf("pwg %v: exit %d: %s", args, code, errs)
	}
	return out
}

func TestSearchToilExportImportThroughBinary(t *testing.T) {
	ws := t.TempDir()
	logs := map[string]string{
		"2026-09-10": "- 9/3 api-2 の証明書を手動で更新した",
		"2026-10-08": "- 10/1 api-3 の証明書を手動で更新した",
		"2026-11-12": "- 11/2 api-4 の証明書を手動で更新した",
	}
	var ids []string
	for _, date := range []string{"2026-09-10", "2026-10-08", "2026-11-12"} {
		id := strings.TrimSpace(mustPwg(t, ws, "meeting", "new", "--title", "PWG "+date[:7], "--date", date))
		ids = append(ids, id)
		mustPwg(t, ws, "section", "write", id, "worklog", "--append", logs[date])
	}
	mustPwg(t, ws, "section", "write", ids[2], "alerts", "--append", "Restarted the batch server: OOM on db-2")

	// Search: Japanese without spaces, English, a two-character word.
	var hits []search.Hit
	if err := json.Unmarshal([]byte(mustPwg(t, ws, "search", "証明書", "--json")), &hits); err != nil {
		t.Fatal(err)
	}
	if len(hits) != 3 || hits[0].Date != "2026-11-12" || hits[0].Section != "worklog" || hits[0].Line != logs["2026-11-12"] {
		t.Errorf("search 証明書 = %+v", hits)
	}
	if out := mustPwg(t, ws, "search", "batch", "server"); !strings.Contains(out, "Restarted the batch server") || !strings.Contains(out, "PWG 2026-11") {
		t.Errorf("search batch server:\n%s", out)
	}
	if out := mustPwg(t, ws, "search", "OOM", "--json"); !strings.Contains(out, "db-2") {
		t.Errorf("search OOM (LIKE): %s", out)
	}
	if out := mustPwg(t, ws, "search", "--json", "存在しない言葉"); strings.TrimSpace(out) != "[]" {
		t.Errorf("search with no hit printed %q, want []", out)
	}
	if _, _, code := pwg(t, ws, "", "search"); code != exitUsage {
		t.Errorf("search without words: exit %d, want %d", code, exitUsage)
	}

	// Toil: the certificate renewal recurs in three meetings.
	var cands []toil.Reviewed
	if err := json.Unmarshal([]byte(mustPwg(t, ws, "review", "toil", "--json")), &cands); err != nil {
		t.Fatal(err)
	}
	if len(cands) != 1 || cands[0].Meetings != 3 || len(cands[0].Seen) != 3 || cands[0].Covered {
		t.Fatalf("toil = %+v", cands)
	}
	mustPwg(t, ws, "action", "add", ids[2], "--title", "Automate or eliminate (toil): "+cands[0].Title)
	if out := mustPwg(t, ws, "review", "toil"); !strings.Contains(out, "in 3 meetings  [action item exists]") {
		t.Errorf("review toil after the action item:\n%s", out)
	}

	// Export to a relative file name, import into another workspace, twice.
	cwd := t.TempDir()
	out, errs, code := pwgIn(t, cwd, ws, "export", "automerge", ids[1], "-o", "oct.automerge")
	if code != 0 {
		t.Fatalf("export automerge: %d %s", code, errs)
	}
	if strings.TrimSpace(out) != filepath.Join(cwd, "oct.automerge") {
		t.Errorf("export printed %q", out)
	}
	// A fresh workspace: a refused file makes no team; a good one does.
	fresh := t.TempDir()
	if err := os.WriteFile(filepath.Join(cwd, "junk.automerge"), []byte("junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, code := pwgIn(t, cwd, fresh, "import", "junk.automerge"); code != exitFailed {
		t.Errorf("junk into a fresh workspace: exit %d", code)
	}
	if out := mustPwg(t, fresh, "meeting", "list"); out != "" {
		t.Errorf("a refused file made meetings: %q", out)
	}
	if out, errs, code := pwgIn(t, cwd, fresh, "import", "oct.automerge"); code != 0 || !strings.HasPrefix(out, "added as a new meeting") {
		t.Errorf("import into a fresh workspace: %d %q %s", code, out, errs)
	}
	other := t.TempDir()
	mustPwg(t, other, "meeting", "new", "--title", "Other team's PWG", "--date", "2026-12-01")
	out, errs, code = pwgIn(t, cwd, other, "import", "oct.automerge")
	if code != 0 || !strings.HasPrefix(out, "added as a new meeting: 2026-10-08 PWG 2026-10") {
		t.Fatalf("import: %d %q %s", code, out, errs)
	}
	out, _, _ = pwgIn(t, cwd, other, "import", "oct.automerge")
	if !strings.HasPrefix(out, "nothing new for") {
		t.Errorf("second import: %q", out)
	}
	if out := mustPwg(t, other, "search", "api-3"); !strings.Contains(out, logs["2026-10-08"]) {
		t.Errorf("imported meeting not found by search:\n%s", out)
	}
	list := mustPwg(t, other, "meeting", "list")
	if n := strings.Count(list, "PWG 2026-10"); n != 1 {
		t.Errorf("meeting list after two imports has the meeting %d times:\n%s", n, list)
	}

	// A file that is not minutes: a clear message, exit 1, nothing changed.
	if err := os.WriteFile(filepath.Join(cwd, "notes.md"), []byte("# not automerge\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errs, code = pwgIn(t, cwd, other, "import", "notes.md")
	if code != exitFailed || !strings.Contains(errs, "not an Automerge file") {
		t.Errorf("import of Markdown: exit %d %q", code, errs)
	}
	if again := mustPwg(t, other, "meeting", "list"); again != list {
		t.Errorf("a refused import changed the meetings:\n%s", again)
	}
	if _, errs, code = pwgIn(t, cwd, other, "import", "missing.automerge"); code != exitFailed || !strings.Contains(errs, "missing.automerge") {
		t.Errorf("import of a missing file: exit %d %q", code, errs)
	}
}

// File names are relative to the folder the command was typed in, also
// when a running pwg carries the command out.
func TestForwardedFileCommandsUseTheCallersFolder(t *testing.T) {
	dir, ws, m, _ := heldOpen(t)
	if err := m.AppendNotes("topics", "キャッシュのヒット率が下がった"); err != nil {
		t.Fatal(err)
	}
	defer keepSearchIndex(ws, nil)()
	cwd := t.TempDir()
	if _, errs, code := pwgIn(t, cwd, dir, "export", "automerge", m.ID(), "-o", "copy.automerge"); code != 0 {
		t.Fatalf("forwarded export: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(cwd, "copy.automerge")); err != nil {
		t.Fatalf("export did not land in the caller's folder: %v", err)
	}
	out, errs, code := pwgIn(t, cwd, dir, "import", "copy.automerge")
	if code != 0 || !strings.HasPrefix(out, "nothing new for") {
		t.Errorf("forwarded import: %d %q %s", code, out, errs)
	}
	if out, _, _ := pwgIn(t, cwd, dir, "search", "ヒット率"); !strings.Contains(out, "キャッシュのヒット率が下がった") {
		t.Errorf("forwarded search:\n%s", out)
	}
}

func TestConfigPostmortemLabel(t *testing.T) {
	ws := t.TempDir()
	if out := mustPwg(t, ws, "config", "github", "--repo", "acme/infra"); !strings.Contains(out, "postmortem-label=postmortem") {
		t.Errorf("default label: %s", out)
	}
	if out := mustPwg(t, ws, "config", "github", "--postmortem-label", "incident"); !strings.Contains(out, "postmortem-label=incident") || !strings.Contains(out, "repo=acme/infra") {
		t.Errorf("set label: %s", out)
	}
	if out := mustPwg(t, ws, "config", "github", "--labels", "pwg,todo"); !strings.Contains(out, "postmortem-label=incident") {
		t.Errorf("label kept: %s", out)
	}
}

func TestReviewCarryOverAndPostmortemsThroughBinary(t *testing.T) {
	gh := githubtest.NewServer()
	defer gh.Close()
	token := gh.AddUser("sato")
	suzuki := gh.AddUser("suzuki")
	gh.AddRepo("web", "infra", "sato", "suzuki")
	ws := t.TempDir()
	nov := strings.TrimSpace(mustPwg(t, ws, "meeting", "new", "--title", "PWG 2026-11", "--date", "2026-11-12"))
	mustPwg(t, ws, "config", "github", "--repo", "web/infra", "--base-url", gh.URL)
	if _, errs, code := pwg(t, ws, token+"\n", "config", "github-token"); code != 0 {
		t.Fatal(errs)
	}
	mustPwg(t, ws, "action", "add", nov, "--title", "証明書の自動更新")
	mustPwg(t, ws, "action", "add", nov, "--title", "閾値を見直す")
	mustPwg(t, ws, "export", "issues", nov)
	// suzuki closes the first issue on GitHub.
	req, _ := http.NewRequest(http.MethodPatch, gh.URL+"repos/web/infra/issues/1", strings.NewReader(`{"state":"closed"}`))
	req.Header.Set("Authorization", "Bearer "+suzuki)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("close issue 1: %v %v", resp, err)
	}
	resp.Body.Close()
	gh.PutIssue("web", "infra", githubtest.Issue{Title: "API 障害 ポストモーテム", Labels: []string{"postmortem"},
		Created: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC), Body: "- [ ] コネクションプールの上限を見直す\n- [x] 暫定対応"})
	dec := strings.TrimSpace(mustPwg(t, ws, "meeting", "new", "--title", "PWG 2026-12", "--date", "2026-12-17"))

	var rows []struct {
		Item struct {
			Title  string `json:"title"`
			Status string `json:"status"`
		} `json:"item"`
		Issue *struct {
			Open     bool   `json:"open"`
			ClosedBy string `json:"closedBy"`
		} `json:"issue"`
		OfferDone bool `json:"offerDone"`
	}
	if err := json.Unmarshal([]byte(mustPwg(t, ws, "review", "carry-over", dec, "--json")), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Issue == nil || rows[0].Issue.Open || rows[0].Issue.ClosedBy != "suzuki" || !rows[0].OfferDone ||
		rows[1].Issue == nil || !rows[1].Issue.Open || rows[1].OfferDone {
		t.Errorf("carry-over = %+v", rows)
	}
	gh.Inject(githubtest.Fault{Status: 500})
	if out := mustPwg(t, ws, "review", "carry-over", "--offline"); !strings.Contains(out, "closed by suzuki") || !strings.Contains(out, "mark it done?") {
		t.Errorf("offline carry-over:\n%s", out)
	}
	gh.ClearFaults()
	out := mustPwg(t, ws, "review", "postmortems")
	if !strings.Contains(out, "since 2026-11-12") || !strings.Contains(out, "API 障害 ポストモーテム") || !strings.Contains(out, "- [ ] コネクションプールの上限を見直す") || strings.Contains(out, "暫定対応") {
		t.Errorf("postmortems:\n%s", out)
	}
}
