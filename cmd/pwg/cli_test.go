package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/crdt/minutes"
)

var pwgBin string

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		crashChild(dir) // never returns
	}
	dir, err := os.MkdirTemp("", "pwgbin")
	if err != nil {
		panic(err)
	}
	pwgBin = filepath.Join(dir, "pwg")
	out, err := exec.Command("go", "build", "-o", pwgBin, ".").CombinedOutput()
	if err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// pwg runs the real binary on workspace ws.
func pwg(t *testing.T, ws, stdin string, args ...string) (string, string, int) {
	t.Helper()
	return runPwg(t, "", ws, stdin, args...)
}

// runPwg runs the real binary on workspace ws from the working folder dir
// ("": this test's).
func runPwg(t *testing.T, dir, ws, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(pwgBin, append([]string{"--workspace", ws}, args...)...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// heldOpen opens a workspace with a meeting in this process and serves
// its control socket, as a running pwg window does, until stop.
func heldOpen(t *testing.T) (dir string, ws *minutes.Workspace, m *minutes.Meeting, stop func()) {
	t.Helper()
	dir = t.TempDir()
	ws, err := minutes.Open(dir, minutes.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	if err := ensureTeam(ws); err != nil {
		t.Fatal(err)
	}
	if m, err = ws.NewMeeting("held open", "2026-11-24"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := serveControl(ctx, ws, &globals{}); err != nil {
		t.Fatal(err)
	}
	return dir, ws, m, cancel
}

func TestMeetingRoundTripThroughBinary(t *testing.T) {
	ws := t.TempDir()
	out, errs, code := pwg(t, ws, "", "meeting", "new", "--title", "PWG 11月", "--date", "2026-11-24")
	if code != 0 {
		t.Fatalf("meeting new: %d %s", code, errs)
	}
	id := strings.TrimSpace(out)
	if !docid.Valid(id) {
		t.Fatalf("meeting new printed %q, not an id", id)
	}
	if _, errs, code := pwg(t, ws, "", "section", "write", id, "topics", "--append", "DBのp99が悪化"); code != 0 {
		t.Fatalf("section write: %d %s", code, errs)
	}
	if _, errs, code := pwg(t, ws, "キャンペーン予定\n", "section", "write", id, "changes"); code != 0 {
		t.Fatalf("section write from stdin: %d %s", code, errs)
	}
	md, _, code := pwg(t, ws, "", "meeting", "show", id)
	if code != 0 || !strings.Contains(md, "DBのp99が悪化") || !strings.Contains(md, "# PWG 11月") {
		t.Fatalf("meeting show md (%d):\n%s", code, md)
	}
	js, _, code := pwg(t, ws, "", "meeting", "show", id, "--format", "json")
	if code != 0 {
		t.Fatalf("meeting show json: %d", code)
	}
	var got meetingJSON
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatalf("json: %v\n%s", err, js)
	}
	notes := map[string]string{}
	for _, s := range got.Sections {
		notes[s.Key] = s.Notes
	}
	if notes["topics"] != "DBのp99が悪化" || notes["changes"] != "キャンペーン予定\n" {
		t.Fatalf("sections: %q", notes)
	}
	list, _, _ := pwg(t, ws, "", "meeting", "list")
	if !strings.Contains(list, id) || !strings.Contains(list, "2026-11-24") {
		t.Fatalf("meeting list: %s", list)
	}
}

func TestExitCodes(t *testing.T) {
	ws := t.TempDir()
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"meeting", "show", "nosuch"}, exitNotFound, "not found"},
		{[]string{"meeting", "new", "--title", "x"}, exitUsage, "--date"},
		{[]string{"meeting", "new", "--title", "x", "--date", "24/11/2026"}, exitUsage, "YYYY-MM-DD"},
		{[]string{"frobnicate"}, exitUsage, "unknown command"},
		{[]string{"meeting", "list", "--bogus"}, exitUsage, "unknown flag"},
		{[]string{"meeting"}, exitUsage, "list, new"},
	}
	for _, c := range cases {
		_, errs, code := pwg(t, ws, "", c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d %q, want %d containing %q", c.args, code, errs, c.code, c.msg)
		}
	}
}

func TestCommandsReachTheRunningPwg(t *testing.T) {
	dir, _, m, cancel := heldOpen(t)
	if _, errs, code := pwg(t, dir, "", "section", "write", m.ID(), "alerts", "--append", "noisy monitor"); code != 0 {
		t.Fatalf("forwarded write: %d %s", code, errs)
	}
	got, _ := m.Notes("alerts")
	if got != "noisy monitor" {
		t.Fatalf("running workspace holds %q", got)
	}
	cancel()
	// Without the control socket a second process is refused, clearly.
	os.Remove(filepath.Join(dir, controlSocket))
	_, errs, code := pwg(t, dir, "", "meeting", "list")
	if code != exitBusy || !strings.Contains(errs, "open in another pwg") {
		t.Fatalf("second process: exit %d %q", code, errs)
	}
}

// TestHelpAndCompletion: the help lists every registered command, a
// command's help shows its flags, and the shell completion completes
// command names.
func TestHelpAndCompletion(t *testing.T) {
	ws := t.TempDir()
	out, _, code := pwg(t, ws, "", "help")
	if code != exitOK {
		t.Fatalf("help: exit %d", code)
	}
	for _, c := range commands {
		if !strings.Contains(out, "\n  pwg "+c.path) {
			t.Errorf("help lacks pwg %s:\n%s", c.path, out)
		}
	}
	out, _, code = pwg(t, ws, "", "meeting", "show", "--help")
	if code != exitOK || !strings.Contains(out, "--format") || !strings.Contains(out, "--workspace") {
		t.Fatalf("meeting show --help: exit %d\n%s", code, out)
	}
	out, _, code = pwg(t, ws, "", "completion", "bash")
	if code != exitOK || !strings.Contains(out, "complete") {
		t.Fatalf("completion bash: exit %d\n%.200s", code, out)
	}
	out, _, code = pwg(t, ws, "", "__complete", "me")
	if code != exitOK || !strings.Contains(out, "meeting") {
		t.Fatalf("completing \"me\": exit %d\n%s", code, out)
	}
}
