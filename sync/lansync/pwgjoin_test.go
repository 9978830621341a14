package lansync_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/sync/lansync"
)

// fail runs pwg expecting it to fail, and returns its stderr.
func (r pwgRunner) fail(ws string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command(r.bin, append(args, "--workspace", ws)...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err == nil {
		r.t.Fatalf("pwg %s succeeded, want a failure", strings.Join(args, " "))
	}
	return errb.String()
}

func (r pwgRunner) devices(ws string) []lansync.Device {
	r.t.Helper()
	var devs []lansync.Device
	if err := json.Unmarshal([]byte(r.run(ws, "devices", "--json")), &devs); err != nil {
		r.t.Fatal(err)
	}
	return devs
}

func codeOf(t *testing.T, out string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if c, ok := strings.CutPrefix(l, "join code: "); ok {
			return c
		}
	}
	t.Fatalf("no join code in %q", out)
	return ""
}

// TestPwgJoinCodeProcesses drives invite --code (through the running
// pwg serve, and hosted by the command itself), join --code, devices and
// revoke through the pwg binary.
func TestPwgJoinCodeProcesses(t *testing.T) {
	r := pwgRunner{t, pwgBinary(t)}
	wa, wb, wc := t.TempDir(), t.TempDir(), t.TempDir()
	r.run(wa, "meeting", "new", "--title", "PWG", "--date", "2026-11-02")
	addrA := r.serve(wa, "--no-mdns")

	// A code hosted by the running pwg serve (asked over pwg.sock).
	code := codeOf(t, r.run(wa, "invite", "--code"))
	out := r.run(wb, "join", "--code", code, "--peer", addrA, "--no-mdns", "--name", "Bob")
	if !strings.Contains(out, "joined team") {
		t.Fatalf("join --code: %q", out)
	}
	if msg := r.fail(wc, "join", "--code", code, "--peer", addrA, "--no-mdns"); !strings.Contains(msg, "not valid") {
		t.Fatalf("second use of a code: %q", msg)
	}

	// A wrong code is refused, and burns the code.
	code2 := codeOf(t, r.run(wa, "invite", "--code"))
	parts := strings.Split(code2, "-")
	wrong := parts[0] + "-" + parts[1] + "-" + map[bool]string{true: "river", false: "apple"}[parts[2] == "apple"]
	for range 3 {
		if msg := r.fail(wc, "join", "--code", wrong, "--peer", addrA, "--no-mdns"); !strings.Contains(msg, "wrong code") {
			t.Fatalf("wrong code: %q", msg)
		}
	}
	if msg := r.fail(wc, "join", "--code", code2, "--peer", addrA, "--no-mdns"); !strings.Contains(msg, "not valid") {
		t.Fatalf("right code after it was burnt: %q", msg)
	}

	// B syncs with A and sees the roster.
	r.serve(wb, "--no-mdns")
	fa := func() string { st, _ := r.peers(wa); return st.Fingerprint }()
	var fb string
	r.poll(15*time.Second, "the roster on B", func() bool {
		devs := r.devices(wb)
		for _, d := range devs {
			if d.AddedBy == fa {
				fb = d.Fingerprint
			}
		}
		return len(devs) == 2 && fb != ""
	})
	r.poll(15*time.Second, "A to connect to B", func() bool {
		st, err := r.peers(wa)
		return err == nil && slices.ContainsFunc(st.Peers, func(p lansync.PeerInfo) bool { return p.Fingerprint == fb && p.Connected })
	})

	// A revokes B: B is dropped and stays out.
	if out := r.run(wa, "revoke", fb); !strings.Contains(out, "revoked "+fb) {
		t.Fatalf("revoke: %q", out)
	}
	devs := r.devices(wa)
	if i := slices.IndexFunc(devs, func(d lansync.Device) bool { return d.Fingerprint == fb }); i < 0 || devs[i].Revoked == nil {
		t.Fatalf("roster after revoke: %+v", devs)
	}
	if out := r.run(wa, "devices"); !strings.Contains(out, "revoked") {
		t.Fatalf("pwg devices does not say revoked:\n%s", out)
	}
	r.poll(15*time.Second, "A to drop B", func() bool {
		st, err := r.peers(wa)
		return err == nil && !slices.ContainsFunc(st.Peers, func(p lansync.PeerInfo) bool { return p.Fingerprint == fb && p.Connected })
	})
	if msg := r.fail(wa, "revoke", "NOSUCHDEVICE0000"); !strings.Contains(msg, "no such device") {
		t.Fatalf("revoking a stranger: %q", msg)
	}

	// A code hosted by the command itself (no pwg runs on C's workspace).
	wd := t.TempDir()
	r.run(wc, "meeting", "new", "--title", "Other", "--date", "2026-11-02")
	inv := exec.Command(r.bin, "invite", "--code", "--listen", "127.0.0.1:0", "--no-mdns", "--workspace", wc)
	stdout, err := inv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := inv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = inv.Process.Kill(); _ = inv.Wait() })
	lines := bufio.NewScanner(stdout)
	var code3, addr string
	for lines.Scan() && addr == "" {
		l := lines.Text()
		if c, ok := strings.CutPrefix(l, "join code: "); ok {
			code3 = c
		}
		if a, ok := strings.CutPrefix(l, "addresses: "); ok {
			addr = strings.Fields(a)[0]
		}
	}
	if code3 == "" || addr == "" {
		t.Fatalf("invite --code printed no code or address")
	}
	r.run(wd, "join", "--code", code3, "--peer", addr, "--no-mdns")
	for lines.Scan() {
		if strings.Contains(lines.Text(), "joined the team") {
			break
		}
	}
	if err := inv.Wait(); err != nil {
		t.Fatalf("invite --code after the device joined: %v", err)
	}
	if devs := r.devices(wd); len(devs) != 2 {
		t.Fatalf("the new device's roster: %+v", devs)
	}
}
