package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/minutes"
)

// newMeetingWS makes a workspace with one meeting and returns its folder
// and the meeting id (the workspace is closed again).
func newMeetingWS(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	out, errs, code := pwg(t, dir, "", "meeting", "new", "--title", "PWG", "--date", "2026-11-24")
	if code != 0 {
		t.Fatalf("meeting new: %d %s", code, errs)
	}
	return dir, strings.TrimSpace(out)
}

// holdOpen opens the workspace in this process and serves its control
// socket, as a running pwg does; commands of the binary are forwarded here.
func holdOpen(t *testing.T, dir string) *minutes.Workspace {
	t.Helper()
	ws, err := minutes.Open(dir, minutes.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := serveControl(ctx, ws, &globals{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); ws.Close() })
	return ws
}

// TestBadInputSameDirectAndForwarded: invalid UTF-8, NUL, control
// characters in a title, text over the bound and dates outside 2000–2099
// are refused with exit 2 and a clear message, the same whether the command
// runs in its own process or is carried out by a running pwg (where invalid
// UTF-8 used to be stored as U+FFFD); nothing is written.
func TestBadInputSameDirectAndForwarded(t *testing.T) {
	big := strings.Repeat("a", minutes.MaxInsert+1) // one argument may hold 128 KiB
	cases := []struct {
		name  string
		stdin string
		args  func(id string) []string
		msg   string
	}{
		{"invalid UTF-8 append", "", func(id string) []string {
			return []string{"section", "write", id, "topics", "--append", "bad \xff\xfe"}
		}, "not valid UTF-8"},
		{"invalid UTF-8 title", "", func(string) []string {
			return []string{"meeting", "new", "--title", "x\xc3", "--date", "2026-11-24"}
		}, "not valid UTF-8"},
		{"invalid UTF-8 stdin", "bad \xff", func(id string) []string { return []string{"section", "write", id, "topics"} }, "not valid UTF-8"},
		{"NUL on stdin", "a\x00b", func(id string) []string { return []string{"section", "write", id, "topics"} }, "NUL"},
		{"newline in title", "", func(string) []string {
			return []string{"meeting", "new", "--title", "x\n\x1b[31mred", "--date", "2026-11-24"}
		}, "control character"},
		{"long title", "", func(string) []string {
			return []string{"meeting", "new", "--title", strings.Repeat("t", minutes.MaxTitle+1), "--date", "2026-11-24"}
		}, "at most"},
		{"long append", "", func(id string) []string { return []string{"section", "write", id, "topics", "--append", big} }, "at most"},
		{"long stdin", big, func(id string) []string { return []string{"section", "write", id, "topics"} }, "at most"},
		{"date 0000", "", func(string) []string { return []string{"meeting", "new", "--title", "x", "--date", "0000-01-01"} }, "outside"},
		{"date 9999", "", func(string) []string { return []string{"meeting", "new", "--title", "x", "--date", "9999-12-31"} }, "outside"},
		{"bad due", "", func(id string) []string { return []string{"action", "add", id, "--title", "x", "--due", "tomorrow"} }, "YYYY-MM-DD"},
		{"due 9999", "", func(id string) []string { return []string{"action", "add", id, "--title", "x", "--due", "9999-12-31"} }, "outside"},
	}
	for _, forwarded := range []bool{false, true} {
		dir, id := newMeetingWS(t)
		show := func() string {
			md, errs, code := pwg(t, dir, "", "meeting", "show", id, "--format", "json")
			if code != 0 {
				t.Fatalf("meeting show: %d %s", code, errs)
			}
			return md
		}
		list := func() string { out, _, _ := pwg(t, dir, "", "meeting", "list"); return out }
		if forwarded {
			holdOpen(t, dir)
		}
		before, beforeList := show(), list()
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s forwarded=%v", c.name, forwarded), func(t *testing.T) {
				_, errs, code := pwg(t, dir, c.stdin, c.args(id)...)
				if code != exitUsage || !strings.Contains(errs, c.msg) {
					t.Fatalf("exit %d %q, want %d with %q", code, errs, exitUsage, c.msg)
				}
			})
		}
		if after, afterList := show(), list(); after != before || afterList != beforeList {
			t.Fatalf("forwarded=%v: refused commands changed the workspace", forwarded)
		}
	}
}

