package lansync_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/textsync"
	"github.com/pwg-team/pwg/sync/lansync"
)

// pidStatusMB reads a field (VmRSS, VmHWM) of /proc/PID/status in MB, or -1.
func pidStatusMB(pid int, field string) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err == nil {
				return v / 1024
			}
		}
	}
	return -1
}

// buildYearServed makes, in dir, a team workspace with 12 monthly meetings,
// each typed in 30,000 one-keystroke changes through the editor's binding
// (one commit per keystroke, as when a peer is connected), and returns an
// invitation to the team and the heads of every document.
func buildYearServed(b *testing.B, dir string, keystrokes int) (string, map[string][]automerge.ChangeHash) {
	ws, err := minutes.Open(dir, minutes.Options{Name: "server", IdleUnload: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.NewSeries("SRE", minutes.PWGTemplate()); err != nil {
		b.Fatal(err)
	}
	text := []rune(prose(5, keystrokes))
	for month := 1; month <= 12; month++ {
		m, err := ws.NewMeeting(fmt.Sprintf("PWG 2026-%02d", month), fmt.Sprintf("2026-%02d-20", month))
		if err != nil {
			b.Fatal(err)
		}
		secs, _ := m.Sections()
		per := keystrokes / len(secs)
		for i, s := range secs {
			bd, err := textsync.New(m.Section(s.Key), textsync.Options{})
			if err != nil {
				b.Fatal(err)
			}
			n := per
			if i == len(secs)-1 {
				n = keystrokes - per*(len(secs)-1)
			}
			for k := 0; k < n; k++ {
				if err := bd.Local(k, 0, string(text[(i*per+k)%len(text)])); err != nil {
					b.Fatal(err)
				}
				m.Handle().Heads() // commits: one change per keystroke
			}
		}
		if err := m.Handle().Flush(); err != nil {
			b.Fatal(err)
		}
	}
	inv, err := lansync.Invite(lansync.FromWorkspace(ws))
	if err != nil {
		b.Fatal(err)
	}
	heads := map[string][]automerge.ChangeHash{}
	ids, _ := lansync.FromWorkspace(ws).DocIDs()
	for _, id := range ids {
		h, _ := ws.Doc(id)
		heads[id] = h.Heads()
	}
	return inv, heads
}

// BenchmarkYearServed: a year of meetings (12 meetings, each of 30,000
// one-keystroke changes made through the binding) served by a separate
// process (the sync node of pwg serve, on a real workspace), with 8 peers
// (real workspaces in this process) connected one after the other until
// each has everything. Reports the serving process's RSS once everything
// is synced and the documents have gone idle (rss-MB), and its peak
// (peak-rss-MB).
func BenchmarkYearServed(b *testing.B) {
	keystrokes := 30000
	if n, err := strconv.Atoi(os.Getenv("PWG_YEAR_KEYSTROKES")); err == nil && n > 0 {
		keystrokes = n // a quicker look
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		inv, heads := buildYearServed(b, dir, keystrokes)
		srv := startProcIn(b, "server", dir, "PWG_SYNC_TEST_IDLE=1s")
		addr, _, _ := strings.Cut(srv.do("start"), " ")
		pid := srv.cmd.Process.Pid
		b.ReportMetric(pidStatusMB(pid, "VmRSS"), "rss-started-MB")
		b.StartTimer()
		for p := 0; p < 8; p++ {
			ws, err := minutes.Open(b.TempDir(), minutes.Options{Name: fmt.Sprintf("peer%d", p), IdleUnload: 500 * time.Millisecond})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { ws.Close() })
			st := lansync.FromWorkspace(ws)
			if err := lansync.Join(st, inv); err != nil {
				b.Fatal(err)
			}
			opts := fastOpts(b)
			opts.Peers, opts.DocIdle, opts.IdleTimeout = []string{addr}, 500*time.Millisecond, time.Minute
			startNode(b, st, opts)
			for id, want := range heads {
				waitDocHeads(b, ws, id, want)
			}
		}
		b.StopTimer()
		// Idle: the server gives back its sync states (1 s) and unloads
		// (1 s). Watch its RSS settle for up to 10 s.
		rss := pidStatusMB(pid, "VmRSS")
		tick := time.NewTicker(200 * time.Millisecond)
		for t := 0; t < 50; t++ {
			<-tick.C
			rss = min(rss, pidStatusMB(pid, "VmRSS"))
		}
		tick.Stop()
		b.ReportMetric(rss, "rss-MB")
		unloadable, resident, _ := strings.Cut(srv.do("unload"), " ")
		n, _ := strconv.Atoi(unloadable)
		r, _ := strconv.Atoi(resident)
		b.ReportMetric(float64(n), "idle-not-yet-unloaded-docs")
		b.ReportMetric(float64(r), "resident-docs")
		b.ReportMetric(pidStatusMB(pid, "VmHWM"), "peak-rss-MB")
		if n := srv.do("peers"); n != "8" {
			b.Fatalf("%s peers connected to the server at the end", n)
		}
	}
}
