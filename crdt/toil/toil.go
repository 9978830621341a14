// Package toil finds toil in the minutes: non-routine work (作業ログ) that the
// team did again and again. The seeds put it as "同じことを複数回やっているなら
// トイル" — if we do the same thing more than once, it is toil; think about
// automating or eliminating it.
//
// A work-log line is compared with the lines of the other meetings after
// normalising away what differs between two mentions of the same chore:
// list markers and check boxes, dates, numbers, URLs, case and full-width
// forms. Two lines are similar when their character bigrams overlap by at
// least Threshold (Dice coefficient), which works for Japanese written
// without spaces as for English. Similar lines form a group; a group that
// spans at least two meetings is a Candidate.
package toil

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Threshold is the Dice similarity of two lines' bigrams above which they
// name the same chore.
const Threshold = 0.6

// minBigrams leaves out lines too short to say what was done ("- 特になし").
const minBigrams = 4

// Line is one work-log line and where it was written.
type Line struct {
	MeetingID    string `json:"meeting"`
	MeetingTitle string `json:"meetingTitle"`
	Date         string `json:"date"`
	Section      string `json:"section"`
	Text         string `json:"line"`
}

// Candidate is work that recurs in several meetings.
type Candidate struct {
	// Title says what the work is: the latest mention, without its list marker.
	Title string `json:"title"`
	// Meetings is how many different meetings mention it.
	Meetings int `json:"meetings"`
	// Seen lists every mention, oldest first.
	Seen []Line `json:"seen"`
}

var (
	reURL    = regexp.MustCompile(`https?://\S+`)
	reDate   = regexp.MustCompile(`\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}/\d{1,2}|\d{1,2}月\d{1,2}日`)
	reNumber = regexp.MustCompile(`\d+`)
	reMarker = regexp.MustCompile(`^\s*(?:[-*+・●○◦]|\d+[.)])\s*(?:\[[ xX]\]\s*)?`)
)

// Clean returns a line without its list marker and check box, trimmed.
func Clean(s string) string {
	return strings.TrimSpace(reMarker.ReplaceAllString(s, ""))
}

// normalize folds a line to what identifies the chore: lower case, NFKC
// (full-width letters and digits become ASCII), no URLs, dates or numbers,
// letters and digits only.
func normalize(s string) []rune {
	s = norm.NFKC.String(Clean(s))
	s = reURL.ReplaceAllString(s, " ")
	s = reDate.ReplaceAllString(s, " ")
	s = reNumber.ReplaceAllString(s, "#")
	var out []rune
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || r == '#' {
			out = append(out, r)
		}
	}
	return out
}

// bigrams returns the sorted distinct character bigrams of s.
func bigrams(s []rune) []uint64 {
	var out []uint64
	for i := 0; i+1 < len(s); i++ {
		out = append(out, uint64(s[i])<<32|uint64(s[i+1]))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// dice is 2|a∩b| / (|a|+|b|) of two sorted sets.
func dice(a, b []uint64) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return 2 * float64(n) / float64(len(a)+len(b))
}

// Similar reports whether two lines name the same chore.
func Similar(a, b string) bool {
	return dice(bigrams(normalize(a)), bigrams(normalize(b))) >= Threshold
}

// Find groups similar lines and returns the groups that span at least two
// meetings, the most widespread first (then the most recent).
func Find(lines []Line) []Candidate {
	type item struct {
		line Line
		bg   []uint64
	}
	var items []item
	for _, l := range lines {
		bg := bigrams(normalize(l.Text))
		if len(bg) >= minBigrams {
			items = append(items, item{l, bg})
		}
	}
	parent := make([]int, len(items))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := range items {
		for j := i + 1; j < len(items); j++ {
			if find(i) == find(j) {
				continue
			}
			if dice(items[i].bg, items[j].bg) >= Threshold {
				parent[find(j)] = find(i)
			}
		}
	}
	groups := map[int][]Line{}
	for i, it := range items {
		r := find(i)
		groups[r] = append(groups[r], it.line)
	}
	var out []Candidate
	for _, g := range groups {
		meetings := map[string]bool{}
		for _, l := range g {
			meetings[l.MeetingID] = true
		}
		if len(meetings) < 2 {
			continue
		}
		slices.SortStableFunc(g, func(a, b Line) int {
			return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.MeetingID, b.MeetingID))
		})
		out = append(out, Candidate{Title: Clean(g[len(g)-1].Text), Meetings: len(meetings), Seen: g})
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(b.Meetings, a.Meetings),
			cmp.Compare(b.Seen[len(b.Seen)-1].Date, a.Seen[len(a.Seen)-1].Date), cmp.Compare(a.Title, b.Title))
	})
	return out
}

// IsWorkLog reports whether a section is the work log (作業ログ): the key of
// the PWG template, or a title that says so (a team's own agenda).
func IsWorkLog(key, title string) bool {
	if key == "worklog" {
		return true
	}
	t := strings.ToLower(title)
	return strings.Contains(t, "作業ログ") || strings.Contains(t, "work log") || strings.Contains(t, "worklog")
}

// actionPrefix starts the title of an action item made from a candidate.
const actionPrefix = "Automate or eliminate (toil): "

// ActionTitle is the title of the action item that a candidate becomes.
func ActionTitle(c Candidate) string { return actionPrefix + c.Title }

// Covered reports whether one of the action item titles already deals with
// the candidate (an item made from it, also when later mentions changed
// the candidate's wording).
func Covered(c Candidate, actionTitles []string) bool {
	for _, t := range actionTitles {
		what, ok := strings.CutPrefix(t, actionPrefix)
		if !ok {
			continue
		}
		for _, l := range c.Seen {
			if Similar(what, l.Text) {
				return true
			}
		}
	}
	return false
}
