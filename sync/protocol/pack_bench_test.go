package protocol_test

import (
	"testing"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/sync/protocol"
)

// keystrokeMessage is a sync message carrying n one-keystroke changes, as
// peers of a meeting send each other (about 170 bytes a change).
func keystrokeMessage(b *testing.B, n int) []byte {
	a := automerge.New()
	if err := a.Path("notes").Set(automerge.NewText("")); err != nil {
		b.Fatal(err)
	}
	if _, err := a.Commit(""); err != nil {
		b.Fatal(err)
	}
	peer, err := automerge.Load(a.Save())
	if err != nil {
		b.Fatal(err)
	}
	sa, sb := automerge.NewSyncState(a), automerge.NewSyncState(peer)
	exchange(b, sa, sb)
	txt := a.Path("notes").Text()
	for i, r := range words(9, n) {
		if err := txt.Insert(i, string(r)); err != nil {
			b.Fatal(err)
		}
		if _, err := a.Commit(`{"by":"p","what":"edit notes"}`); err != nil {
			b.Fatal(err)
		}
	}
	msg, _ := changesMessage(b, a, peer, sa, sb)
	return msg
}

// BenchmarkPackKeystrokes: packing a sync message of 50 keystroke changes,
// the large messages of a meeting in progress.
func BenchmarkPackKeystrokes(b *testing.B) {
	msg := keystrokeMessage(b, 50)
	b.SetBytes(int64(len(msg)))
	var n int
	for i := 0; i < b.N; i++ {
		p, err := protocol.PackSync(msg, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		n = len(p)
	}
	z, _ := protocol.Deflate(msg)
	b.ReportMetric(float64(n), "packed-bytes")
	b.ReportMetric(float64(len(z)), "deflated-bytes")
	b.ReportMetric(float64(len(msg)), "msg-bytes")
}

func BenchmarkDeflateKeystrokes(b *testing.B) {
	msg := keystrokeMessage(b, 50)
	b.SetBytes(int64(len(msg)))
	for i := 0; i < b.N; i++ {
		if _, err := protocol.Deflate(msg); err != nil {
			b.Fatal(err)
		}
	}
}
