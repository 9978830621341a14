package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// ErrCorrupt is returned when the workspace database or a stored document
// cannot be read. The file on disk is left as it was.
var ErrCorrupt = errors.New("workspace data is damaged")

// ErrNotFound is returned for a document, blob or setting that does not exist.
var ErrNotFound = errors.New("not found")

// ErrNotWorkspace is returned for a database file that is not a pwg
// workspace: empty (0 bytes), or another program's SQLite database. It is
// left exactly as it was.
var ErrNotWorkspace = errors.New("not a pwg workspace")

// ErrNewerSchema is returned when a document or database was written by a
// newer pwg. Such a document opens read-only so that it is never damaged.
var ErrNewerSchema = errors.New("written by a newer pwg: open read-only; update pwg to edit it")

// migrations are applied in order; PRAGMA user_version records how many ran.
// Append only: never edit a migration that has shipped.
var migrations = []string{
	// 1: documents as a snapshot plus incremental chunks, blobs, settings, sync states.
	`CREATE TABLE docs (
		id TEXT PRIMARY KEY,
		kind TEXT NOT NULL,
		snapshot BLOB NOT NULL,
		snapshot_sum BLOB NOT NULL,
		updated_at INTEGER NOT NULL
	);
	CREATE TABLE doc_chunks (
		doc_id TEXT NOT NULL REFERENCES docs(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL,
		data BLOB NOT NULL,
		sum BLOB NOT NULL,
		PRIMARY KEY (doc_id, seq)
	);
	CREATE TABLE quarantine (
		id INTEGER PRIMARY KEY,
		doc_id TEXT NOT NULL,
		seq INTEGER NOT NULL,
		data BLOB NOT NULL,
		reason TEXT NOT NULL,
		at INTEGER NOT NULL
	);
	CREATE TABLE blobs (
		hash TEXT PRIMARY KEY,
		mime TEXT NOT NULL,
		data BLOB NOT NULL
	);
	CREATE TABLE settings (
		key TEXT PRIMARY KEY,
		value TEXT NOT NULL
	);
	CREATE TABLE sync_states (
		peer_id TEXT NOT NULL,
		doc_id TEXT NOT NULL,
		state BLOB NOT NULL,
		PRIMARY KEY (peer_id, doc_id)
	);`,
}

// Store is the SQLite database of a workspace. Its methods are safe for
// concurrent use: the database has one connection, so writes are serialised.
type Store struct {
	db *sql.DB
}

// Open opens (creating and migrating if needed) the database at path. It
// fails with ErrCorrupt if SQLite's integrity check fails, with
// ErrNotWorkspace for an empty file or another program's database and with
// ErrNewerSchema if a newer pwg wrote it; the file is left byte-identical
// then (it is inspected read-only before anything switches it to WAL).
func Open(path string) (*Store, error) {
	if err := inspect(path); err != nil {
		return nil, err
	}
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one connection: writes are serialised, transactions never contend
	s := &Store{db: db}
	if err := s.check(); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// DB returns the database. Integrations keep their own tables in it, named
// after their package.
func (s *Store) DB() *sql.DB { return s.db }

// check runs SQLite's quick integrity check so a damaged file is reported
// before anything writes to it.
func (s *Store) check() error {
	var res string
	if err := s.db.QueryRow(`PRAGMA quick_check`).Scan(&res); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if res != "ok" {
		return fmt.Errorf("%w: integrity check says %q", ErrCorrupt, res)
	}
	return nil
}

// inspect checks an existing database file read-only: not empty, not
// damaged, pwg's own tables (or none: a database pwg created and crashed
// before its first migration), and not of a newer schema.
func inspect(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // a new workspace
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if fi.Size() == 0 {
		return fmt.Errorf("%w: %s is empty (0 bytes); it was left as it is — move it away to start a new workspace, or restore it from a backup", ErrNotWorkspace, path)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	s := &Store{db: db}
	if err := s.check(); err != nil {
		return err
	}
	var v, tables, ours int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		return fmt.Errorf("%w: read schema version: %v", ErrCorrupt, err)
	}
	if err := db.QueryRow(`SELECT COUNT(*), COUNT(CASE WHEN name IN ('docs', 'doc_chunks', 'settings') THEN 1 END)
		FROM sqlite_master WHERE type = 'table'`).Scan(&tables, &ours); err != nil {
		return fmt.Errorf("%w: read tables: %v", ErrCorrupt, err)
	}
	switch {
	case v > len(migrations):
		return fmt.Errorf("workspace database has schema %d, this pwg knows up to %d: %w", v, len(migrations), ErrNewerSchema)
	case tables > 0 && (v == 0 || ours < 3):
		return fmt.Errorf("%w: %s is another program's SQLite database (%d tables, schema version %d); it was left as it is — give pwg a folder of its own (--workspace DIR)", ErrNotWorkspace, path, tables, v)
	}
	return nil
}

func (s *Store) migrate() error {
	var v int
	if err := s.db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("workspace database has schema %d, this pwg knows up to %d: %w", v, len(migrations), ErrNewerSchema)
	}
	for i := v; i < len(migrations); i++ {
		tx, err := s.db.Begin()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if _, err := tx.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, i+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	return nil
}

func checksum(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:8]
}