// TestHugeStdinBounded: 50 MB on stdin is refused after reading a bounded
// prefix (it passed 4 GB of memory), with exit 2.
func TestHugeStdinBounded(t *testing.T) {
	dir, id := newMeetingWS(t)
	cmd := exec.Command(pwgBin, "--workspace", dir, "section", "write", id, "topics")
	cmd.Stdin = bytes.NewReader(bytes.Repeat([]byte("0123456789\n"), 50<<20/11))
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitUsage || !strings.Contains(errb.String(), "at most") {
		t.Fatalf("exit %v %q, want %d", err, errb.String(), exitUsage)
	}
	// 512 MiB: the race detector's shadow memory doubles a plain run's
	// peak (383 MiB seen with -race); the unbounded read passed 4 GB.
	if ru, ok := maxRSSKiB(ee); ok && ru > 512<<10 {
		t.Fatalf("max RSS %d KiB reading 50 MB of stdin", ru)
	}
}

// TestTitlesNeutralisedOnOutput: a title that arrived from a peer with a
// newline, a terminal escape and NUL prints as one line with the control
// characters escaped.
func TestTitlesNeutralisedOnOutput(t *testing.T) {
	dir := t.TempDir()
	ws, err := minutes.Open(dir, minutes.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ensureTeam(ws); err != nil {
		t.Fatal(err)
	}
	m, err := ws.NewMeeting("ok", "2026-11-24")
	if err != nil {
		t.Fatal(err)
	}
	// as a peer would write it into the team's list, below pwg's checks
	s, err := ws.Series()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Handle().Change("peer", func(d *automerge.Doc) error {
		mm, err := d.Path("meetings", m.ID()).Get()
		if err != nil {
			return err
		}
		return mm.Map().Set("title", "evil\n\x1b[2J\x00title")
	}); err != nil {
		t.Fatal(err)
	}
	if err := m.Handle().Change("peer", func(d *automerge.Doc) error {
		return d.RootMap().Set("title", "evil\x1b[2J\x00title")
	}); err != nil {
		t.Fatal(err)
	}
	ws.Close()
	out, errs, code := pwg(t, dir, "", "meeting", "list")
	if code != 0 {
		t.Fatalf("meeting list: %d %s", code, errs)
	}
	if strings.ContainsAny(out, "\x1b\x00") || strings.Count(out, "\n") != 1 || !strings.Contains(out, `evil\n\x1b[2J\x00title`) {
		t.Fatalf("meeting list printed %q", out)
	}
	md, _, code := pwg(t, dir, "", "meeting", "show", m.ID())
	if code != 0 || strings.ContainsAny(md, "\x1b\x00") || !strings.Contains(md, `# evil\[2Jtitle`) {
		t.Fatalf("meeting show (exit %d) printed %q", code, md[:min(len(md), 200)])
	}
}

// TestLostReplyRunsOnce: when the running pwg carries out an append and
// dies before answering, the command line retries with the same token —
// through the socket, or directly once the workspace is free — and the text
// is in the notes once, with exit 0 (it used to exit 1 "read reply of the
// running pwg: EOF" though the text was saved, and a retry duplicated it).
func TestLostReplyRunsOnce(t *testing.T) {
	for _, mode := range []string{"same pwg answers the retry", "pwg gone, retry runs directly"} {
		t.Run(mode, func(t *testing.T) {
			dir, id := newMeetingWS(t)
			ws, err := minutes.Open(dir, minutes.Options{})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if err := serveControl(ctx, ws, &globals{}); err != nil {
				t.Fatal(err)
			}
			closeWS := sync.OnceValue(ws.Close)
			var dropped atomic.Bool
			drop := func() bool {
				if !dropped.CompareAndSwap(false, true) {
					return false
				}
				if mode != "same pwg answers the retry" {
					cancel()
					closeWS()
				}
				return true
			}
			testDropReply.Store(&drop)
			defer testDropReply.Store(nil)
			_, errs, code := pwg(t, dir, "", "section", "write", id, "topics", "--append", "once only")
			if code != 0 {
				t.Fatalf("append with a lost reply: exit %d %q", code, errs)
			}
			cancel()
			closeWS()
			md, _, _ := pwg(t, dir, "", "meeting", "show", id)
			if n := strings.Count(md, "once only"); n != 1 || !dropped.Load() {
				t.Fatalf("the text is in the notes %d times (reply dropped: %v)", n, dropped.Load())
			}
		})
	}
}

// TestNoDisplay: the window without a display is a clear message and exit
// code 5 (it panicked with exit 2, the code of a usage error), and nothing
// is created.
func TestNoDisplay(t *testing.T) {
	dir := t.TempDir() + "/ws"
	cmd := exec.Command(pwgBin, "--workspace", dir)
	cmd.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitNoGUI || !strings.Contains(errb.String(), "no display") {
		t.Fatalf("exit %v %q, want %d with \"no display\"", err, errb.String(), exitNoGUI)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the workspace was created without a window: %v", err)
	}
}
