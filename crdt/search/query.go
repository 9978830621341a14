package search

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Hit is one line that matches a search.
type Hit struct {
	MeetingID    string `json:"meeting"`
	MeetingTitle string `json:"meetingTitle"`
	Date         string `json:"date"`
	Section      string `json:"section"`
	SectionTitle string `json:"sectionTitle"`
	Line         string `json:"line"`
}

// DefaultLimit is how many hits Search returns when asked for none.
const DefaultLimit = 200

// minTrigram is the shortest term the trigram tokenizer can match.
const minTrigram = 3

// Terms splits a query into its words: separated by spaces (ASCII or
// ideographic), "double quotes" keep a phrase with spaces as one term.
func Terms(q string) []string {
	var out []string
	q = strings.ReplaceAll(q, "\u3000", " ")
	for q = strings.TrimSpace(q); q != ""; q = strings.TrimSpace(q) {
		if q[0] == '"' {
			end := strings.IndexByte(q[1:], '"')
			if end < 0 {
				end = len(q) - 1
			}
			if t := strings.TrimSpace(q[1 : end+1]); t != "" {
				out = append(out, t)
			}
			q = q[min(end+2, len(q)):]
			continue
		}
		end := strings.IndexAny(q, " \t\n")
		if end < 0 {
			end = len(q)
		}
		out = append(out, q[:end])
		q = q[end:]
	}
	return out
}

func ftsPhrase(t string) string { return `"` + strings.ReplaceAll(t, `"`, `""`) + `"` }

func likePattern(t string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(t) + "%"
}

// Search returns the lines that contain every term of q (case-insensitive),
// newest meeting first, then in agenda order; at most limit hits (0:
// DefaultLimit). Terms of three characters or more go through the FTS5
// trigram index; shorter ones (e.g. 障害 or DB) are matched with LIKE on
// the same rows — on the index's candidates when the query also has a
// longer term, else on every line.
func (x *Index) Search(q string, limit int) ([]Hit, error) {
	terms := Terms(q)
	if len(terms) == 0 {
		return nil, ErrEmptyQuery
	}
	if limit <= 0 {
		limit = DefaultLimit
	}
	var long, short []string
	for _, t := range terms {
		if utf8.RuneCountInString(t) >= minTrigram {
			long = append(long, ftsPhrase(t))
		} else {
			short = append(short, t)
		}
	}
	var where []string
	var args []any
	if len(long) > 0 {
		where = append(where, `l.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)`)
		args = append(args, strings.Join(long, " AND "))
	}
	for _, t := range short {
		where = append(where, `l.line LIKE ? ESCAPE '\'`)
		args = append(args, likePattern(t))
	}
	meta, err := x.meta()
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	// The matching rows are sorted here, not by SQL: joining every match
	// to its meeting and section costs more than the search itself.
	rows, err := x.db.Query(`SELECT l.id, l.meeting, l.section, l.line FROM search_lines l WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	defer rows.Close()
	type row struct {
		id  int64
		hit Hit
		ord int
	}
	var found []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.hit.MeetingID, &r.hit.Section, &r.hit.Line); err != nil {
			return nil, fmt.Errorf("search %q: %w", q, err)
		}
		mm := meta[r.hit.MeetingID]
		if mm == nil { // indexed after meta was read
			mm = &meetingMeta{}
		}
		r.hit.MeetingTitle, r.hit.Date = mm.title, mm.date
		r.hit.SectionTitle, r.ord = r.hit.Section, len(mm.sections)
		if s, ok := mm.sections[r.hit.Section]; ok {
			r.hit.SectionTitle, r.ord = s.title, s.ord
		}
		found = append(found, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	slices.SortFunc(found, func(a, b row) int {
		return cmp.Or(cmp.Compare(b.hit.Date, a.hit.Date), cmp.Compare(b.hit.MeetingID, a.hit.MeetingID),
			cmp.Compare(a.ord, b.ord), cmp.Compare(a.id, b.id))
	})
	var out []Hit
	seen := map[Hit]bool{}
	for _, r := range found {
		if seen[r.hit] { // the same line twice in a section is one hit
			continue
		}
		seen[r.hit] = true
		out = append(out, r.hit)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

type sectionMeta struct {
	title string
	ord   int
}

type meetingMeta struct {
	title, date string
	sections    map[string]sectionMeta
}

// meta reads the titles and dates of every indexed meeting and section.
func (x *Index) meta() (map[string]*meetingMeta, error) {
	out := map[string]*meetingMeta{}
	rows, err := x.db.Query(`SELECT meeting, title, date FROM search_meetings`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		m := &meetingMeta{sections: map[string]sectionMeta{}}
		var id string
		if err := rows.Scan(&id, &m.title, &m.date); err != nil {
			rows.Close()
			return nil, err
		}
		out[id] = m
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = x.db.Query(`SELECT meeting, section, title, ord FROM search_sections`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, key string
		var s sectionMeta
		if err := rows.Scan(&id, &key, &s.title, &s.ord); err != nil {
			return nil, err
		}
		if m := out[id]; m != nil {
			m.sections[key] = s
		}
	}
	return out, rows.Err()
}

// Line is a stored line with where it is.
type Line struct {
	MeetingID    string
	MeetingTitle string
	Date         string
	Section      string
	SectionTitle string
	Text         string
}

// Lines returns every stored line of the sections for which keep returns
// true (given the section's key and title), oldest meeting first: the
// material of the toil review.
func (x *Index) Lines(keep func(key, title string) bool) ([]Line, error) {
	rows, err := x.db.Query(`SELECT l.meeting, COALESCE(m.title, ''), COALESCE(m.date, ''), l.section, COALESCE(s.title, l.section), l.line
		FROM search_lines l
		LEFT JOIN search_meetings m ON m.meeting = l.meeting
		LEFT JOIN search_sections s ON s.meeting = l.meeting AND s.section = l.section
		ORDER BY m.date, l.meeting, s.ord, l.id`)
	if err != nil {
		return nil, fmt.Errorf("read the indexed lines: %w", err)
	}
	defer rows.Close()
	var out []Line
	for rows.Next() {
		var l Line
		if err := rows.Scan(&l.MeetingID, &l.MeetingTitle, &l.Date, &l.Section, &l.SectionTitle, &l.Text); err != nil {
			return nil, err
		}
		if keep(l.Section, l.SectionTitle) {
			out = append(out, l)
		}
	}
	return out, rows.Err()
}

// LineOffset returns the offset in code points of the first line of notes
// equal to line (as the index stores it), or -1: where the GUI puts the
// caret when it opens a hit.
func LineOffset(notes, line string) int {
	off := 0
	for l := range strings.SplitSeq(notes, "\n") {
		if strings.TrimRight(l, " \t\r") == line {
			return off
		}
		off += utf8.RuneCountInString(l) + 1
	}
	return -1
}
