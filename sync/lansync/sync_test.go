package lansync_test

import (
	"testing"
	"time"

	"github.com/pwg-team/pwg/sync/memstore"
)

func TestPipeSyncsBothWays(t *testing.T) {
	team := memstore.NewTeam()
	sa, sb := newStore(t, team), newStore(t, team)
	d1 := newTextDoc(t, sa, "from A")
	d2 := newTextDoc(t, sb, "from B")
	a := startNode(t, sa, fastOpts(t))
	b := startNode(t, sb, fastOpts(t))
	link(a, b)
	waitFor(t, 5*time.Second, "both documents on both peers", func() bool {
		return textOf(sa, d2.ID()) == "from B" && textOf(sb, d1.ID()) == "from A"
	}, sa, sb)
	appendText(t, sa, d2.ID(), " +A")
	appendText(t, sb, d1.ID(), " +B")
	waitFor(t, 5*time.Second, "live edits both ways", func() bool {
		return textOf(sa, d1.ID()) == "from A +B" && textOf(sb, d2.ID()) == "from B +A" && sameDocs(sa, sb)
	}, sa, sb)
}
