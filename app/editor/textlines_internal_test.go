package editor

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// unit measures every rune as 1 wide, a tab up to the next multiple of 4.
func unit(r rune, x float32) float32 {
	if r == '\t' {
		return float32(int(x)/4*4+4) - x
	}
	return 1
}

func TestTextLinesSpliceMatchesRunes(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("ab \n日本語\t")
	model := []rune("first line\nsecond 行\n\nlast")
	tl := newTextLines(model)
	tl.setWrap(5, unit)
	for i := 0; i < 3000; i++ {
		pos := rnd.IntN(len(model) + 1)
		del := rnd.IntN(min(4, len(model)-pos) + 1)
		ins := make([]rune, rnd.IntN(4))
		for j := range ins {
			ins[j] = alphabet[rnd.IntN(len(alphabet))]
		}
		model = slices.Replace(model, pos, pos+del, ins...)
		tl.splice(pos, del, slices.Clone(ins))
		if i%7 == 0 {
			tl.rows() // keep the row index warm, as a rendering would
		}
		if got := tl.String(); got != string(model) {
			t.Fatalf("step %d: lines hold %q, want %q", i, got, string(model))
		}
		if tl.Len() != len(model) {
			t.Fatalf("step %d: length %d, want %d", i, tl.Len(), len(model))
		}
		checkRows(t, tl)
		for off := 0; off <= len(model); off++ {
			l, c := tl.pos(off)
			if tl.offset(l, c) != off {
				t.Fatalf("step %d: offset(pos(%d)) = %d", i, off, tl.offset(l, c))
			}
			want := rune(0)
			if off < len(model) {
				want = model[off]
			}
			if got := tl.runeAt(off); got != want {
				t.Fatalf("step %d: runeAt(%d) = %q, want %q", i, off, got, want)
			}
		}
	}
}

// checkRows compares the incremental row index with one built from scratch.
func checkRows(t *testing.T, tl *textLines) {
	t.Helper()
	fresh := newTextLines([]rune(tl.String()))
	fresh.setWrap(tl.wrapW, tl.adv)
	if got, want := tl.rows(), fresh.rows(); got != want {
		t.Fatalf("%d rows, from scratch %d", got, want)
	}
	for r := 0; r < fresh.rows(); r++ {
		l, a, z := tl.rowAt(r)
		fl, fa, fz := fresh.rowAt(r)
		if l != fl || a != fa || z != fz {
			t.Fatalf("row %d: line %d [%d,%d), from scratch line %d [%d,%d)", r, l, a, z, fl, fa, fz)
		}
		if got := tl.rowOf(l, a, false); got != r {
			t.Fatalf("rowOf(start of row %d) = %d", r, got)
		}
	}
}

func TestWrapLine(t *testing.T) {
	for _, c := range []struct {
		text string
		w    float32
		want []string
	}{
		{"the monitor fired", 8, []string{"the ", "monitor ", "fired"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"a    b", 3, []string{"a    ", "b"}},           // spaces hang
		{"日本語の文章です。", 4, []string{"日本語の", "文章で", "す。"}}, // 。 does not start a row
		{"「引用」です", 3, []string{"「引", "用」で", "す"}},       // 「 does not end a row
		{"\tx\ty", 6, []string{"\tx\t", "y"}},           // tabs hang like spaces
		{"fits", 0, []string{"fits"}},
	} {
		rs := []rune(c.text)
		br := wrapLine(rs, c.w, unit, nil)
		var got []string
		from := 0
		for _, b := range append(br, len(rs)) {
			got = append(got, string(rs[from:b]))
			from = b
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("wrap %q at %v: %q, want %q", c.text, c.w, got, c.want)
		}
	}
}
