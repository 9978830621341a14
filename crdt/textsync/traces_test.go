package textsync_test

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/crdt/textsync"
	"github.com/pwg-team/pwg/crdt/textsync/amtext"
)

// patch is one edit of a trace: at pos, delete del code points, insert ins.
type patch struct {
	pos, del int
	ins      string
}

func (p *patch) UnmarshalJSON(b []byte) error {
	var raw [3]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if err := json.Unmarshal(raw[0], &p.pos); err != nil {
		return err
	}
	if err := json.Unmarshal(raw[1], &p.del); err != nil {
		return err
	}
	return json.Unmarshal(raw[2], &p.ins)
}

type txn struct {
	Parents []int   `json:"parents"`
	Agent   int     `json:"agent"`
	Patches []patch `json:"patches"`
}

type trace struct {
	Kind         string `json:"kind"`
	StartContent string `json:"startContent"`
	EndContent   string `json:"endContent"`
	NumAgents    int    `json:"numAgents"`
	Txns         []txn  `json:"txns"`
}

func loadTrace(tb testing.TB, name string) *trace {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "editing-traces", name+".json.gz"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	var tr trace
	if err := json.NewDecoder(zr).Decode(&tr); err != nil {
		tb.Fatalf("decode %s: %v", name, err)
	}
	return &tr
}

// newDoc returns a fresh document with an empty committed text at "notes".
func newDoc(tb testing.TB, actor string) *amtext.Target {
	tb.Helper()
	doc := automerge.New()
	if actor != "" {
		if err := doc.SetActorID(actor); err != nil {
			tb.Fatal(err)
		}
	}
	t, err := amtext.New(doc, "notes")
	if err != nil {
		tb.Fatal(err)
	}
	if err := t.Commit(); err != nil {
		tb.Fatal(err)
	}
	return t
}

// shorten keeps the first n transactions of a sequential trace and sets
// EndContent to the text they produce.
func shorten(tr *trace, n int) {
	if n >= len(tr.Txns) {
		return
	}
	tr.Txns = tr.Txns[:n]
	rs := []rune(tr.StartContent)
	for _, tx := range tr.Txns {
		for _, p := range tx.Patches {
			rs = append(rs[:p.pos], append([]rune(p.ins), rs[p.pos+p.del:]...)...)
		}
	}
	tr.EndContent = string(rs)
}

// replaySequential types every patch of a sequential trace through a binding.
func replaySequential(tb testing.TB, tr *trace, b *textsync.Binding) {
	tb.Helper()
	if tr.StartContent != "" {
		if err := b.Local(0, 0, tr.StartContent); err != nil {
			tb.Fatal(err)
		}
	}
	for i, tx := range tr.Txns {
		for _, p := range tx.Patches {
			if err := b.Local(p.pos, p.del, p.ins); err != nil {
				tb.Fatalf("txn %d: %v", i, err)
			}
		}
	}
	if err := b.Flush(); err != nil {
		tb.Fatal(err)
	}
}

func TestReplaySequentialTraces(t *testing.T) {
	for _, name := range []string{"seph-blog1", "automerge-paper"} {
		t.Run(name, func(t *testing.T) {
			if (testing.Short() || raceEnabled) && name == "automerge-paper" {
				t.Skip("long trace: runs without -race and -short")
			}
			tr := loadTrace(t, name)
			if raceEnabled {
				shorten(tr, 8000)
			}
			target := newDoc(t, "")
			b, err := textsync.New(target, textsync.Options{BatchSize: 20})
			if err != nil {
				t.Fatal(err)
			}
			replaySequential(t, tr, b)
			got, err := target.Text()
			if err != nil {
				t.Fatal(err)
			}
			if got != tr.EndContent {
				t.Fatalf("document text differs from endContent (%d vs %d bytes)", len(got), len(tr.EndContent))
			}
			if b.Text() != tr.EndContent {
				t.Fatal("view text differs from endContent")
			}
			// The document survives a save and load with the same text.
			doc, err := automerge.Load(target.Doc().Save())
			if err != nil {
				t.Fatal(err)
			}
			v, err := doc.RootMap().Get("notes")
			if err != nil {
				t.Fatal(err)
			}
			if s, _ := v.Text().Get(); s != tr.EndContent {
				t.Fatal("reloaded document differs from endContent")
			}
		})
	}
}

func ExampleBinding() {
	target, _ := amtext.New(automerge.New(), "notes")
	b, _ := textsync.New(target, textsync.Options{})
	_ = b.Local(0, 0, "議事録")
	_ = b.Local(3, 0, " 😀")
	_ = b.Flush()
	s, _ := target.Text()
	fmt.Println(s)
	// Output: 議事録 😀
}
