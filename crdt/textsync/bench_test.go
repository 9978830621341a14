package textsync_test

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/pwg-team/pwg/crdt/textsync"
)

// rssKB reads a field (VmRSS, VmHWM) of /proc/self/status in kB, or -1.
func rssKB(field string) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err == nil {
				return v
			}
		}
	}
	return -1
}

// BenchmarkReplaySephBlog1 types the whole seph-blog1 trace (137,154
// keystroke transactions, 56,769 final characters) through a binding into an
// Automerge document, committing every 20 splices, and reports the Go heap
// and the process RSS afterwards.
func BenchmarkReplaySephBlog1(b *testing.B) {
	for _, batch := range []int{20, 100} {
		b.Run("batch="+strconv.Itoa(batch), func(b *testing.B) { benchReplay(b, batch) })
	}
}

func benchReplay(b *testing.B, batch int) {
	tr := loadTrace(b, "seph-blog1")
	keys := 0
	for _, tx := range tr.Txns {
		keys += len(tx.Patches)
	}
	runtime.GC()
	before := rssKB("VmRSS") / 1024
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		target := newDoc(b, "")
		bd, err := textsync.New(target, textsync.Options{BatchSize: batch})
		if err != nil {
			b.Fatal(err)
		}
		replaySequential(b, tr, bd)
		if i == b.N-1 {
			b.StopTimer()
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
			b.ReportMetric(rssKB("VmRSS")/1024, "RSS-MB")
			b.ReportMetric(before, "RSSbeforeReplay-MB")
			b.ReportMetric(rssKB("VmHWM")/1024, "peakRSS-MB")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*keys), "ns/keystroke")
			runtime.KeepAlive(target)
		}
	}
}

// BenchmarkKeystroke50k measures one typed character through the binding
// into a document holding a 50,000-character section with its typing
// history, commits in batches of 20 included.
func BenchmarkKeystroke50k(b *testing.B) {
	tr := loadTrace(b, "seph-blog1")
	target := newDoc(b, "")
	bd, err := textsync.New(target, textsync.Options{BatchSize: 20})
	if err != nil {
		b.Fatal(err)
	}
	replaySequential(b, tr, bd)
	mid := bd.Len() / 2
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			err = bd.Local(mid, 0, "x")
		} else {
			err = bd.Local(mid, 1, "")
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if err := bd.Flush(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPullRemoteKeystroke50k measures pulling one remote keystroke
// into the view of a 56,769-character section: read the text, diff, map.
func BenchmarkPullRemoteKeystroke50k(b *testing.B) {
	tr := loadTrace(b, "seph-blog1")
	local := newDoc(b, "aa01")
	bd, err := textsync.New(local, textsync.Options{BatchSize: 20})
	if err != nil {
		b.Fatal(err)
	}
	replaySequential(b, tr, bd)
	// The peer starts from a copy of the document, not from a sync of its
	// whole history.
	remote := forkDoc(b, local, "bb02")
	p := &pair{tb: b, local: local, remote: remote, b: bd}
	p.sent[0], _ = local.Heads()
	p.sent[1], _ = remote.Heads()
	mid := p.b.Len() / 2
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if i%2 == 0 {
			p.remoteSplice(mid, 0, "y")
		} else {
			p.remoteSplice(mid, 1, "")
		}
		p.send(1)
		b.StartTimer()
		m, err := p.b.Pull()
		if err != nil {
			b.Fatal(err)
		}
		want := mid + 11
		if i%2 == 1 {
			want = mid + 9
		}
		if got := m.Caret(mid + 10); got != want {
			b.Fatalf("caret %d, want %d", got, want)
		}
	}
}

// BenchmarkDiff50k measures the diff of a 56,769-character text against
// itself with 20 scattered one-character edits.
func BenchmarkDiff50k(b *testing.B) {
	tr := loadTrace(b, "seph-blog1")
	old := []rune(tr.EndContent)
	new := append([]rune(nil), old...)
	for k := 1; k <= 20; k++ {
		new[k*len(new)/21] = '#'
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if hs := textsync.Diff(old, new); len(hs) != 20 {
			b.Fatalf("%d hunks", len(hs))
		}
	}
}
