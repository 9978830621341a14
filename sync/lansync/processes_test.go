package lansync_test

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// proc is one headless peer process (see peerMain).
type proc struct {
	t    testing.TB
	name string
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Scanner
	log  *bytes.Buffer
}

func startProc(t testing.TB, name string) *proc {
	t.Helper()
	return startProcIn(t, name, t.TempDir())
}

// startProcIn starts a peer process on the workspace in dir, with env
// added to its environment.
func startProcIn(t testing.TB, name, dir string, env ...string) *proc {
	t.Helper()
	if testing.Short() {
		t.Skip("real processes: skipped in -short")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), peerEnv+"="+dir), env...)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, name: name, cmd: cmd, in: in, out: bufio.NewScanner(out), log: &bytes.Buffer{}}
	p.out.Buffer(nil, 1<<20)
	cmd.Stderr = &lockedWriter{w: p.log}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("--- log of %s:\n%s", name, p.log.String())
		}
	})
	return p
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// do sends a command and returns its "ok" answer, failing the test on "err".
func (p *proc) do(cmd string) string {
	p.t.Helper()
	if _, err := io.WriteString(p.in, cmd+"\n"); err != nil {
		p.t.Fatalf("%s: %v", p.name, err)
	}
	if !p.out.Scan() {
		p.t.Fatalf("%s: no answer to %q: %v", p.name, cmd, p.out.Err())
	}
	line := p.out.Text()
	rest, ok := strings.CutPrefix(line, "ok")
	if !ok {
		p.t.Fatalf("%s: %s → %s", p.name, cmd, line)
	}
	return strings.TrimSpace(rest)
}

// team starts a host process with a team and n-1 joined processes; with
// noAddrs the joiners forget the inviter's address (mDNS must find it).
func team(t *testing.T, n int, mdns, noAddrs bool) []*proc {
	host := startProc(t, "A")
	host.do("setup")
	start := "start"
	if mdns {
		start = "start mdns"
	}
	host.do(start)
	inv := host.do("invite")
	ps := []*proc{host}
	for i := 1; i < n; i++ {
		p := startProc(t, string(rune('A'+i)))
		p.do("join " + inv)
		if noAddrs {
			p.do("forget-peers")
		}
		p.do(start)
		ps = append(ps, p)
	}
	return ps
}

func TestProcessesManualAddress(t *testing.T) {
	ps := team(t, 2, false, false)
	a, b := ps[0], ps[1]
	a.do("append written on A")
	b.do("wait written on A")
	b.do("append written on B")
	a.do("wait written on B")
	if a.do("heads") != b.do("heads") {
		t.Fatal("heads differ")
	}
}

func TestProcessesThreeByMDNS(t *testing.T) {
	ps := team(t, 3, true, true)
	ps[1].do("append from B")
	ps[2].do("wait from B")
	ps[0].do("wait from B")
	ps[2].do("append from C")
	ps[0].do("wait from C")
	ps[1].do("wait from C")
	h := ps[0].do("heads")
	for _, p := range ps[1:] {
		if p.do("heads") != h {
			t.Fatal("heads differ")
		}
	}
}

// TestProcessesOfflineEditsMerge: B goes offline, both sides write, B comes
// back; both end with the same text holding both edits.
func TestProcessesOfflineEditsMerge(t *testing.T) {
	ps := team(t, 2, false, false)
	a, b := ps[0], ps[1]
	a.do("append before")
	b.do("wait before")
	b.do("stop")
	a.do("append A while B was away")
	b.do("append B on the train")
	b.do("start")
	a.do("wait B on the train")
	b.do("wait A while B was away")
	if na, nb := a.do("notes"), b.do("notes"); na != nb {
		t.Fatalf("texts differ:\n%s\n%s", na, nb)
	}
}

// TestProcessesChurnConverges: three peers, one after another dropping out
// while all keep writing, converge to identical heads.
func TestProcessesChurnConverges(t *testing.T) {
	ps := team(t, 3, false, false)
	ps[0].do("append start")
	for _, p := range ps[1:] {
		p.do("wait start")
	}
	// B and C know only A (from the invitation): with A down, they are
	// partitioned from each other.
	for round := 0; round < 6; round++ {
		down := ps[round%3]
		down.do("stop")
		for i, p := range ps {
			p.do("append r" + string(rune('0'+round)) + "p" + string(rune('0'+i)))
		}
		down.do("start")
	}
	for _, p := range ps {
		p.do("wait r5p0")
		p.do("wait r5p1")
		p.do("wait r5p2")
	}
	h := ps[0].do("heads")
	for _, p := range ps {
		n := p.do("notes")
		for round := 0; round < 6; round++ {
			for i := range ps {
				if s := "r" + string(rune('0'+round)) + "p" + string(rune('0'+i)); !strings.Contains(n, s) {
					t.Fatalf("%s lacks %s: %s", p.name, s, n)
				}
			}
		}
		if p.do("heads") != h {
			t.Fatalf("%s: heads differ", p.name)
		}
	}
}

// TestWireCarriesNoPlaintext puts a recording proxy between two processes
// and checks that a marker typed into the minutes never crosses in clear.
func TestWireCarriesNoPlaintext(t *testing.T) {
	const marker = "PWG-WIRE-MARKER-9f3c"
	a := startProc(t, "A")
	a.do("setup")
	a.do("append " + marker + " (offline, before any sync)")
	addr, _, _ := strings.Cut(a.do("start"), " ")
	inv := a.do("invite")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var mu sync.Mutex
	var wire bytes.Buffer
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", addr)
			if err != nil {
				c.Close()
				continue
			}
			cp := func(dst, src net.Conn) {
				buf := make([]byte, 32<<10)
				for {
					n, err := src.Read(buf)
					if n > 0 {
						mu.Lock()
						wire.Write(buf[:n])
						mu.Unlock()
						if _, err := dst.Write(buf[:n]); err != nil {
							break
						}
					}
					if err != nil {
						break
					}
				}
				dst.Close()
				src.Close()
			}
			go cp(up, c)
			go cp(c, up)
		}
	}()

	// B knows A only through the proxy.
	b := startProc(t, "B")
	b.do("join " + inv)
	b.do("peer " + ln.Addr().String())
	b.do("start")
	b.do("wait " + marker)
	a.do("append live " + marker)
	b.do("wait live " + marker)
	mu.Lock()
	defer mu.Unlock()
	if wire.Len() < 1000 {
		t.Fatalf("only %d bytes crossed the proxy", wire.Len())
	}
	if bytes.Contains(wire.Bytes(), []byte(marker)) || bytes.Contains(wire.Bytes(), []byte("WIRE-MARKER")) {
		t.Fatal("the marker crossed the wire in clear")
	}
}
