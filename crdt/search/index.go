// Package search keeps a full-text index of every meeting's notes in the
// workspace database, and answers searches across all meetings.
//
// # What is indexed
//
// Every non-blank line of every section's notes is one row of search_lines,
// with its meeting and section; search_sections holds the titles and dates
// shown beside a hit. An FTS5 table with the trigram tokenizer indexes the
// lines (external content, kept in step by triggers), so words are found
// inside text without spaces — Japanese (アラート in 障害ふりかえりでアラートを確認)
// as well as English. The trigram tokenizer cannot match fewer than three
// characters: a term of one or two characters is matched with LIKE over the
// same lines instead (see Search).
//
// # Keeping it current
//
// Update takes a meeting's current sections and rewrites only the lines
// that changed: the lines of each section are compared as a multiset with
// what is stored, so a keystroke in a 50,000-character section deletes one
// row and inserts one. Sections whose text did not change since the last
// Update are skipped by a hash kept in memory. A Keeper updates a meeting
// each time it was saved (minutes.Workspace.OnSaved), from the plain-text
// view saved with it. Each meeting also records a
// stamp of the stored document it was indexed from (Stamp, Stale), so a
// workspace opened after a crash or by an older pwg reindexes exactly the
// meetings that changed meanwhile.
//
// The tables are the search package's own (search_*), created on Open;
// dropping them loses nothing, they are rebuilt from the documents.
package search

import (
	"database/sql"
	"errors"
	"fmt"
	"hash/maphash"
	"maps"
	"strings"
	"sync"
)

const schema = `
CREATE TABLE IF NOT EXISTS search_meetings (
	meeting TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	date TEXT NOT NULL,
	stamp TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS search_sections (
	meeting TEXT NOT NULL,
	section TEXT NOT NULL,
	title TEXT NOT NULL,
	ord INTEGER NOT NULL,
	PRIMARY KEY (meeting, section)
);
CREATE TABLE IF NOT EXISTS search_lines (
	id INTEGER PRIMARY KEY,
	meeting TEXT NOT NULL,
	section TEXT NOT NULL,
	line TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS search_lines_section ON search_lines (meeting, section);
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
	line, content='search_lines', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS search_lines_ai AFTER INSERT ON search_lines BEGIN
	INSERT INTO search_fts(rowid, line) VALUES (new.id, new.line);
END;
CREATE TRIGGER IF NOT EXISTS search_lines_ad AFTER DELETE ON search_lines BEGIN
	INSERT INTO search_fts(search_fts, rowid, line) VALUES ('delete', old.id, old.line);
END;
`

// ErrEmptyQuery is returned by Search for a query with no words.
var ErrEmptyQuery = errors.New("search for what? The query is empty")

// Section is one agenda section of a meeting as the index takes it.
type Section struct {
	Key   string
	Title string
	Notes string
}

// Meeting is what the index keeps of one meeting: its titles and its
// sections in agenda order.
type Meeting struct {
	ID       string
	Title    string
	Date     string // YYYY-MM-DD
	Sections []Section
}

// Index is the full-text index of a workspace's meetings. Its methods are
// safe for concurrent use.
type Index struct {
	db *sql.DB

	mu     sync.Mutex
	seed   maphash.Seed
	hashes map[string]map[string]uint64 // meeting → section → hash of the notes last indexed
	titles map[string]string            // meeting → title+date+section titles last indexed
	rows   map[string]map[string]sectionRows
}

// indexes holds the one Index of each database: an Index remembers what it
// wrote, so two of them on the same tables would each miss the other's rows.
var indexes struct {
	sync.Mutex
	of map[*sql.DB]*Index
}

// Open creates the index tables in db if needed and returns the index of
// db (the same one for every call with the same db).
func Open(db *sql.DB) (*Index, error) {
	indexes.Lock()
	defer indexes.Unlock()
	if x, ok := indexes.of[db]; ok {
		return x, nil
	}
	if _, err := db.Exec(schema); err != nil {
		return nil, fmt.Errorf("create the search index tables: %w", err)
	}
	x := &Index{db: db, seed: maphash.MakeSeed(), hashes: map[string]map[string]uint64{}, titles: map[string]string{}, rows: map[string]map[string]sectionRows{}}
	if indexes.of == nil {
		indexes.of = map[*sql.DB]*Index{}
	}
	indexes.of[db] = x
	return x, nil
}

