package crashlog_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/cmd/pwg/internal/crashlog"
)

// Secrets the crashing child has in its panic message; none may reach the report.
const (
	fakeToken  = "ghp_0123456789abcdefABCDEF0123456789abcd"
	fakeAPIKey = "Zx8Kq2Lm4Np6Rs8Tu0Vw2Xy4Za6Bc8De0Fg2Hi4Jk6"
	fakePass   = "hunter2-relay-pass"
	knownValue = "s3cr3t-known"
)

// The child: arm crash reports in $CRASHLOG_CHILD_DIR, then panic in a
// goroutine other than main, as a bug in a sync or GUI goroutine would.
func TestMain(m *testing.M) {
	dir := os.Getenv("CRASHLOG_CHILD_DIR")
	if dir == "" {
		os.Exit(m.Run())
	}
	if _, err := crashlog.Arm(dir, "pwg test-version"); err != nil {
		os.Stderr.WriteString(err.Error())
		os.Exit(3)
	}
	go crashingWorker("wss://onk:" + fakePass + "@relay.example/ token=" + fakeToken + " key " + fakeAPIKey + " " + knownValue)
	select {}
}

//go:noinline
func crashingWorker(msg string) {
	panic("worker failed: " + msg)
}

// runChild runs this test binary as a pwg process that crashes in dir.
func runChild(t *testing.T, dir string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CRASHLOG_CHILD_DIR="+dir)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("child should die of its panic (exit 2), got %v\n%s", err, out)
	}
	return string(out)
}

func TestPanicInAGoroutineBecomesARedactedReport(t *testing.T) {
	dir := t.TempDir()
	stderr := runChild(t, dir)
	if !strings.Contains(stderr, "crashingWorker") {
		t.Fatalf("the runtime should still print the crash to stderr:\n%s", stderr)
	}
	if p := crashlog.Pending(dir); len(p) != 1 {
		t.Fatalf("the crash should be left pending for the next start: %v", p)
	}

	reports, err := crashlog.Collect(dir, knownValue)
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 1 {
		t.Fatalf("Collect found %v, want one crash", reports)
	}
	report := reports[0]
	if ok, _ := filepath.Match(filepath.Join(dir, "crash-*.log"), report); !ok {
		t.Fatalf("report %s is not crash-*.log in the workspace", report)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, want := range []string{
		"version: pwg test-version",
		"panic: worker failed: wss://" + crashlog.Redacted + "@relay.example/",
		"crashlog_test.crashingWorker", // the goroutine's stack
		"goroutine ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	for _, secret := range []string{fakeToken, fakeAPIKey, fakePass, knownValue} {
		if strings.Contains(text, secret) {
			t.Errorf("report contains the secret %q:\n%s", secret, text)
		}
	}
	if st, err := os.Stat(report); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("report mode: %v %v, want 0600", st.Mode(), err)
	}
	if p := crashlog.Pending(dir); len(p) != 0 {
		t.Errorf("pending file should be gone after Collect: %v", p)
	}
	if got := crashlog.Summary(report); !strings.HasPrefix(got, "panic: worker failed") {
		t.Errorf("Summary = %q", got)
	}

	// The next start finds nothing new; the report stays.
	again, err := crashlog.Collect(dir)
	if err != nil || len(again) != 0 {
		t.Fatalf("second Collect = %v, %v; want nothing", again, err)
	}
	all, err := crashlog.Reports(dir)
	if err != nil || len(all) != 1 || all[0] != report {
		t.Fatalf("Reports = %v, %v", all, err)
	}
}

func TestTwoCrashesInOneSecondKeepBothReports(t *testing.T) {
	dir := t.TempDir()
	runChild(t, dir)
	first, err := crashlog.Collect(dir)
	if err != nil || len(first) != 1 {
		t.Fatal(first, err)
	}
	runChild(t, dir)
	// Same modification second as the first crash, as on a crash loop.
	mt, _ := os.Stat(first[0])
	pending := crashlog.Pending(dir)
	if len(pending) != 1 {
		t.Fatalf("pending: %v", pending)
	}
	if err := os.Chtimes(pending[0], time.Now(), mt.ModTime()); err != nil {
		t.Fatal(err)
	}
	second, err := crashlog.Collect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != 1 || second[0] == first[0] {
		t.Fatalf("second report %v overwrote or lost the first %v", second, first)
	}
	if reports, _ := crashlog.Reports(dir); len(reports) != 2 {
		t.Fatalf("Reports = %v, want 2", reports)
	}
}

func TestCleanExitLeavesNoReport(t *testing.T) {
	dir := t.TempDir()
	disarm, err := crashlog.Arm(dir, "pwg test-version")
	if err != nil {
		t.Fatal(err)
	}
	own := crashlog.PendingPath(dir, os.Getpid())
	if _, err := os.Stat(own); err != nil {
		t.Fatalf("armed without a pending file: %v", err)
	}
	disarm()
	if _, err := os.Stat(own); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("disarm should remove the pending file: %v", err)
	}
	if reports, err := crashlog.Collect(dir); err != nil || len(reports) != 0 {
		t.Fatalf("Collect after a clean exit = %v, %v", reports, err)
	}
}

func TestKilledProcessIsNoCrash(t *testing.T) {
	dir := t.TempDir()
	// A process that was killed (or lost power) leaves the header only.
	disarm, err := crashlog.Arm(dir, "pwg test-version")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(crashlog.PendingPath(dir, os.Getpid()))
	if err != nil {
		t.Fatal(err)
	}
	disarm()
	killed := crashlog.PendingPath(dir, os.Getpid()+1)
	if err := os.WriteFile(killed, b, 0o600); err != nil {
		t.Fatal(err)
	}
	reports, err := crashlog.Collect(dir)
	if err != nil || len(reports) != 0 {
		t.Fatalf("Collect of a header-only file = %v, %v; want no report", reports, err)
	}
	if _, err := os.Stat(killed); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("header-only pending file should be removed: %v", err)
	}
}
