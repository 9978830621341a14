package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pwg-team/pwg/integrations/issues/githubtest"
)

func TestExportMarkdownThroughBinary(t *testing.T) {
	ws := t.TempDir()
	out, _, _ := pwg(t, ws, "", "meeting", "new", "--title", "PWG 11月", "--date", "2026-11-24")
	id := strings.TrimSpace(out)
	pwg(t, ws, "", "section", "write", id, "incidents", "--append", "API 5xx | DB 枯渇")
	dir := t.TempDir()
	file, errs, code := pwg(t, ws, "", "export", "md", id, "-o", dir)
	if code != 0 {
		t.Fatalf("export md: %d %s", code, errs)
	}
	b, err := os.ReadFile(strings.TrimSpace(file))
	if err != nil {
		t.Fatalf("exported file %q: %v", file, err)
	}
	if !strings.Contains(string(b), "API 5xx | DB 枯渇") || !strings.Contains(string(b), "PWG 11月") {
		t.Fatalf("export:\n%s", b)
	}
	if filepath.Dir(strings.TrimSpace(file)) != dir {
		t.Fatalf("written to %s, want in %s", file, dir)
	}
}

func TestExportIssuesExactlyOnceThroughBinary(t *testing.T) {
	gh := githubtest.NewServer()
	defer gh.Close()
	token := gh.AddUser("sato")
	gh.AddRepo("web", "infra", "sato")

	ws := t.TempDir()
	out, _, _ := pwg(t, ws, "", "meeting", "new", "--title", "PWG", "--date", "2026-11-24")
	id := strings.TrimSpace(out)
	if _, errs, code := pwg(t, ws, "", "action", "add", id, "--title", "証明書更新の自動化", "--owner", "sato", "--due", "2026-12-15", "--done-criteria", "手作業ゼロ"); code != 0 {
		t.Fatalf("action add: %s", errs)
	}
	// Not configured yet: a message that says what to do.
	_, errs, code := pwg(t, ws, "", "export", "issues", id)
	if code == 0 || !strings.Contains(errs, "pwg config github") {
		t.Fatalf("unconfigured export: %d %q", code, errs)
	}
	if _, errs, code := pwg(t, ws, "", "config", "github", "--repo", "web/infra", "--base-url", gh.URL); code != 0 {
		t.Fatalf("config: %s", errs)
	}
	// A bad token: a per-item 401, nothing created.
	pwg(t, ws, "bogus", "config", "github-token")
	_, _, code = pwg(t, ws, "", "export", "issues", id)
	if code == 0 || len(gh.Issues("web", "infra")) != 0 {
		t.Fatalf("bad token: exit %d, issues %d", code, len(gh.Issues("web", "infra")))
	}
	if _, errs, code := pwg(t, ws, token+"\n", "config", "github-token"); code != 0 {
		t.Fatalf("token: %s", errs)
	}
	for i := 0; i < 2; i++ {
		out, errs, code := pwg(t, ws, "", "export", "issues", id)
		if code != 0 {
			t.Fatalf("export issues run %d: %d %s\n%s", i, code, errs, out)
		}
	}
	is := gh.Issues("web", "infra")
	if len(is) != 1 || is[0].Title != "証明書更新の自動化" {
		t.Fatalf("issues after two exports: %+v", is)
	}
	list, _, _ := pwg(t, ws, "", "action", "list")
	if !strings.Contains(list, "/web/infra/issues/1") {
		t.Fatalf("issue link not written back: %s", list)
	}
}