// Forget drops the index of db from Open's memory; call it when db is
// closed for good.
func Forget(db *sql.DB) {
	indexes.Lock()
	delete(indexes.of, db)
	indexes.Unlock()
}

// lines splits notes into the lines the index keeps: non-blank, without
// trailing spaces or a carriage return.
func lines(notes string) []string {
	var out []string
	for l := range strings.SplitSeq(notes, "\n") {
		l = strings.TrimRight(l, " \t\r")
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func metaKey(m Meeting) string {
	var b strings.Builder
	b.WriteString(m.Title + "\x00" + m.Date)
	for _, s := range m.Sections {
		b.WriteString("\x00" + s.Key + "\x01" + s.Title)
	}
	return b.String()
}

// Update makes the index hold m as given, recording stamp (see Stale). Only
// the lines that changed are written, in one transaction.
func (x *Index) Update(m Meeting, stamp string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	old := x.hashes[m.ID]
	now := make(map[string]uint64, len(m.Sections))
	var changed []Section
	for _, s := range m.Sections {
		h := maphash.String(x.seed, s.Notes)
		now[s.Key] = h
		if oh, ok := old[s.Key]; !ok || oh != h {
			changed = append(changed, s)
		}
	}
	var gone []string
	for k := range old {
		if _, ok := now[k]; !ok {
			gone = append(gone, k)
		}
	}
	meta := metaKey(m)
	tx, err := x.db.Begin()
	if err != nil {
		return fmt.Errorf("index meeting %s: %w", m.ID, err)
	}
	defer tx.Rollback()
	if old == nil || x.titles[m.ID] != meta {
		if err := writeMeta(tx, m, stamp); err != nil {
			return fmt.Errorf("index meeting %s: %w", m.ID, err)
		}
		if old == nil {
			// Not indexed in this process yet: what is stored is the
			// reference, whatever it is (gone sections included).
			if gone, err = storedSectionsNotIn(tx, m.ID, now); err != nil {
				return fmt.Errorf("index meeting %s: %w", m.ID, err)
			}
		}
	} else if _, err := tx.Exec(`UPDATE search_meetings SET stamp = ? WHERE meeting = ?`, stamp, m.ID); err != nil {
		return fmt.Errorf("index meeting %s: %w", m.ID, err)
	}
	for _, k := range gone {
		if _, err := tx.Exec(`DELETE FROM search_lines WHERE meeting = ? AND section = ?`, m.ID, k); err != nil {
			return fmt.Errorf("index meeting %s: %w", m.ID, err)
		}
	}
	// The cache changes only once the transaction commits: the rows of a
	// changed section are copied before syncLines updates them; the others
	// are shared, not copied on every save.
	next := maps.Clone(x.rows[m.ID])
	if next == nil {
		next = map[string]sectionRows{}
	}
	for _, k := range gone {
		delete(next, k)
	}
	for _, s := range changed {
		have := maps.Clone(next[s.Key])
		if have == nil {
			if have, err = loadRows(tx, m.ID, s.Key); err != nil {
				return fmt.Errorf("index section %s of %s: %w", s.Key, m.ID, err)
			}
		}
		next[s.Key] = have
		if err := syncLines(tx, m.ID, s, have); err != nil {
			return fmt.Errorf("index section %s of %s: %w", s.Key, m.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("index meeting %s: %w", m.ID, err)
	}
	x.hashes[m.ID] = now
	x.titles[m.ID] = meta
	x.rows[m.ID] = next
	return nil
}

func writeMeta(tx *sql.Tx, m Meeting, stamp string) error {
	if _, err := tx.Exec(`INSERT INTO search_meetings (meeting, title, date, stamp) VALUES (?, ?, ?, ?)
		ON CONFLICT (meeting) DO UPDATE SET title = excluded.title, date = excluded.date, stamp = excluded.stamp`,
		m.ID, m.Title, m.Date, stamp); err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM search_sections WHERE meeting = ?`, m.ID); err != nil {
		return err
	}
	for i, s := range m.Sections {
		if _, err := tx.Exec(`INSERT INTO search_sections (meeting, section, title, ord) VALUES (?, ?, ?, ?)`,
			m.ID, s.Key, s.Title, i); err != nil {
			return err
		}
	}
	return nil
}

func storedSectionsNotIn(tx *sql.Tx, meeting string, keep map[string]uint64) ([]string, error) {
	rows, err := tx.Query(`SELECT DISTINCT section FROM search_lines WHERE meeting = ?`, meeting)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		if _, ok := keep[k]; !ok {
			out = append(out, k)
		}
	}
	return out, rows.Err()
}

// sectionRows is what a section holds in search_lines: line → row ids.
type sectionRows map[string][]int64

func loadRows(tx *sql.Tx, meeting, section string) (sectionRows, error) {
	rows, err := tx.Query(`SELECT id, line FROM search_lines WHERE meeting = ? AND section = ?`, meeting, section)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	have := sectionRows{}
	for rows.Next() {
		var id int64
		var l string
		if err := rows.Scan(&id, &l); err != nil {
			return nil, err
		}
		have[l] = append(have[l], id)
	}
	return have, rows.Err()
}

// syncLines makes the stored lines of one section (have, updated in place)
// the lines of s.Notes, deleting and inserting only the difference (as
// multisets).
func syncLines(tx *sql.Tx, meeting string, s Section, have sectionRows) error {
	want := map[string]int{}
	var order []string
	for _, l := range lines(s.Notes) {
		if want[l] == 0 {
			order = append(order, l)
		}
		want[l]++
	}
	for l, ids := range have {
		for len(ids) > want[l] {
			if _, err := tx.Exec(`DELETE FROM search_lines WHERE id = ?`, ids[len(ids)-1]); err != nil {
				return err
			}
			ids = ids[:len(ids)-1]
		}
		if len(ids) == 0 {
			delete(have, l)
		} else {
			have[l] = ids
		}
	}
	for _, l := range order {
		for n := len(have[l]); n < want[l]; n++ {
			res, err := tx.Exec(`INSERT INTO search_lines (meeting, section, line) VALUES (?, ?, ?)`, meeting, s.Key, l)
			if err != nil {
				return err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			have[l] = append(have[l], id)
		}
	}
	return nil
}

// Remove drops a meeting from the index.
func (x *Index) Remove(meetingID string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	tx, err := x.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range []string{
		`DELETE FROM search_lines WHERE meeting = ?`,
		`DELETE FROM search_sections WHERE meeting = ?`,
		`DELETE FROM search_meetings WHERE meeting = ?`,
	} {
		if _, err := tx.Exec(q, meetingID); err != nil {
			return fmt.Errorf("remove meeting %s from the index: %w", meetingID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	delete(x.hashes, meetingID)
	delete(x.titles, meetingID)
	delete(x.rows, meetingID)
	return nil
}

// Stale returns the meetings of current (meeting id → stamp of its stored
// document) that the index does not hold as of that stamp, and the indexed
// meetings that are no longer in current.
func (x *Index) Stale(current map[string]string) (stale, gone []string, err error) {
	rows, err := x.db.Query(`SELECT meeting, stamp FROM search_meetings`)
	if err != nil {
		return nil, nil, fmt.Errorf("read the search index: %w", err)
	}
	defer rows.Close()
	have := map[string]string{}
	for rows.Next() {
		var id, st string
		if err := rows.Scan(&id, &st); err != nil {
			return nil, nil, err
		}
		have[id] = st
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for id, st := range current {
		if h, ok := have[id]; !ok || h != st {
			stale = append(stale, id)
		}
	}
	for id := range have {
		if _, ok := current[id]; !ok {
			gone = append(gone, id)
		}
	}
	return stale, gone, nil
}
