package lansync_test

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/textsync"
	"github.com/pwg-team/pwg/crdt/textsync/edittrace"
	"github.com/pwg-team/pwg/sync/lansync"
)

// procStatusMB reads a field (VmRSS, VmHWM) of /proc/self/status in MB, or -1.
func procStatusMB(field string) float64 {
	b, err := os.ReadFile("/proc/self/status")
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

// resetPeakRSS returns memory the process no longer uses to the system and
// restarts the kernel's peak RSS (VmHWM) count from the current RSS.
func resetPeakRSS() {
	runtime.GC()
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// BenchmarkReplayWithPeer types the whole seph-blog1 trace (137,154
// keystroke transactions) through the editor's binding into a meeting
// section of a real workspace, with one peer — a separate process — connected
// and taking every change as it comes. Reports the peak RSS of this process
// during the replay (peak-rss-MB; the trace itself, parsed, is in it) and
// the RSS once the peer has everything (rss-MB).
func BenchmarkReplayWithPeer(b *testing.B) {
	tr, err := edittrace.Load("seph-blog1")
	if err != nil {
		b.Fatal(err)
	}
	tail := tr.EndContent[strings.LastIndexByte(strings.TrimRight(tr.EndContent, "\n"), '\n')+1:]
	tail = strings.TrimSpace(tail)
	tail = tail[max(0, len(tail)-24):]
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ws := openBenchWS(b)
		if _, err := ws.Setup("SRE", time.Now()); err != nil {
			b.Fatal(err)
		}
		inv, err := lansync.Invite(lansync.FromWorkspace(ws))
		if err != nil {
			b.Fatal(err)
		}
		node := startNode(b, lansync.FromWorkspace(ws), lansync.Options{Listen: "127.0.0.1:0", Logger: testLogger(b)})
		peer := startProc(b, "peer")
		peer.do("join " + inv)
		peer.do("peer " + node.Addr().String())
		peer.do("start")
		infos, _ := ws.Meetings()
		m, err := ws.Meeting(infos[0].ID)
		if err != nil {
			b.Fatal(err)
		}
		secs, _ := m.Sections()
		key := secs[0].Key
		if err := m.AppendNotes(key, "start"); err != nil {
			b.Fatal(err)
		}
		peer.do("wait start")
		bd, err := textsync.New(m.Section(key), textsync.Options{})
		if err != nil {
			b.Fatal(err)
		}
		resetPeakRSS()
		b.ReportMetric(procStatusMB("VmRSS"), "rss-before-MB")
		b.StartTimer()
		start := len([]rune(bd.Text()))
		for _, tx := range tr.Txns {
			for _, p := range tx.Patches {
				if err := bd.Local(start+p.Pos, p.Del, p.Ins); err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := bd.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := m.Handle().Flush(); err != nil {
			b.Fatal(err)
		}
		peer.do("wait " + tail)
		b.StopTimer()
		b.ReportMetric(procStatusMB("VmHWM"), "peak-rss-MB")
		if chs, err := m.Handle().ChangesSince(); err == nil {
			b.ReportMetric(float64(len(chs)), "changes")
		}
		runtime.GC()
		b.ReportMetric(procStatusMB("VmRSS"), "rss-MB")
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "go-heap-MB")
		if got, _ := m.Notes(key); got != "start"+tr.EndContent {
			b.Fatalf("notes differ from the trace's end (%d vs %d bytes)", len(got), len(tr.EndContent)+5)
		}
		node.Close()
		b.StartTimer()
	}
}
