package textsync_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// FuzzBinding runs random sessions: local splices through the binding,
// remote splices on a second replica, merges in both directions at random
// points (sometimes typing into a view that has not pulled a merge yet),
// caret and selection moves. After a final merge both replicas and the view
// hold the same text.
//
// When the first byte is even, every inserted character is unique (fresh
// CJK ideographs), so each character is identified by its value and the
// test checks exactly that the caret stays after the same character, that a
// selection keeps exactly its surviving characters, and that local text
// typed into a stale view lands between the same characters in the document.
// With an odd first byte, text is drawn from "aab " and only convergence and
// bounds are checked: with repeated characters the merged text alone cannot
// say which of two identical characters a peer inserted or deleted (see
// TestRunsOfIdenticalCharacters for what the caret then does).
func FuzzBinding(f *testing.F) {
	f.Add([]byte{0, 0, 5, 0, 3, 2, 1, 2, 0, 2, 3, 4, 6, 1, 3, 2, 2, 0, 1, 3, 0, 0, 4})
	f.Add([]byte{1, 0, 5, 0, 3, 2, 1, 2, 0, 2, 3, 4, 6, 1, 3, 2, 2, 0, 1, 3, 0, 0, 4})
	f.Add([]byte{2, 0, 9, 0, 3, 5, 2, 1, 1, 3, 6, 1, 4, 3, 0, 2, 2, 2, 3, 0, 3, 2, 0, 9, 4, 5})
	f.Fuzz(session)
}

// TestRandomSessions runs the fuzz body on a few hundred generated inputs so
// that every `go test` covers more than the seeds.
func TestRandomSessions(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	n := 300
	if raceEnabled || testing.Short() {
		n = 60
	}
	for i := 0; i < n; i++ {
		data := make([]byte, 20+rng.IntN(200))
		for k := range data {
			data[k] = byte(rng.IntN(256))
		}
		data[0] = byte(i)
		session(t, data)
		if t.Failed() {
			t.Fatalf("input %v", data)
		}
	}
}

type bytesReader struct{ b []byte }

func (r *bytesReader) more() bool { return len(r.b) > 0 }

// intn reads a number in [0, n).
func (r *bytesReader) intn(n int) int {
	if n <= 1 || len(r.b) == 0 {
		return 0
	}
	v := int(r.b[0])
	r.b = r.b[1:]
	return v % n
}

func session(t *testing.T, data []byte) {
	if len(data) == 0 {
		return
	}
	if len(data) > 300 {
		data = data[:300]
	}
	unique := data[0]%2 == 0
	rd := &bytesReader{b: data[1:]}
	p := newPair(t, "")
	next := rune(0x4E00)
	gen := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			if unique {
				b.WriteRune(next)
				next++
			} else {
				b.WriteByte("aab "[rd.intn(4)])
			}
		}
		return b.String()
	}
	anchor, caret := 0, 0
	for rd.more() {
		switch rd.intn(7) {
		case 0, 1: // type into the view
			view := []rune(p.b.Text())
			docBefore := []rune(text(t, p.local))
			pos := rd.intn(len(view) + 1)
			del := rd.intn(min(3, len(view)-pos) + 1)
			ins := gen(rd.intn(4))
			t.Logf("local %d+%d %q on view %q, document %q", pos, del, ins, string(view), string(docBefore))
			if err := p.b.Local(pos, del, ins); err != nil {
				t.Fatalf("local %d+%d %q: %v", pos, del, ins, err)
			}
			if unique {
				checkLocalPlacement(t, view, docBefore, []rune(text(t, p.local)), pos, del, []rune(ins))
			}
			caret = pos + len([]rune(ins))
			anchor = caret
		case 2: // a peer types
			n := len([]rune(text(t, p.remote)))
			pos := rd.intn(n + 1)
			del := rd.intn(min(4, n-pos) + 1)
			ins := gen(rd.intn(4))
			t.Logf("remote %d+%d %q", pos, del, ins)
			p.remoteSplice(pos, del, ins)
		case 3: // merge the peer's changes, no pull yet
			p.send(1)
			t.Logf("merged into local: %q", text(t, p.local))
		case 4: // pull, map caret and selection
			old := []rune(p.b.Text())
			m := p.pull()
			na, nc := m.Selection(anchor, caret)
			cur := []rune(p.b.Text())
			if p.b.Text() != text(t, p.local) {
				t.Fatal("view differs from the document after a pull")
			}
			if na < 0 || nc < 0 || na > len(cur) || nc > len(cur) {
				t.Fatalf("selection %d,%d outside %d code points", na, nc, len(cur))
			}
			if unique {
				checkSelection(t, old, cur, anchor, caret, na, nc)
			}
			anchor, caret = na, nc
		case 5: // send local changes to the peer
			p.send(0)
			t.Logf("merged into remote: %q", text(t, p.remote))
		case 6: // move the caret or select
			n := p.b.Len()
			caret = rd.intn(n + 1)
			anchor = caret
			if rd.intn(2) == 1 {
				anchor = rd.intn(n + 1)
			}
		}
	}
	p.send(0)
	p.send(1)
	p.pull()
	if l, r := text(t, p.local), text(t, p.remote); l != r || p.b.Text() != l {
		t.Fatalf("diverged: local %q remote %q view %q", l, r, p.b.Text())
	}
}

