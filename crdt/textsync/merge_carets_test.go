package textsync_test

import (
	"math/rand/v2"
	"testing"

	"github.com/pwg-team/pwg/crdt/textsync"
)

// distinctRunes hands out code points never used before in a test, so that
// each character of a text has an identity to check carets against.
type distinctRunes struct{ next rune }

func (d *distinctRunes) take(n int) string {
	rs := make([]rune, n)
	for i := range rs {
		if d.next == 0 {
			d.next = 0x4E00 // CJK ideographs, then Extension B
		} else if d.next == 0x9FFF {
			d.next = 0x20000
		}
		rs[i] = d.next
		d.next++
	}
	return string(rs)
}

// TestCaretsAfterLargeOfflineMerge: a peer makes 3,000 transactions offline
// while this side makes 200; then this side merges them all at once (far
// more differences than one Myers pass affords). Every caret of the old view
// must end right after the same character, or after the nearest surviving
// one on its left if that character was deleted.
func TestCaretsAfterLargeOfflineMerge(t *testing.T) {
	var ids distinctRunes
	rng := rand.New(rand.NewPCG(12, 3000))
	ta := newDoc(t, "aa01")
	ba, err := textsync.New(ta, textsync.Options{BatchSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := ba.Local(0, 0, ids.take(5000)); err != nil {
		t.Fatal(err)
	}
	if err := ba.Flush(); err != nil {
		t.Fatal(err)
	}
	tb := forkDoc(t, ta, "bb02")
	edit := func(n int, splice func(pos, del int, ins string) error, length func() int) {
		for i := 0; i < n; i++ {
			l := length()
			pos := rng.IntN(l + 1)
			if rng.IntN(10) < 4 && pos < l {
				if err := splice(pos, min(1+rng.IntN(3), l-pos), ""); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err := splice(pos, 0, ids.take(1+rng.IntN(4))); err != nil {
				t.Fatal(err)
			}
		}
	}
	edit(3000, func(pos, del int, ins string) error {
		if err := tb.Splice(pos, del, ins); err != nil {
			return err
		}
		return tb.Commit()
	}, func() int { return len([]rune(mustText(t, tb))) })
	edit(200, ba.Local, func() int { return len([]rune(ba.Text())) })
	if err := ba.Flush(); err != nil {
		t.Fatal(err)
	}
	old := []rune(ba.Text())
	if err := ta.Merge(tb); err != nil {
		t.Fatal(err)
	}
	m, err := ba.Pull()
	if err != nil {
		t.Fatal(err)
	}
	merged := []rune(ba.Text())
	if mustText(t, ta) != string(merged) {
		t.Fatal("view differs from the merged document")
	}
	where := make(map[rune]int, len(merged))
	for i, r := range merged {
		where[r] = i
	}
	wrong, worst := 0, 0
	want := 0 // caret after the nearest surviving character on the left
	for p := 0; p <= len(old); p++ {
		if p > 0 {
			if i, ok := where[old[p-1]]; ok {
				want = i + 1
			}
		}
		if got := m.Caret(p); got != want {
			if wrong < 5 {
				t.Errorf("caret %d of %d: at %d, want %d", p, len(old), got, want)
			}
			wrong++
			worst = max(worst, abs(got-want))
		}
	}
	if wrong > 0 {
		t.Fatalf("%d of %d carets moved off their character, up to %d characters", wrong, len(old)+1, worst)
	}
	t.Logf("%d carets exact after merging 3,000 offline transactions into a view of %d characters (%d hunks)", len(old)+1, len(old), len(m.Hunks()))
}

func mustText(t *testing.T, tg interface{ Text() (string, error) }) string {
	t.Helper()
	s, err := tg.Text()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
