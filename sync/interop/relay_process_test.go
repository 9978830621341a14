package interop_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"encoding/json"
	"github.com/pwg-team/pwg/sync/lansync"
)

// pwgCLI runs the real pwg binary, built once per test.
type pwgCLI struct {
	t   *testing.T
	bin string
}

func buildPwg(t *testing.T) pwgCLI {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pwg")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/pwg-team/pwg/cmd/pwg").CombinedOutput(); err != nil {
		t.Fatalf("build pwg: %v\n%s", err, out)
	}
	return pwgCLI{t, bin}
}

func (r pwgCLI) run(ws string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command(r.bin, append(args, "--workspace", ws)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		r.t.Fatalf("pwg %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

// serve starts `pwg serve` on ws (loopback only) and waits for its status file.
func (r pwgCLI) serve(ws string, args ...string) {
	r.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, r.bin, append([]string{"serve", "--workspace", ws, "--listen", "127.0.0.1:0"}, args...)...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	var logs lockedBuffer
	cmd.Stderr = &logs
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
	r.poll(15*time.Second, "pwg serve status", func() bool {
		_, err := r.peers(ws)
		return err == nil
	})
}

// peers asks the pwg running on ws what it sees (`pwg peers --json`).
func (r pwgCLI) peers(ws string) (*lansync.Status, error) {
	out, err := exec.Command(r.bin, "peers", "--json", "--workspace", ws).Output()
	if err != nil {
		return nil, err
	}
	var st lansync.Status
	return &st, json.Unmarshal(out, &st)
}

// poll re-checks cond every 50 ms until it holds or d has passed (state in
// other processes can only be observed by asking them).
func (r pwgCLI) poll(d time.Duration, what string, cond func() bool) {
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

func (r pwgCLI) shows(ws, meeting, text string) func() bool {
	return func() bool {
		out, err := exec.Command(r.bin, "meeting", "show", meeting, "--format", "json", "--workspace", ws).Output()
		return err == nil && bytes.Contains(out, []byte(text))
	}
}

// TestTwoPwgServeThroughSyncServer: two `pwg serve` processes of one team
// with no LAN path between them (no mDNS, no peer address) converge
// through the real automerge-repo sync server, both ways, on the meeting
// both chose to share.
func TestTwoPwgServeThroughSyncServer(t *testing.T) {
	url := syncServer(t)
	r := buildPwg(t)
	wa, wb := t.TempDir(), t.TempDir()
	meeting := r.run(wa, "meeting", "new", "--title", "PWG via relay", "--date", "2026-11-02")
	key := strings.Fields(r.run(wa, "section", "list", meeting))[0]
	r.run(wb, "join", r.run(wa, "invite")) // A never listened: the invitation carries no address
	r.run(wa, "share", meeting)
	if out := r.run(wb, "share", meeting); !strings.Contains(out, "fetched from the relay") {
		t.Fatalf("share on B: %s", out)
	}
	r.run(wa, "section", "write", meeting, key, "--append", "written on A")
	r.serve(wa, "--no-mdns", "--relay", url)
	r.serve(wb, "--no-mdns", "--relay", url)
	r.poll(20*time.Second, "A's note on B", r.shows(wb, meeting, "written on A"))
	r.run(wb, "section", "write", meeting, key, "--append", " and on B")
	r.poll(20*time.Second, "B's note on A", r.shows(wa, meeting, " and on B"))

	for _, ws := range []string{wa, wb} {
		st, err := r.peers(ws)
		if err != nil {
			t.Fatal(err)
		}
		relays := 0
		for _, p := range st.Peers {
			if !p.Open {
				t.Fatalf("%s reached a LAN peer %s: the test meant no LAN path", ws, p.Fingerprint)
			}
			if p.Connected {
				relays++
			}
		}
		if relays != 1 {
			t.Fatalf("%s: %d relay connections, want 1: %+v", ws, relays, st.Peers)
		}
	}
	if out := r.run(wa, "share"); !strings.Contains(out, meeting) {
		t.Fatalf("pwg share lists %q", out)
	}
}
