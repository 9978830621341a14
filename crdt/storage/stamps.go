package storage

import "fmt"

// Stamps returns, for each document of kind (every document for ""), a
// short string that changes whenever its stored form changes: a chunk
// appended, the document compacted or a chunk set aside. Derived indexes
// (the search index) record it to know, without loading any document,
// which ones changed since they were built.
func (s *Store) Stamps(kind string) (map[string]string, error) {
	rows, err := s.db.Query(`SELECT d.id, hex(d.snapshot_sum), COALESCE(MAX(c.seq), 0), COUNT(c.seq)
		FROM docs d LEFT JOIN doc_chunks c ON c.doc_id = d.id
		WHERE ? = '' OR d.kind = ?
		GROUP BY d.id`, kind, kind)
	if err != nil {
		return nil, fmt.Errorf("read document stamps: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, sum string
		var seq, n int64
		if err := rows.Scan(&id, &sum, &seq, &n); err != nil {
			return nil, fmt.Errorf("read document stamps: %w", err)
		}
		out[id] = fmt.Sprintf("%s:%d:%d", sum, seq, n)
	}
	return out, rows.Err()
}
