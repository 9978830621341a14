package textsync

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// applyHunks rebuilds new from old and the script, failing on an invalid one.
func applyHunks(t testing.TB, old, new []rune, hs []Hunk) string {
	t.Helper()
	var b strings.Builder
	oi, ni := 0, 0
	for k, h := range hs {
		if h.OldPos < oi || h.NewPos-ni != h.OldPos-oi {
			t.Fatalf("hunk %d %+v out of order (old %d new %d)", k, h, oi, ni)
		}
		if k > 0 && h.OldPos == oi && h.NewPos == ni {
			t.Fatalf("hunk %d %+v adjacent to the previous one", k, h)
		}
		if h.OldLen == 0 && h.NewLen == 0 {
			t.Fatalf("empty hunk %d", k)
		}
		b.WriteString(string(old[oi:h.OldPos]))
		b.WriteString(string(new[h.NewPos : h.NewPos+h.NewLen]))
		oi, ni = h.OldPos+h.OldLen, h.NewPos+h.NewLen
	}
	b.WriteString(string(old[oi:]))
	if len(old)-oi != len(new)-ni {
		t.Fatalf("script ends at old %d new %d of %d/%d", oi, ni, len(old), len(new))
	}
	return b.String()
}

func cost(hs []Hunk) int {
	n := 0
	for _, h := range hs {
		n += h.OldLen + h.NewLen
	}
	return n
}

// lcs is the textbook quadratic longest common subsequence length.
func lcs(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] > cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func TestDiffIsShortestEditScript(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabets := []string{"ab", "abc ", "あいう😀e\u0301", "abcdefghijklmnopqrstuvwxyz"}
	for i := 0; i < 3000; i++ {
		alpha := []rune(alphabets[i%len(alphabets)])
		gen := func() []rune {
			n := rng.IntN(40)
			rs := make([]rune, n)
			for k := range rs {
				rs[k] = alpha[rng.IntN(len(alpha))]
			}
			return rs
		}
		a, b := gen(), gen()
		hs := Diff(a, b)
		if got := applyHunks(t, a, b, hs); got != string(b) {
			t.Fatalf("Diff(%q, %q) rebuilds %q", string(a), string(b), got)
		}
		if want := len(a) + len(b) - 2*lcs(a, b); cost(hs) != want {
			t.Fatalf("Diff(%q, %q) costs %d, shortest is %d: %+v", string(a), string(b), cost(hs), want, hs)
		}
	}
}

func TestDiffCountsCodePoints(t *testing.T) {
	// "é" written as e + combining acute is two code points, like in Automerge.
	old, new := "日本語の😀テキスト", "日本語で😀👍🏼テe\u0301キスト"
	hs := DiffStrings(old, new)
	want := []Hunk{{OldPos: 3, OldLen: 1, NewPos: 3, NewLen: 1}, {OldPos: 5, OldLen: 0, NewPos: 5, NewLen: 2}, {OldPos: 6, OldLen: 0, NewPos: 8, NewLen: 2}}
	if len(hs) != len(want) {
		t.Fatalf("got %+v, want %+v", hs, want)
	}
	for i := range hs {
		if hs[i] != want[i] {
			t.Fatalf("got %+v, want %+v", hs, want)
		}
	}
}

func TestDiffRunsPutEditsAtTheEnd(t *testing.T) {
	for _, c := range []struct {
		old, new string
		want     Hunk
	}{
		{"xaaay", "xaaaay", Hunk{4, 0, 4, 1}},
		{"xaaay", "xaay", Hunk{3, 1, 3, 0}},
		{"abab", "ababab", Hunk{4, 0, 4, 2}},
	} {
		hs := DiffStrings(c.old, c.new)
		if len(hs) != 1 || hs[0] != c.want {
			t.Errorf("Diff(%q, %q) = %+v, want %+v", c.old, c.new, hs, c.want)
		}
	}
}

func TestDiffLargeTextsStayValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	words := strings.Fields("the alert fired because the threshold was too low and nobody looked at it しきい値 を 見直す")
	var sb strings.Builder
	for sb.Len() < 60000 {
		sb.WriteString(words[rng.IntN(len(words))])
		if rng.IntN(12) == 0 {
			sb.WriteString("\n")
		} else {
			sb.WriteString(" ")
		}
	}
	a := []rune(sb.String())
	// Many scattered edits: more than the character-level budget allows.
	b := append([]rune(nil), a...)
	for i := 0; i < 3000; i++ {
		p := rng.IntN(len(b))
		b = append(b[:p], append([]rune{rune('A' + rng.IntN(26))}, b[p+1:]...)...)
	}
	hs := Diff(a, b)
	if got := applyHunks(t, a, b, hs); got != string(b) {
		t.Fatal("large diff does not rebuild the new text")
	}
	if c := cost(hs); c > 4*3000*2 {
		t.Fatalf("large diff costs %d for 3000 replaced characters", c)
	}
}

func TestMappingStickiness(t *testing.T) {
	// "abcdef" → "abXcdf": X inserted at 2, e deleted.
	m := NewMapping(DiffStrings("abcdef", "abXcdf"))
	for _, c := range []struct {
		p           int
		left, right int
	}{
		{0, 0, 0}, {1, 1, 1}, {2, 2, 3}, {3, 4, 4}, {4, 5, 5}, {5, 5, 5}, {6, 6, 6},
	} {
		if got := m.Map(c.p, StickLeft); got != c.left {
			t.Errorf("Map(%d, left) = %d, want %d", c.p, got, c.left)
		}
		if got := m.Map(c.p, StickRight); got != c.right {
			t.Errorf("Map(%d, right) = %d, want %d", c.p, got, c.right)
		}
	}
}

func TestMappingSelection(t *testing.T) {
	cases := []struct {
		name, old, new string
		anchor, caret  int
		wantA, wantC   int
	}{
		{"insert before", "hello world", "oh, hello world", 6, 11, 10, 15},
		{"insert at start edge stays outside", "hello world", "hello big world", 6, 11, 10, 15},
		{"insert at end edge stays outside", "hello world!", "hello world?!", 6, 11, 6, 11},
		{"insert inside grows", "hello world", "hello wide world", 0, 5, 0, 5},
		{"insert inside grows 2", "hello world", "hello wor-ld", 6, 11, 6, 12},
		{"backwards selection", "hello world", "oh, hello world", 11, 6, 15, 10},
		{"delete part of it", "hello world", "hello wd", 6, 11, 6, 8},
		{"delete all of it", "hello world", "hello ", 6, 11, 6, 6},
		{"replace all of it", "hello world", "hello xyzzy", 6, 11, 6, 6},
		{"insert after", "hello world", "hello world, again", 0, 5, 0, 5},
	}
	for _, c := range cases {
		m := NewMapping(DiffStrings(c.old, c.new))
		a, k := m.Selection(c.anchor, c.caret)
		if a != c.wantA || k != c.wantC {
			t.Errorf("%s: Selection(%d, %d) = %d, %d, want %d, %d", c.name, c.anchor, c.caret, a, k, c.wantA, c.wantC)
		}
	}
}
