package lansync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/sync/lansync"
)

// These tests drive the real pwg binary (`pwg serve`, `pwg invite`,
// `pwg join`, `pwg section write`, `pwg meeting show`) in separate
// processes on loopback. They skip until the binary has `serve`.

func pwgBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the pwg binary: skipped in -short")
	}
	bin := filepath.Join(t.TempDir(), "pwg")
	build := exec.Command("go", "build", "-o", bin, "github.com/pwg-team/pwg/cmd/pwg")
	if out, err := build.CombinedOutput(); err != nil {
		t.Skipf("pwg does not build here: %v\n%s", err, out)
	}
	help, _ := exec.Command(bin, "help").CombinedOutput()
	if !bytes.Contains(help, []byte("\n  pwg serve")) { // a usage line, not a mention
		t.Skip("pwg has no serve command yet")
	}
	return bin
}

type pwgRunner struct {
	t   *testing.T
	bin string
}

func (r pwgRunner) run(ws string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command(r.bin, append(args, "--workspace", ws)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		r.t.Fatalf("pwg %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

// serve starts `pwg serve` on ws and returns its listen address, read from
// the status file it keeps.
func (r pwgRunner) serve(ws string, args ...string) string {
	r.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, r.bin, append([]string{"serve", "--workspace", ws, "--listen", "127.0.0.1:0"}, args...)...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	var logs bytes.Buffer
	cmd.Stderr = &lockedWriter{w: &logs}
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if r.t.Failed() {
			r.t.Logf("--- pwg serve %s:\n%s", ws, logs.String())
		}
	})
	var addr string
	r.poll(10*time.Second, "pwg serve status", func() bool {
		st, err := r.peers(ws)
		if err == nil && st.Listen != "" {
			addr = st.Listen
			return true
		}
		return false
	})
	return addr
}

// peers asks the pwg running on ws what it sees (`pwg peers --json`, over
// its control socket).
func (r pwgRunner) peers(ws string) (*lansync.Status, error) {
	out, err := exec.Command(r.bin, "peers", "--json", "--workspace", ws).Output()
	if err != nil {
		return nil, err
	}
	var st lansync.Status
	return &st, json.Unmarshal(out, &st)
}

// poll re-checks cond every 50 ms until it holds or d has passed (state in
// other processes can only be observed by asking them).
func (r pwgRunner) poll(d time.Duration, what string, cond func() bool) {
	r.t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			r.t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

func (r pwgRunner) showContains(ws, meeting, text string) func() bool {
	return func() bool {
		cmd := exec.Command(r.bin, "meeting", "show", meeting, "--format", "json", "--workspace", ws)
		out, err := cmd.Output()
		return err == nil && bytes.Contains(out, []byte(text))
	}
}

func TestPwgServeProcesses(t *testing.T) {
	r := pwgRunner{t, pwgBinary(t)}
	wa, wb, wc := t.TempDir(), t.TempDir(), t.TempDir()
	meeting := r.run(wa, "meeting", "new", "--title", "PWG", "--date", "2026-11-02")
	key := strings.Fields(r.run(wa, "section", "list", meeting))[0]
	addrA := r.serve(wa)
	inv := r.run(wa, "invite")
	for _, ws := range []string{wb, wc} {
		r.run(ws, "join", inv)
	}
	r.serve(wb, "--peer", addrA) // by address
	r.serve(wc)                  // by mDNS (or the invitation's addresses)
	r.run(wa, "section", "write", meeting, key, "--append", "written on A")
	r.poll(15*time.Second, "A's note on B", r.showContains(wb, meeting, "written on A"))
	r.poll(15*time.Second, "A's note on C", r.showContains(wc, meeting, "written on A"))
	r.run(wc, "section", "write", meeting, key, "--append", "written on C")
	r.poll(15*time.Second, "C's note on A", r.showContains(wa, meeting, "written on C"))
	r.poll(15*time.Second, "C's note on B", r.showContains(wb, meeting, "written on C"))

	st, err := r.peers(wa)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(st.Peers); len(st.Peers) < 2 {
		t.Fatalf("A sees %s", b)
	}
	var exit *exec.ExitError
	if _, err := r.peers(t.TempDir()); !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("pwg peers where no pwg runs: %v, want exit code 1", err)
	}
}
