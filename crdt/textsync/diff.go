package textsync

// Hunk is one change of an edit script: the OldLen code points at OldPos in
// the old text were replaced by the NewLen code points at NewPos in the new
// text. Hunks of a script are sorted, do not overlap and are never adjacent.
type Hunk struct {
	OldPos, OldLen int
	NewPos, NewLen int
}

// maxWork bounds the comparisons one character-level Myers pass may spend
// before the diff falls back to anchoring on unique pieces of text.
const maxWork = 20_000_000

// Diff returns an edit script turning old into new: the shortest one (Myers'
// O(ND) algorithm, linear space) whenever the number of differences D is small
// enough for the work to stay under a few tens of millions of comparisons,
// otherwise an anchored diff (see anchoredDiff) whose stretches between
// anchors are each diffed by Myers.
//
// Ties are broken the same way everywhere: common text is matched as early as
// possible, so an edit inside a run of identical characters is reported at
// the end of the run ("aaa" → "aaaa" is an insertion at 3).
func Diff(old, new []rune) []Hunk {
	var out []Hunk
	d := differ[rune]{out: &out, budget: maxWork}
	if !d.diff(old, new, 0, 0) {
		out = out[:0]
		anchoredDiff(old, new, 0, 0, &out, anchorK, false)
	}
	return merge(out)
}

// DiffStrings is Diff on strings; positions count code points.
func DiffStrings(old, new string) []Hunk {
	return Diff([]rune(old), []rune(new))
}

// differ runs Myers' bisection on slices of comparable tokens, appending
// hunks in order. When budget runs out, diff returns false.
type differ[T comparable] struct {
	out    *[]Hunk
	budget int
	// coarse makes an exhausted budget produce one replacement hunk instead
	// of failing.
	coarse bool
}

func (d *differ[T]) emit(aOff, aLen, bOff, bLen int) {
	if aLen == 0 && bLen == 0 {
		return
	}
	*d.out = append(*d.out, Hunk{OldPos: aOff, OldLen: aLen, NewPos: bOff, NewLen: bLen})
}

func (d *differ[T]) diff(a, b []T, aOff, bOff int) bool {
	a, b, aOff, bOff = trimCommon(a, b, aOff, bOff)
	if len(a) == 0 || len(b) == 0 {
		d.emit(aOff, len(a), bOff, len(b))
		return true
	}
	x, y, found, ok := d.middleSnake(a, b)
	if !ok {
		if d.coarse {
			d.emit(aOff, len(a), bOff, len(b))
			return true
		}
		return false
	}
	if !found {
		// Nothing in common.
		d.emit(aOff, len(a), bOff, len(b))
		return true
	}
	return d.diff(a[:x], b[:y], aOff, bOff) && d.diff(a[x:], b[y:], aOff+x, bOff+y)
}

// middleSnake finds a point (x, y) on a shortest edit path from (0,0) to
// (len(a), len(b)) by running the greedy algorithm forward and backward
// until they overlap. found is false when a and b share nothing; ok is false
// when the budget ran out.
func (d *differ[T]) middleSnake(a, b []T) (x, y int, found, ok bool) {
	n, m := len(a), len(b)
	maxD := (n + m + 1) / 2
	if lim := d.budget/(n+m) + 1; lim < maxD {
		maxD = lim
	}
	offset := maxD + 1
	vLen := 2*maxD + 3
	v1 := make([]int, vLen)
	v2 := make([]int, vLen)
	for i := range v1 {
		v1[i], v2[i] = -1, -1
	}
	v1[offset+1], v2[offset+1] = 0, 0
	delta := n - m
	front := delta%2 != 0
	var k1start, k1end, k2start, k2end int
	used := 0
	defer func() { d.budget -= used * (n + m) }()
	for dd := 0; dd < maxD; dd++ {
		used = dd + 1
		for k1 := -dd + k1start; k1 <= dd-k1end; k1 += 2 {
			k1off := offset + k1
			var x1 int
			if k1 == -dd || (k1 != dd && v1[k1off-1] < v1[k1off+1]) {
				x1 = v1[k1off+1]
			} else {
				x1 = v1[k1off-1] + 1
			}
			y1 := x1 - k1
			for x1 < n && y1 < m && a[x1] == b[y1] {
				x1++
				y1++
			}
			v1[k1off] = x1
			switch {
			case x1 > n:
				k1end += 2
			case y1 > m:
				k1start += 2
			case front:
				k2off := offset + delta - k1
				if k2off >= 0 && k2off < vLen && v2[k2off] != -1 && x1 >= n-v2[k2off] {
					return x1, y1, true, true
				}
			}
		}
		for k2 := -dd + k2start; k2 <= dd-k2end; k2 += 2 {
			k2off := offset + k2
			var x2 int
			if k2 == -dd || (k2 != dd && v2[k2off-1] < v2[k2off+1]) {
				x2 = v2[k2off+1]
			} else {
				x2 = v2[k2off-1] + 1
			}
			y2 := x2 - k2
			for x2 < n && y2 < m && a[n-x2-1] == b[m-y2-1] {
				x2++
				y2++
			}
			v2[k2off] = x2
			switch {
			case x2 > n:
				k2end += 2
			case y2 > m:
				k2start += 2
			case !front:
				k1off := offset + delta - k2
				if k1off >= 0 && k1off < vLen && v1[k1off] != -1 {
					x1 := v1[k1off]
					y1 := x1 - (k1off - offset)
					if x1 >= n-x2 {
						return x1, y1, true, true
					}
				}
			}
		}
	}
	if maxD < (n+m+1)/2 {
		return 0, 0, false, false
	}
	return 0, 0, false, true
}

// trimCommon drops what a and b have in common at their start and end,
// moving the offsets of their start past the common prefix.
func trimCommon[T comparable](a, b []T, aOff, bOff int) ([]T, []T, int, int) {
	p := commonPrefix(a, b)
	a, b = a[p:], b[p:]
	s := commonSuffix(a, b)
	return a[:len(a)-s], b[:len(b)-s], aOff + p, bOff + p
}

func commonPrefix[T comparable](a, b []T) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

func commonSuffix[T comparable](a, b []T) int {
	n := min(len(a), len(b))
	for i := 1; i <= n; i++ {
		if a[len(a)-i] != b[len(b)-i] {
			return i - 1
		}
	}
	return n
}

// merge joins hunks that touch each other into one.
func merge(hs []Hunk) []Hunk {
	if len(hs) < 2 {
		return hs
	}
	out := hs[:1]
	for _, h := range hs[1:] {
		last := &out[len(out)-1]
		if last.OldPos+last.OldLen == h.OldPos && last.NewPos+last.NewLen == h.NewPos {
			last.OldLen += h.OldLen
			last.NewLen += h.NewLen
			continue
		}
		out = append(out, h)
	}
	return out
}
