package storage

import (
	"database/sql"
	"errors"
	"fmt"
)

// stampQuery selects, per document, what its stamp is made of; the caller
// appends the WHERE clause.
const stampQuery = `SELECT d.id, hex(d.snapshot_sum), COALESCE(MAX(c.seq), 0), COUNT(c.seq)
		FROM docs d LEFT JOIN doc_chunks c ON c.doc_id = d.id`

type scanner interface{ Scan(dest ...any) error }

// scanStamp reads one row of stampQuery as a document id and its stamp.
func scanStamp(row scanner) (id, stamp string, err error) {
	var sum string
	var seq, n int64
	if err := row.Scan(&id, &sum, &seq, &n); err != nil {
		return "", "", err
	}
	return id, fmt.Sprintf("%s:%d:%d", sum, seq, n), nil
}

// Stamps returns, for each document of kind (every document for ""), a
// short string that changes whenever its stored form changes: a chunk
// appended, the document compacted or a chunk set aside. Derived indexes
// (the search index) record it to know, without loading any document,
// which ones changed since they were built.
func (s *Store) Stamps(kind string) (map[string]string, error) {
	rows, err := s.db.Query(stampQuery+`
		WHERE ? = '' OR d.kind = ?
		GROUP BY d.id`, kind, kind)
	if err != nil {
		return nil, fmt.Errorf("read document stamps: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		id, stamp, err := scanStamp(rows)
		if err != nil {
			return nil, fmt.Errorf("read document stamps: %w", err)
		}
		out[id] = stamp
	}
	return out, rows.Err()
}

// Stamp returns the stamp (see Stamps) of document id if it is stored and
// of kind (any kind for ""); ok is false otherwise. It reads one document's
// rows, where Stamps reads the whole workspace.
func (s *Store) Stamp(id, kind string) (stamp string, ok bool, err error) {
	_, stamp, err = scanStamp(s.db.QueryRow(stampQuery+`
		WHERE d.id = ? AND (? = '' OR d.kind = ?)
		GROUP BY d.id`, id, kind, kind))
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read the stamp of document %s: %w", id, err)
	}
	return stamp, true, nil
}
