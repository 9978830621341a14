package interop_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// jsFile runs minutesfile.mjs (the JS Automerge) and returns its stdout.
func jsFile(t *testing.T, node string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{"minutesfile.mjs"}, args...)...)
	cmd.Dir = interopDir()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node minutesfile.mjs %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

func fileWorkspace(t *testing.T) *minutes.Workspace {
	t.Helper()
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "Alice"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	if _, err := ws.Setup("Web team", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return ws
}

// A meeting made by the JS Automerge in pwg's schema imports as a new
// meeting of the team, once.
func TestImportMeetingMadeByJSAutomerge(t *testing.T) {
	node := needNode(t)
	ws := fileWorkspace(t)
	path := filepath.Join(t.TempDir(), "js.automerge")
	jsFile(t, node, "make", path, "JS PWG 2026-10", "2026-10-20", "- 証明書を手動で更新した")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ws.ImportMeeting(data)
	if err != nil {
		t.Fatal(err)
	}
	if !res.New || res.Title != "JS PWG 2026-10" || res.Date != "2026-10-20" {
		t.Errorf("import = %+v", res)
	}
	m, err := ws.Meeting(res.MeetingID)
	if err != nil {
		t.Fatal(err)
	}
	secs, err := m.Sections()
	if err != nil {
		t.Fatal(err)
	}
	if len(secs) != 2 || secs[0].Key != "worklog" || secs[0].Notes != "- 証明書を手動で更新した\n" {
		t.Errorf("sections = %+v", secs)
	}
	again, err := ws.ImportMeeting(data)
	if err != nil || again.New || again.Changed || again.MeetingID != res.MeetingID {
		t.Errorf("second import = %+v, %v", again, err)
	}
	infos, _ := ws.Meetings()
	if len(infos) != 2 {
		t.Errorf("%d meetings, want the team's first and the imported one", len(infos))
	}
}

// pwg's file is a standard Automerge document: the JS Automerge reads it,
// edits it, and pwg merges the edit back into the same meeting.
func TestMeetingFileThroughJSAutomerge(t *testing.T) {
	node := needNode(t)
	ws := fileWorkspace(t)
	infos, _ := ws.Meetings()
	m, err := ws.Meeting(infos[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.AppendNotes("topics", "- Alice: キャンペーンの準備"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "pwg.automerge")
	if err := os.WriteFile(out, m.SaveFile(), 0o600); err != nil {
		t.Fatal(err)
	}
	var read struct {
		Kind, Title, ID string
		Sections        map[string]struct{ Notes string }
	}
	if err := json.Unmarshal([]byte(jsFile(t, node, "read", out)), &read); err != nil {
		t.Fatal(err)
	}
	if read.Kind != "meeting" || read.Title != m.Title() || read.ID != m.ID() || read.Sections["topics"].Notes != "- Alice: キャンペーンの準備" {
		t.Errorf("JS read %+v", read)
	}
	edited := filepath.Join(dir, "edited.automerge")
	jsFile(t, node, "edit", out, edited, "topics", "- Bob (JS): 監視を追加する")
	if err := m.AppendNotes("worklog", "- meanwhile in pwg"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(edited)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ws.ImportMeeting(data)
	if err != nil {
		t.Fatal(err)
	}
	if res.New || !res.Changed || res.MeetingID != m.ID() {
		t.Errorf("import of the JS edit = %+v", res)
	}
	got, _ := m.Notes("topics")
	if got != "- Alice: キャンペーンの準備\n- Bob (JS): 監視を追加する\n" {
		t.Errorf("topics = %q", got)
	}
	if wl, _ := m.Notes("worklog"); wl != "- meanwhile in pwg" {
		t.Errorf("worklog = %q", wl)
	}
	if now, _ := ws.Meetings(); len(now) != len(infos) {
		t.Errorf("meetings %d → %d", len(infos), len(now))
	}
}
