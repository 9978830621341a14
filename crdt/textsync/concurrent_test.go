package textsync_test

import (
	"testing"

	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/crdt/textsync"
	"github.com/pwg-team/pwg/crdt/textsync/amtext"
)

// forkDoc returns a second replica of t's document with its own actor.
func forkDoc(tb testing.TB, t *amtext.Target, actor string) *amtext.Target {
	tb.Helper()
	if err := t.Commit(); err != nil {
		tb.Fatal(err)
	}
	doc, err := automerge.Load(t.Doc().Save())
	if err != nil {
		tb.Fatal(err)
	}
	if err := doc.SetActorID(actor); err != nil {
		tb.Fatal(err)
	}
	t2, err := amtext.New(doc, "notes")
	if err != nil {
		tb.Fatal(err)
	}
	return t2
}

// TestReplayConcurrentTrace replays friendsforever with one document and
// one binding per agent. Before each transaction the agent's document takes
// in the other agent's transactions that are ancestors of it (Apply), the
// binding pulls the merged text, and the transaction is typed through the
// binding; every document ends at endContent.
func TestReplayConcurrentTrace(t *testing.T) {
	tr := loadTrace(t, "friendsforever")
	if tr.NumAgents != 2 {
		t.Fatalf("trace has %d agents", tr.NumAgents)
	}
	targets := []*amtext.Target{newDoc(t, "aa01")}
	targets = append(targets, forkDoc(t, targets[0], "bb02"))
	bindings := make([]*textsync.Binding, 2)
	for a := range targets {
		b, err := textsync.New(targets[a], textsync.Options{BatchSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		bindings[a] = b
	}
	// changes[a][k] is the change made by agent a's k-th transaction.
	changes := make([][]*automerge.Change, 2)
	// applied[a][b] counts b's transactions merged into a's document.
	applied := [2][2]int{}
	// clock[i][a] counts agent a's transactions among txn i and its ancestors.
	clock := make([][2]int, len(tr.Txns))
	merges := 0
	for i, tx := range tr.Txns {
		a := tx.Agent
		var v [2]int
		for _, p := range tx.Parents {
			for k := range v {
				v[k] = max(v[k], clock[p][k])
			}
		}
		if v[a] != len(changes[a]) {
			t.Fatalf("txn %d does not descend from its agent's previous one", i)
		}
		other := 1 - a
		if n := applied[a][other]; n < v[other] {
			if err := targets[a].Apply(changes[other][n:v[other]]...); err != nil {
				t.Fatalf("txn %d: apply: %v", i, err)
			}
			applied[a][other] = v[other]
			if _, err := bindings[a].Pull(); err != nil {
				t.Fatal(err)
			}
			merges++
		}
		for _, p := range tx.Patches {
			if err := bindings[a].Local(p.pos, p.del, p.ins); err != nil {
				t.Fatalf("txn %d: %v", i, err)
			}
		}
		// A local commit depends on every head, so it is the only head.
		heads, err := targets[a].Heads()
		if err != nil {
			t.Fatal(err)
		}
		if len(heads) != 1 {
			t.Fatalf("txn %d: %d heads after a local commit", i, len(heads))
		}
		ch, err := targets[a].Doc().Change(heads[0])
		if err != nil {
			t.Fatal(err)
		}
		changes[a] = append(changes[a], ch)
		v[a]++
		clock[i] = v
	}
	for a := range targets {
		other := 1 - a
		if err := targets[a].Apply(changes[other][applied[a][other]:]...); err != nil {
			t.Fatal(err)
		}
		if _, err := bindings[a].Pull(); err != nil {
			t.Fatal(err)
		}
		got, err := targets[a].Text()
		if err != nil {
			t.Fatal(err)
		}
		if got != tr.EndContent {
			t.Fatalf("agent %d: document differs from endContent:\n%q\nwant\n%q", a, got, tr.EndContent)
		}
		if bindings[a].Text() != tr.EndContent {
			t.Fatalf("agent %d: view differs from endContent", a)
		}
	}
	t.Logf("%d transactions, %d merge points", len(tr.Txns), merges)
}
