package lansync_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/memstore"
)

type tcpPeer struct {
	st   *memstore.Store
	addr string
	node *lansync.Node
}

func (p *tcpPeer) start(t *testing.T, peers []string) {
	t.Helper()
	opts := fastOpts(t)
	opts.Listen = p.addr
	opts.Peers = peers
	n, err := lansync.Start(t.Context(), p.st, opts)
	if err != nil {
		t.Fatal(err)
	}
	p.node = n
	p.addr = n.Addr().String()
}

func (p *tcpPeer) stop() {
	if p.node != nil {
		p.node.Close()
		p.node = nil
	}
}

// TestTCPChurnConverges: four peers on loopback TCP, each dialing all the
// others (so duplicate connections are resolved), edit the same meeting
// while peers keep dropping out and coming back; once all are up, every
// peer has identical heads and text.
func TestTCPChurnConverges(t *testing.T) {
	team := memstore.NewTeam()
	peers := make([]*tcpPeer, 4)
	for i := range peers {
		peers[i] = &tcpPeer{st: newStore(t, team), addr: "127.0.0.1:0"}
	}
	doc := newTextDoc(t, peers[0].st, "")
	for _, p := range peers {
		p.start(t, nil)
	}
	addrs := func(skip int) []string {
		var out []string
		for j, q := range peers {
			if j != skip {
				out = append(out, q.addr)
			}
		}
		return out
	}
	for i, p := range peers {
		for _, a := range addrs(i) {
			p.node.AddPeer(a)
		}
	}
	defer func() {
		for _, p := range peers {
			p.stop()
		}
	}()
	stores := func() []*memstore.Store {
		var out []*memstore.Store
		for _, p := range peers {
			out = append(out, p.st)
		}
		return out
	}
	waitFor(t, 10*time.Second, "first sync", func() bool { return sameDocs(stores()...) }, stores()...)

	rng := rand.New(rand.NewPCG(1, 2))
	want := map[string]bool{}
	for round := 0; round < 12; round++ {
		down := rng.IntN(len(peers))
		peers[down].stop()
		for i, p := range peers {
			s := fmt.Sprintf("[%d.%d]", round, i)
			appendText(t, p.st, doc.ID(), s) // offline edits on the one that is down
			want[s] = true
		}
		peers[down].start(t, addrs(down))
	}
	waitFor(t, 20*time.Second, "convergence after churn", func() bool { return sameDocs(stores()...) }, stores()...)
	text := textOf(peers[0].st, doc.ID())
	for s := range want {
		if !contains(text, s) {
			t.Fatalf("edit %s lost: %q", s, text)
		}
	}
	for _, p := range peers[1:] {
		if got := textOf(p.st, doc.ID()); got != text {
			t.Fatalf("texts differ:\n%q\n%q", got, text)
		}
	}
	// Every peer ends up seeing the three others, each over one connection.
	waitFor(t, 10*time.Second, "full mesh", func() bool {
		for _, p := range peers {
			n := 0
			for _, q := range p.node.Peers() {
				if q.Connected {
					n++
				}
			}
			if n != 3 {
				return false
			}
		}
		return true
	})
}

// TestMDNSFindsPeers: two peers with no address of each other find each
// other by mDNS on loopback and sync.
func TestMDNSFindsPeers(t *testing.T) {
	team := memstore.NewTeam()
	sa, sb := newStore(t, team), newStore(t, team)
	d := newTextDoc(t, sa, "found by mDNS")
	for _, st := range []*memstore.Store{sa, sb} {
		opts := fastOpts(t)
		opts.Listen, opts.MDNS = "127.0.0.1:0", true
		startNode(t, st, opts)
	}
	waitFor(t, 15*time.Second, "mDNS discovery and sync", func() bool { return textOf(sb, d.ID()) == "found by mDNS" }, sb)
}

func TestStatus(t *testing.T) {
	team := memstore.NewTeam()
	sa, sb := newStore(t, team), newStore(t, team)
	opts := fastOpts(t)
	opts.Listen = "127.0.0.1:0"
	a := startNode(t, sa, opts)
	ob := fastOpts(t)
	ob.Peers = []string{a.Addr().String()}
	b := startNode(t, sb, ob)
	waitFor(t, 10*time.Second, "status lists the peer", func() bool {
		st := a.Status()
		return st.Running && st.Listen == a.Addr().String() && len(st.Peers) == 1 && st.Peers[0].Connected && st.Peers[0].Fingerprint == b.Fingerprint() && st.Fingerprint == a.Fingerprint()
	})
}