// StoredDoc is what the database holds for one document: its last
// snapshot and the incremental chunks saved after it, in order.
type StoredDoc struct {
	Kind     string
	Snapshot []byte
	Chunks   []Chunk
}

// Chunk is one incremental save of a document.
type Chunk struct {
	Seq  int64
	Data []byte
	OK   bool // its checksum matches
}

// LoadDoc reads a document's snapshot and chunks. A damaged snapshot is
// ErrCorrupt; a damaged chunk is returned with OK false for the caller to
// set aside (QuarantineChunk).
func (s *Store) LoadDoc(id string) (*StoredDoc, error) {
	var d StoredDoc
	var sum []byte
	err := s.db.QueryRow(`SELECT kind, snapshot, snapshot_sum FROM docs WHERE id = ?`, id).Scan(&d.Kind, &d.Snapshot, &sum)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("document %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: document %s: %v", ErrCorrupt, id, err)
	}
	if !bytes.Equal(checksum(d.Snapshot), sum) {
		return nil, fmt.Errorf("%w: document %s: snapshot checksum mismatch", ErrCorrupt, id)
	}
	rows, err := s.db.Query(`SELECT seq, data, sum FROM doc_chunks WHERE doc_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("%w: document %s chunks: %v", ErrCorrupt, id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Chunk
		if err := rows.Scan(&c.Seq, &c.Data, &sum); err != nil {
			return nil, fmt.Errorf("%w: document %s chunks: %v", ErrCorrupt, id, err)
		}
		c.OK = bytes.Equal(checksum(c.Data), sum)
		d.Chunks = append(d.Chunks, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%w: document %s chunks: %v", ErrCorrupt, id, err)
	}
	return &d, nil
}

// InsertDoc stores a new document's first snapshot.
func (s *Store) InsertDoc(id, kind string, snapshot []byte) error {
	_, err := s.db.Exec(`INSERT INTO docs (id, kind, snapshot, snapshot_sum, updated_at) VALUES (?, ?, ?, ?, ?)`,
		id, kind, snapshot, checksum(snapshot), time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("store document %s: %w", id, err)
	}
	return nil
}

// AppendChunk stores one incremental save after the document's others.
func (s *Store) AppendChunk(id string, data []byte) error {
	_, err := s.db.Exec(`INSERT INTO doc_chunks (doc_id, seq, data, sum)
		VALUES (?, COALESCE((SELECT MAX(seq) FROM doc_chunks WHERE doc_id = ?), 0) + 1, ?, ?)`,
		id, id, data, checksum(data))
	if err != nil {
		return fmt.Errorf("store changes of %s: %w", id, err)
	}
	return nil
}

// Compact replaces a document's snapshot and chunks by one snapshot, in one
// transaction: a crash leaves either the old rows or the new one.
func (s *Store) Compact(id, kind string, snapshot []byte) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`UPDATE docs SET kind = ?, snapshot = ?, snapshot_sum = ?, updated_at = ? WHERE id = ?`,
		kind, snapshot, checksum(snapshot), time.Now().UnixMilli(), id); err != nil {
		return fmt.Errorf("compact %s: %w", id, err)
	}
	if _, err := tx.Exec(`DELETE FROM doc_chunks WHERE doc_id = ?`, id); err != nil {
		return fmt.Errorf("compact %s: %w", id, err)
	}
	return tx.Commit()
}

// QuarantineChunk moves an unreadable chunk aside so that it is kept (nothing
// is lost) but no longer loaded.
func (s *Store) QuarantineChunk(id string, seq int64, data []byte, reason string) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO quarantine (doc_id, seq, data, reason, at) VALUES (?, ?, ?, ?, ?)`,
		id, seq, data, reason, time.Now().UnixMilli()); err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM doc_chunks WHERE doc_id = ? AND seq = ?`, id, seq); err != nil {
		return err
	}
	return tx.Commit()
}

// QuarantineDoc sets a whole document aside — its snapshot (as seq 0) and
// its chunks go to the quarantine table, kept but no longer loaded — and
// leaves in its place the empty snapshot given, with no sync states, so
// that the next sync asks peers for all of it. It returns the document's
// kind. One transaction: a crash leaves the document as it was.
func (s *Store) QuarantineDoc(id string, empty []byte, reason string) (string, error) {
	tx, err := s.db.Begin()
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var kind string
	var snap []byte
	if err := tx.QueryRow(`SELECT kind, snapshot FROM docs WHERE id = ?`, id).Scan(&kind, &snap); err != nil {
		return "", fmt.Errorf("set aside document %s: %w", id, err)
	}
	now := time.Now().UnixMilli()
	if _, err := tx.Exec(`INSERT INTO quarantine (doc_id, seq, data, reason, at) VALUES (?, 0, ?, ?, ?)`, id, snap, reason, now); err != nil {
		return "", fmt.Errorf("set aside document %s: %w", id, err)
	}
	if _, err := tx.Exec(`INSERT INTO quarantine (doc_id, seq, data, reason, at)
		SELECT doc_id, seq, data, ?, ? FROM doc_chunks WHERE doc_id = ?`, reason, now, id); err != nil {
		return "", fmt.Errorf("set aside document %s: %w", id, err)
	}
	for _, q := range []string{`DELETE FROM doc_chunks WHERE doc_id = ?`, `DELETE FROM sync_states WHERE doc_id = ?`} {
		if _, err := tx.Exec(q, id); err != nil {
			return "", fmt.Errorf("set aside document %s: %w", id, err)
		}
	}
	if _, err := tx.Exec(`UPDATE docs SET snapshot = ?, snapshot_sum = ?, updated_at = ? WHERE id = ?`,
		empty, checksum(empty), now, id); err != nil {
		return "", fmt.Errorf("set aside document %s: %w", id, err)
	}
	return kind, tx.Commit()
}

// SetKind records a document's kind (learnt when it arrives from a peer).
func (s *Store) SetKind(id, kind string) error {
	_, err := s.db.Exec(`UPDATE docs SET kind = ? WHERE id = ?`, kind, id)
	return err
}

// DocIDs lists the documents of kind (every document for ""), by id.
func (s *Store) DocIDs(kind string) ([]string, error) {
	q := `SELECT id FROM docs ORDER BY id`
	var args []any
	if kind != "" {
		q = `SELECT id FROM docs WHERE kind = ? ORDER BY id`
		args = append(args, kind)
	}
	rows, err := s.db.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// PutBlob stores data content-addressed and returns its sha256 hex hash.
func (s *Store) PutBlob(mime string, data []byte) (string, error) {
	h := sha256.Sum256(data)
	hash := hex.EncodeToString(h[:])
	_, err := s.db.Exec(`INSERT OR IGNORE INTO blobs (hash, mime, data) VALUES (?, ?, ?)`, hash, mime, data)
	if err != nil {
		return "", fmt.Errorf("store blob: %w", err)
	}
	return hash, nil
}

// Blob returns a stored blob's mime type and bytes, checked against its
// hash; ErrNotFound if absent.
func (s *Store) Blob(hash string) (string, []byte, error) {
	var mime string
	var data []byte
	err := s.db.QueryRow(`SELECT mime, data FROM blobs WHERE hash = ?`, hash).Scan(&mime, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, fmt.Errorf("blob %s: %w", hash, ErrNotFound)
	}
	if err != nil {
		return "", nil, fmt.Errorf("blob %s: %w", hash, err)
	}
	h := sha256.Sum256(data)
	if hex.EncodeToString(h[:]) != hash {
		return "", nil, fmt.Errorf("%w: blob %s does not match its hash", ErrCorrupt, hash)
	}
	return mime, data, nil
}

// Setting returns a stored setting, or ErrNotFound.
func (s *Store) Setting(key string) (string, error) {
	var v string
	err := s.db.QueryRow(`SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("setting %s: %w", key, ErrNotFound)
	}
	return v, err
}

// SetSetting stores a setting.
func (s *Store) SetSetting(key, value string) error {
	_, err := s.db.Exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// SyncState returns the saved sync state with a peer for a document (nil
// if none).
func (s *Store) SyncState(peer, doc string) ([]byte, error) {
	var b []byte
	err := s.db.QueryRow(`SELECT state FROM sync_states WHERE peer_id = ? AND doc_id = ?`, peer, doc).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return b, err
}

// SaveSyncState keeps the sync state with a peer for a document.
func (s *Store) SaveSyncState(peer, doc string, state []byte) error {
	_, err := s.db.Exec(`INSERT INTO sync_states (peer_id, doc_id, state) VALUES (?, ?, ?)
		ON CONFLICT(peer_id, doc_id) DO UPDATE SET state = excluded.state`, peer, doc, state)
	return err
}

// Close folds the write-ahead log into the database file and closes it.
func (s *Store) Close() error {
	// Fold the WAL back into the main file so the workspace is one file at rest.
	_, _ = s.db.ExecContext(context.Background(), `PRAGMA wal_checkpoint(TRUNCATE)`)
	return s.db.Close()
}
