package interop_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/wsnet"
)

// interopDir is this folder (the Node project), found from this file.
func interopDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// needNode skips unless node and the installed Node project are present.
// CI sets PWG_REQUIRE_INTEROP=1 (.ci/test): there a missing Node setup fails
// instead, so the interop tests cannot silently stop running.
func needNode(t testing.TB) string {
	t.Helper()
	if os.Getenv("PWG_REQUIRE_INTEROP") != "" {
		return requireNode(t)
	}
	if testing.Short() {
		t.Skip("runs Node.js peers: skipped in -short")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the automerge-repo interop tests need Node.js 18+")
	}
	dir := interopDir()
	for _, p := range []string{"@automerge/automerge-repo", "@automerge/automerge-repo-network-websocket", "@automerge/automerge-repo-sync-server"} {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", p, "package.json")); err != nil {
			t.Skipf("%s is not installed: run `npm install --prefix sync/interop --no-audit --no-fund` first", p)
		}
	}
	return node
}

func testLogger() *slog.Logger {
	if os.Getenv("PWG_SYNC_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// lockedBuffer collects a process's output for the failure log.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// syncServer starts the unmodified @automerge/automerge-repo-sync-server
// on a free port of 127.0.0.1 (loopback.mjs binds it there) and returns its
// ws:// URL.
func syncServer(t testing.TB) string {
	t.Helper()
	node := needNode(t)
	dir := interopDir()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, node, "--import", filepath.Join(dir, "loopback.mjs"),
		filepath.Join(dir, "node_modules", "@automerge", "automerge-repo-sync-server", "src", "index.js"))
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "PORT=0", "DATA_DIR="+filepath.Join(cmd.Dir, "data"))
	cmd.WaitDelay = 5 * time.Second
	var logs lockedBuffer
	cmd.Stderr = &logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("--- sync server:\n%s", logs.String())
		}
	})
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if p, ok := strings.CutPrefix(sc.Text(), "PWG-LISTENING "); ok {
				port <- p
			}
		}
	}()
	select {
	case p := <-port:
		return "ws://" + net.JoinHostPort("127.0.0.1", p)
	case <-time.After(20 * time.Second):
		t.Fatalf("the sync server did not start:\n%s", logs.String())
	}
	return ""
}

// jsPeer runs peer.mjs with args; the process ends when the test does, or
// when its stdin is closed.
type jsPeer struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
	logs  *lockedBuffer
}

func startJS(t testing.TB, args ...string) *jsPeer {
	t.Helper()
	node := needNode(t)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, node, append([]string{filepath.Join(interopDir(), "peer.mjs")}, args...)...)
	cmd.Dir = interopDir()
	cmd.WaitDelay = 5 * time.Second
	p := &jsPeer{cmd: cmd, lines: make(chan string, 1024), logs: &lockedBuffer{}}
	cmd.Stderr = p.logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("--- JS peer %v:\n%s", args, p.logs.String())
		}
	})
	return p
}

// line returns the peer's next output line.
func (p *jsPeer) line(t testing.TB, within time.Duration) string {
	t.Helper()
	select {
	case l, ok := <-p.lines:
		if !ok {
			t.Fatalf("JS peer ended: %s", p.logs.String())
		}
		return l
	case <-time.After(within):
		t.Fatalf("JS peer said nothing for %v: %s", within, p.logs.String())
	}
	return ""
}

// findJSON runs `peer.mjs find` and decodes its answer.
func findJS(t testing.TB, url, id string) (doc map[string]any, unavailable string) {
	t.Helper()
	p := startJS(t, "find", url, id)
	var res struct {
		Doc         map[string]any `json:"doc"`
		Unavailable string         `json:"unavailable"`
	}
	if err := json.Unmarshal([]byte(p.line(t, 20*time.Second)), &res); err != nil {
		t.Fatal(err)
	}
	return res.Doc, res.Unavailable
}

// device is a pwg workspace with a running node.
type device struct {
	ws   *minutes.Workspace
	node *lansync.Node
}

func newDevice(t testing.TB) *device {
	t.Helper()
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "p", Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	if _, err := ws.Setup("SRE", time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	n, err := lansync.Start(context.Background(), lansync.FromWorkspace(ws), lansync.Options{Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return &device{ws: ws, node: n}
}

// serveWS runs pwg's WebSocket server for d and returns its URL.
func serveWS(t testing.TB, d *device) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- wsnet.ListenAndServe(ctx, d.node, "127.0.0.1:0", d.ws.Settings(), testLogger(), func(a net.Addr) { addrc <- a })
	}()
	t.Cleanup(func() { cancel(); <-errc })
	select {
	case a := <-addrc:
		return "ws://" + a.String()
	case err := <-errc:
		t.Fatal(err)
	}
	return ""
}

// relay keeps d connected to an automerge-repo relay at url.
func relay(t testing.TB, d *device, url string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = wsnet.Relay(ctx, d.node, url, d.ws.Settings(), testLogger()) }()
	t.Cleanup(func() { cancel(); <-done })
}

// waitNotes waits until a section's notes on d contain text.
func waitNotes(t testing.TB, d *device, meeting, key, text string) {
	t.Helper()
	events, stop := d.ws.Subscribe()
	defer stop()
	deadline := time.After(20 * time.Second)
	for {
		if m, err := d.ws.Meeting(meeting); err == nil {
			if s, err := m.Notes(key); err == nil && strings.Contains(s, text) {
				return
			}
		}
		select {
		case <-events:
		case <-deadline:
			t.Fatalf("%q never reached the notes of %s", text, meeting)
		}
	}
}

func firstMeeting(t testing.TB, d *device) (*minutes.Meeting, string) {
	t.Helper()
	infos, err := d.ws.Meetings()
	if err != nil || len(infos) == 0 {
		t.Fatal(err)
	}
	m, err := d.ws.Meeting(infos[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	secs, err := m.Sections()
	if err != nil {
		t.Fatal(err)
	}
	return m, secs[0].Key
}

// requireNode is needNode for CI: anything missing is a failure.
func requireNode(t testing.TB) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("PWG_REQUIRE_INTEROP is set but node is not installed (.ci/deps installs it)")
	}
	for _, p := range []string{"@automerge/automerge-repo", "@automerge/automerge-repo-network-websocket", "@automerge/automerge-repo-sync-server"} {
		if _, err := os.Stat(filepath.Join(interopDir(), "node_modules", p, "package.json")); err != nil {
			t.Fatalf("PWG_REQUIRE_INTEROP is set but %s is not installed (.ci/deps runs npm install)", p)
		}
	}
	return node
}
