package search

import (
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	_ "modernc.org/sqlite"
)

func openTestDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "pwg.db")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func openTestIndex(t testing.TB) (*Index, *sql.DB) {
	db := openTestDB(t)
	x, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	return x, db
}

func lineTexts(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Line)
	}
	return out
}

func mustSearch(t *testing.T, x *Index, q string) []Hit {
	t.Helper()
	hits, err := x.Search(q, 0)
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	return hits
}

func countRows(t *testing.T, db *sql.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

var october = Meeting{ID: "m-oct", Title: "PWG 2026-10", Date: "2026-10-15", Sections: []Section{
	{Key: "incidents", Title: "障害ふりかえり", Notes: "- 10/3 APIのレイテンシ悪化。原因はDBのスロークエリ\n- ポストモーテム: https://example.com/pm/12"},
	{Key: "worklog", Title: "作業ログ", Notes: "- 証明書を手動で更新した\n- Restarted the batch server by hand\n"},
}}

var november = Meeting{ID: "m-nov", Title: "PWG 2026-11", Date: "2026-11-12", Sections: []Section{
	{Key: "alerts", Title: "アラート", Notes: "CPUアラートが頻出している\nnoisy disk alert on db-2: raise threshold"},
	{Key: "worklog", Title: "作業ログ", Notes: "- 証明書を手動で更新した (again)"},
}}

func TestSearchFindsJapaneseAndEnglishWords(t *testing.T) {
	x, _ := openTestIndex(t)
	for _, m := range []Meeting{october, november} {
		if err := x.Update(m, "s1"); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		q    string
		want []string
	}{
		{"レイテンシ", []string{"- 10/3 APIのレイテンシ悪化。原因はDBのスロークエリ"}},
		{"スロークエリ", []string{"- 10/3 APIのレイテンシ悪化。原因はDBのスロークエリ"}},
		{"アラート", []string{"CPUアラートが頻出している"}},
		{"threshold", []string{"noisy disk alert on db-2: raise threshold"}},
		{"BATCH server", []string{"- Restarted the batch server by hand"}},
		{"証明書", []string{"- 証明書を手動で更新した (again)", "- 証明書を手動で更新した"}}, // newest meeting first
		// Terms shorter than a trigram: LIKE, alone and beside a longer term.
		{"DB", []string{"noisy disk alert on db-2: raise threshold", "- 10/3 APIのレイテンシ悪化。原因はDBのスロークエリ"}},
		{"db レイテンシ", []string{"- 10/3 APIのレイテンシ悪化。原因はDBのスロークエリ"}},
		{"悪化", []string{"- 10/3 APIのレイテンシ悪化。原因はDBのスロークエリ"}},
		{"障害", nil}, // only in a section title, never in a line
		{"手動 again", []string{"- 証明書を手動で更新した (again)"}},
		{`"by hand"`, []string{"- Restarted the batch server by hand"}},
		{"100%", nil},
		{"nothing-like-this", nil},
	}
	for _, c := range cases {
		got := lineTexts(mustSearch(t, x, c.q))
		if !slices.Equal(got, c.want) {
			t.Errorf("Search(%q) = %q, want %q", c.q, got, c.want)
		}
	}
	hits := mustSearch(t, x, "頻出")
	if len(hits) != 1 {
		t.Fatalf("頻出: %d hits", len(hits))
	}
	want := Hit{MeetingID: "m-nov", MeetingTitle: "PWG 2026-11", Date: "2026-11-12", Section: "alerts", SectionTitle: "アラート", Line: "CPUアラートが頻出している"}
	if hits[0] != want {
		t.Errorf("hit = %+v, want %+v", hits[0], want)
	}
	if _, err := x.Search("  \u3000 ", 0); !errors.Is(err, ErrEmptyQuery) {
		t.Errorf("empty query: err = %v, want ErrEmptyQuery", err)
	}
}

func TestUpdateWritesOnlyChangedLines(t *testing.T) {
	x, db := openTestIndex(t)
	m := Meeting{ID: "m1", Title: "PWG", Date: "2026-11-01", Sections: []Section{
		{Key: "topics", Title: "Topics", Notes: "alpha line\nbeta line\nalpha line\ngamma line"},
	}}
	if err := x.Update(m, "a"); err != nil {
		t.Fatal(err)
	}
	ids := func() map[string][]int64 {
		rows, err := db.Query(`SELECT id, line FROM search_lines ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string][]int64{}
		for rows.Next() {
			var id int64
			var l string
			if err := rows.Scan(&id, &l); err != nil {
				t.Fatal(err)
			}
			out[l] = append(out[l], id)
		}
		return out
	}
	before := ids()
	if len(before["alpha line"]) != 2 || len(before) != 3 {
		t.Fatalf("rows = %v, want alpha twice, beta, gamma", before)
	}
	// One line edited, one of the two duplicates removed.
	m.Sections[0].Notes = "alpha line\nbeta line, edited\ngamma line"
	if err := x.Update(m, "b"); err != nil {
		t.Fatal(err)
	}
	after := ids()
	if !slices.Equal(after["gamma line"], before["gamma line"]) || len(after["alpha line"]) != 1 || after["alpha line"][0] != before["alpha line"][0] {
		t.Errorf("unchanged lines were rewritten: before %v, after %v", before, after)
	}
	if len(after["beta line"]) != 0 || len(after["beta line, edited"]) != 1 {
		t.Errorf("edited line not replaced: %v", after)
	}
	if got := lineTexts(mustSearch(t, x, "beta")); !slices.Equal(got, []string{"beta line, edited"}) {
		t.Errorf("after edit: %q", got)
	}
	// The FTS index follows the content table (no stale match for the old line).
	if n := countRows(t, db, `search_lines`); n != 3 {
		t.Errorf("%d rows, want 3", n)
	}
	var fts int
	if err := db.QueryRow(`SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH '"beta line"' AND rowid NOT IN (SELECT id FROM search_lines)`).Scan(&fts); err != nil {
		t.Fatal(err)
	}
	if fts != 0 {
		t.Errorf("%d FTS rows left for deleted lines", fts)
	}
}

func TestUpdateFollowsRenamesAndRemovedSections(t *testing.T) {
	x, db := openTestIndex(t)
	m := Meeting{ID: "m1", Title: "PWG Nov", Date: "2026-11-01", Sections: []Section{
		{Key: "a", Title: "First", Notes: "kept words here"},
		{Key: "b", Title: "Second", Notes: "removed words here"},
	}}
	if err := x.Update(m, "1"); err != nil {
		t.Fatal(err)
	}
	m.Title = "PWG November"
	m.Sections = []Section{{Key: "a", Title: "First, renamed", Notes: "kept words here"}}
	if err := x.Update(m, "2"); err != nil {
		t.Fatal(err)
	}
	if hits := mustSearch(t, x, "removed"); len(hits) != 0 {
		t.Errorf("a removed section still matches: %+v", hits)
	}
	hits := mustSearch(t, x, "kept")
	if len(hits) != 1 || hits[0].MeetingTitle != "PWG November" || hits[0].SectionTitle != "First, renamed" {
		t.Errorf("titles not updated: %+v", hits)
	}
	// A new process (empty memory) sees a removed section as well.
	x2, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := x2.Update(Meeting{ID: "m1", Title: "PWG November", Date: "2026-11-01"}, "3"); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, db, "search_lines"); n != 0 {
		t.Errorf("%d lines left after every section went", n)
	}
}

func TestStaleAndRemove(t *testing.T) {
	x, db := openTestIndex(t)
	if err := x.Update(october, "s-oct"); err != nil {
		t.Fatal(err)
	}
	if err := x.Update(november, "s-nov"); err != nil {
		t.Fatal(err)
	}
	stale, gone, err := x.Stale(map[string]string{"m-oct": "s-oct", "m-nov": "s-nov-2", "m-dec": "s-dec"})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(stale)
	if !slices.Equal(stale, []string{"m-dec", "m-nov"}) || len(gone) != 0 {
		t.Errorf("Stale = %v, %v; want [m-dec m-nov], []", stale, gone)
	}
	_, gone, _ = x.Stale(map[string]string{"m-nov": "s-nov"})
	if !slices.Equal(gone, []string{"m-oct"}) {
		t.Errorf("gone = %v, want [m-oct]", gone)
	}
	if err := x.Remove("m-oct"); err != nil {
		t.Fatal(err)
	}
	if hits := mustSearch(t, x, "レイテンシ"); len(hits) != 0 {
		t.Errorf("removed meeting still found: %+v", hits)
	}
	if n := countRows(t, db, "search_sections WHERE meeting = 'm-oct'"); n != 0 {
		t.Errorf("%d section rows left", n)
	}
}

func TestLineOffset(t *testing.T) {
	notes := "一行目\r\n- second line  \nthird"
	if got := LineOffset(notes, "- second line"); got != 5 {
		t.Errorf("LineOffset = %d, want 5", got)
	}
	if got := LineOffset(notes, "missing"); got != -1 {
		t.Errorf("LineOffset(missing) = %d", got)
	}
}

func TestTerms(t *testing.T) {
	got := Terms(`  foo　"two words" bar"  "unterminated phrase`)
	want := []string{"foo", "two words", `bar"`, "unterminated phrase"}
	if !slices.Equal(got, want) {
		t.Errorf("Terms = %q, want %q", got, want)
	}
}
