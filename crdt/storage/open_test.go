package storage_test

import (
	"bytes"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pwg-team/pwg/crdt/storage"
)

// sqliteFile makes an SQLite database (rollback journal, as other programs
// leave them) by running stmts, and returns its path.
func sqliteFile(t *testing.T, stmts ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pwg.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestNotAWorkspaceLeftIdentical: an empty file, another program's SQLite
// database and a database of a newer pwg are refused, each with its own
// error, and left byte-identical (pwg added its tables to the foreign one,
// and switched the newer one to WAL before refusing it).
func TestNotAWorkspaceLeftIdentical(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "pwg.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		path string
		want error
	}{
		{"empty file", empty, storage.ErrNotWorkspace},
		{"another program's database", sqliteFile(t, `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)`, `INSERT INTO notes (body) VALUES ('mine')`), storage.ErrNotWorkspace},
		{"newer pwg", sqliteFile(t, `CREATE TABLE docs (id TEXT PRIMARY KEY)`, `CREATE TABLE doc_chunks (doc_id TEXT)`, `CREATE TABLE settings (key TEXT)`, `PRAGMA user_version = 99`), storage.ErrNewerSchema},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, err := os.ReadFile(c.path)
			if err != nil {
				t.Fatal(err)
			}
			st, err := storage.Open(c.path)
			if err == nil {
				st.Close()
				t.Fatal("opened")
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
			after, err := os.ReadFile(c.path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Fatalf("the file changed (%d → %d bytes)", len(before), len(after))
			}
		})
	}
	// A workspace pwg made still opens.
	path := filepath.Join(t.TempDir(), "pwg.db")
	for range 2 {
		st, err := storage.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
	}
}