// after is where, in cur, a position right after old[p-1] is: after the
// nearest character on the left of p that survives in cur (values are
// unique), or 0.
func after(old, cur []rune, p int) int {
	for k := p - 1; k >= 0; k-- {
		if i := slices.Index(cur, old[k]); i >= 0 {
			return i + 1
		}
	}
	return 0
}

func checkSelection(t *testing.T, old, cur []rune, anchor, caret, na, nc int) {
	t.Helper()
	if anchor != caret {
		lo, hi := min(anchor, caret), max(anchor, caret)
		first, last := -1, -1
		for _, r := range old[lo:hi] {
			if i := slices.Index(cur, r); i >= 0 {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if first >= 0 {
			wlo, whi := min(na, nc), max(na, nc)
			if wlo != first || whi != last+1 || (anchor < caret) != (na < nc) {
				t.Fatalf("selection [%d,%d) of %q became %d,%d in %q; want [%d,%d)",
					lo, hi, string(old), na, nc, string(cur), first, last+1)
			}
			return
		}
	}
	want := after(old, cur, caret)
	if na != want || nc != want {
		t.Fatalf("caret %d (anchor %d) in %q became %d,%d in %q; want %d",
			caret, anchor, string(old), na, nc, string(cur), want)
	}
}

// checkLocalPlacement checks a local splice made on view when the document
// held docBefore: the document lost exactly the deleted characters that it
// still had and gained the inserted ones, between the same characters the
// user saw: after the nearest character on the left of the splice and before
// the nearest one on its right that the document still had. (Where between
// them, relative to text the view never showed, depends on what the binding
// learned about the document meanwhile.)
func checkLocalPlacement(t *testing.T, view, docBefore, docAfter []rune, pos, del int, ins []rune) {
	t.Helper()
	gone := view[pos : pos+del]
	var want, got []rune
	for _, r := range docBefore {
		if !slices.Contains(gone, r) {
			want = append(want, r)
		}
	}
	for _, r := range docAfter {
		if !slices.Contains(ins, r) {
			got = append(got, r)
		}
	}
	if string(got) != string(want) {
		t.Fatalf("splice %d+%d on view %q: document %q became %q", pos, del, string(view), string(docBefore), string(docAfter))
	}
	if len(ins) == 0 {
		return
	}
	i := slices.Index(docAfter, ins[0])
	if slices.Index(docAfter, ins[len(ins)-1]) != i+len(ins)-1 {
		t.Fatalf("inserted %q split up in %q", string(ins), string(docAfter))
	}
	lo, hi := 0, len(docAfter)
	if l := after(view, docAfter, pos); l > 0 {
		lo = l
	}
	for k := pos + del; k < len(view); k++ {
		if j := slices.Index(docAfter, view[k]); j >= 0 {
			hi = j
			break
		}
	}
	if i < lo || i+len(ins) > hi {
		t.Fatalf("splice %d+%d %q on view %q landed at %d of %q, outside [%d, %d]",
			pos, del, string(ins), string(view), i, string(docAfter), lo, hi)
	}
}
