package textsync

import "sort"

// anchorK is the length (in code points) of the pieces of text used as
// anchors when a diff is too large for Myers' algorithm in one pass.
const anchorK = 8

// anchoredDiff diffs texts whose differences are too many for one Myers
// pass (a merge of thousands of offline edits): the pieces of anchorK code
// points that occur exactly once in each text and in the same order
// (patience diff: the longest increasing run of their pairs) are taken as
// unchanged, each is grown while the texts agree, and the stretches between
// them — each holding only a few of the edits — are diffed by Myers with
// the full budget. A stretch still too large is recursed into with shorter
// anchors, and replaced whole only as a last resort.
func anchoredDiff(old, new []rune, aOff, bOff int, out *[]Hunk, k int, tryMyers bool) {
	old, new, aOff, bOff = trimCommon(old, new, aOff, bOff)
	if len(old) == 0 || len(new) == 0 {
		if len(old)+len(new) > 0 {
			*out = append(*out, Hunk{OldPos: aOff, OldLen: len(old), NewPos: bOff, NewLen: len(new)})
		}
		return
	}
	if tryMyers {
		mark := len(*out)
		d := differ[rune]{out: out, budget: maxWork}
		if d.diff(old, new, aOff, bOff) {
			return
		}
		*out = (*out)[:mark]
	}
	anchors := uniqueAnchors(old, new, k)
	if len(anchors) == 0 {
		if k > 2 {
			anchoredDiff(old, new, aOff, bOff, out, k/2, false)
			return
		}
		*out = append(*out, Hunk{OldPos: aOff, OldLen: len(old), NewPos: bOff, NewLen: len(new)})
		return
	}
	i, j := 0, 0 // end of the last matched stretch
	for _, an := range anchors {
		x, y := an[0], an[1]
		if x < i || y < j {
			continue // swallowed by the growth of the previous anchor
		}
		// Grow the anchor backwards (not past the previous match) and
		// forwards while the texts agree.
		for x > i && y > j && old[x-1] == new[y-1] {
			x--
			y--
		}
		ex, ey := an[0], an[1]
		for ex < len(old) && ey < len(new) && old[ex] == new[ey] {
			ex++
			ey++
		}
		anchoredDiff(old[i:x], new[j:y], aOff+i, bOff+j, out, k, true)
		i, j = ex, ey
	}
	anchoredDiff(old[i:], new[j:], aOff+i, bOff+j, out, k, true)
}

// uniqueAnchors returns the positions (in old, in new) of the pieces of k
// code points found exactly once in each text, keeping the longest run of
// them that is in the same order in both.
func uniqueAnchors(old, new []rune, k int) [][2]int {
	if len(old) < k || len(new) < k {
		return nil
	}
	type seen struct{ pos, n int }
	count := func(rs []rune) map[uint64]seen {
		m := make(map[uint64]seen, len(rs))
		for i, h := range kgramHashes(rs, k) {
			s := m[h]
			s.pos = i
			s.n++
			m[h] = s
		}
		return m
	}
	ma, mb := count(old), count(new)
	var pairs [][2]int
	for h, a := range ma {
		if b, ok := mb[h]; ok && a.n == 1 && b.n == 1 && equalRunes(old[a.pos:a.pos+k], new[b.pos:b.pos+k]) {
			pairs = append(pairs, [2]int{a.pos, b.pos})
		}
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i][0] < pairs[j][0] })
	return longestIncreasing(pairs)
}

// kgramHashes returns a hash of each piece of k code points of rs, by start.
func kgramHashes(rs []rune, k int) []uint64 {
	const base = 1099511628211
	var pow uint64 = 1
	for i := 0; i < k; i++ {
		pow *= base
	}
	out := make([]uint64, 0, len(rs)-k+1)
	var h uint64
	for i, r := range rs {
		h = h*base + uint64(r)
		if i >= k {
			h -= pow * uint64(rs[i-k])
		}
		if i >= k-1 {
			out = append(out, h)
		}
	}
	return out
}

func equalRunes(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// longestIncreasing returns the longest subsequence of pairs (sorted by
// their first element) whose second elements increase (patience sorting).
func longestIncreasing(pairs [][2]int) [][2]int {
	if len(pairs) == 0 {
		return nil
	}
	tails := []int{}                // index into pairs of the smallest tail of each length
	prev := make([]int, len(pairs)) // predecessor in the best run ending here
	for i, p := range pairs {
		n := sort.Search(len(tails), func(t int) bool { return pairs[tails[t]][1] >= p[1] })
		if n > 0 {
			prev[i] = tails[n-1]
		} else {
			prev[i] = -1
		}
		if n == len(tails) {
			tails = append(tails, i)
		} else {
			tails[n] = i
		}
	}
	out := make([][2]int, len(tails))
	for i, t := len(tails)-1, tails[len(tails)-1]; i >= 0; i, t = i-1, prev[t] {
		out[i] = pairs[t]
	}
	return out
}
