package main

import (
	"context"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/cmd/pwg/internal/crashlog"
	"github.com/pwg-team/pwg/crdt/minutes"
)

// crashChildEnv makes the test binary a pwg process that owns the
// workspace named by it and crashes (see crashChild).
const crashChildEnv = "PWG_TEST_CRASH_CHILD"

// crashInMainEnv makes the child panic in its main goroutine instead.
const crashInMainEnv = "PWG_TEST_CRASH_IN_MAIN"

const childSecret = "wss://onk:relay-password-1@relay.example/"

// crashChild opens the workspace as every pwg command does, then panics
// in a goroutine of its own, as a bug in a sync goroutine would; or in the
// main goroutine with deferred calls pending, as a bug in a Fyne callback
// or in a command would.
func crashChild(dir string) {
	ws, err := minutes.Open(dir, minutes.Options{Name: "crash"})
	if err != nil {
		os.Stderr.WriteString(err.Error())
		os.Exit(3)
	}
	defer ws.Close()
	if _, err := ws.Setup("PWG", time.Now()); err != nil {
		os.Exit(3)
	}
	guardCrashes(ws, os.Stderr)
	if os.Getenv(crashInMainEnv) != "" {
		syncWorkerThatPanics(context.Background(), childSecret)
	}
	go syncWorkerThatPanics(context.Background(), childSecret)
	select {}
}

//go:noinline
func syncWorkerThatPanics(_ context.Context, relay string) {
	panic(errors.New("relay " + relay + " sent garbage"))
}

func TestCrashIsReportedOnTheNextStart(t *testing.T) {
	for _, inMain := range []bool{false, true} {
		name := "goroutine"
		if inMain {
			name = "main"
		}
		t.Run(name, func(t *testing.T) { testCrashReported(t, inMain) })
	}
}

func testCrashReported(t *testing.T, inMain bool) {
	ws := t.TempDir()
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), crashChildEnv+"="+ws)
	if inMain {
		child.Env = append(child.Env, crashInMainEnv+"=1")
	}
	out, err := child.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("the child should die of its panic (exit 2): %v\n%s", err, out)
	}

	// The next start (any command) turns it into a report and says so.
	stdout, stderr, code := pwg(t, ws, "", "meeting", "list")
	if code != 0 {
		t.Fatalf("meeting list after a crash: exit %d\n%s", code, stderr)
	}
	if strings.Contains(stdout, "crash") {
		t.Errorf("the notice must go to stderr, not into scripts' stdout: %q", stdout)
	}
	reports, err := crashlog.Reports(ws)
	if err != nil || len(reports) != 1 {
		t.Fatalf("want one crash-*.log in the workspace, got %v %v", reports, err)
	}
	if !strings.Contains(stderr, "the last run crashed (panic: relay wss://[REDACTED]@relay.example/ sent garbage") ||
		!strings.Contains(stderr, reports[0]) {
		t.Errorf("stderr should name the crash and its report %s:\n%s", reports[0], stderr)
	}
	b, err := os.ReadFile(reports[0])
	if err != nil {
		t.Fatal(err)
	}
	report := string(b)
	if !strings.Contains(report, "cmd/pwg.syncWorkerThatPanics") || !strings.Contains(report, "version: "+version+" (build") {
		t.Errorf("the report lacks the stack or the version:\n%s", report)
	}
	if strings.Contains(report, "relay-password-1") {
		t.Errorf("the report holds the relay password:\n%s", report)
	}

	// Said once: the start after that is quiet, and the report stays.
	_, stderr, _ = pwg(t, ws, "", "meeting", "list")
	if strings.Contains(stderr, "crashed") {
		t.Errorf("the crash was reported twice: %s", stderr)
	}
	if again, _ := crashlog.Reports(ws); len(again) != 1 {
		t.Errorf("reports after the second start: %v", again)
	}
	if p := crashlog.Pending(ws); len(p) != 0 {
		t.Errorf("a clean exit left %v", p)
	}
}

func TestCrashNoticeOpensTheWorkspaceFolder(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel("the minutes"))
	w.Resize(fyne.NewSize(900, 600))
	dir := t.TempDir()
	report := filepath.Join(dir, "crash-20261130-033458.log")
	var opened []*url.URL
	showCrashNotice(w, report, func(u *url.URL) error { opened = append(opened, u); return nil })

	overlay := w.Canvas().Overlays().Top()
	if overlay == nil {
		t.Fatal("no dialog shown")
	}
	var texts []string
	var openButton *widget.Button
	walk(t, overlay, func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *widget.Label:
			texts = append(texts, o.Text)
		case *widget.Button:
			if o.Text == "Open folder" {
				openButton = o
			}
		}
	})
	if all := strings.Join(texts, "\n"); !strings.Contains(all, "crash-20261130-033458.log") || !strings.Contains(all, "pwg crashed last time") {
		t.Errorf("the dialog should name the report; it says:\n%s", all)
	}
	if openButton == nil {
		t.Fatal("no Open folder button")
	}
	test.Tap(openButton)
	if len(opened) != 1 || opened[0].Scheme != "file" || filepath.FromSlash(opened[0].Path) != dir {
		t.Fatalf("Open folder opened %v, want file://%s", opened, dir)
	}
}

// walk visits o and everything inside it.
func walk(t *testing.T, o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, o := range c.Objects {
			walk(t, o, f)
		}
	case fyne.Widget:
		r := test.TempWidgetRenderer(t, c)
		for _, o := range r.Objects() {
			walk(t, o, f)
		}
	}
}
