// Package storage is the SQLite engine under a pwg workspace: one database
// file (pwg.db) holding every document of the user's teams.
//
// A document is stored as its last snapshot plus the incremental chunks
// saved after it (table docs, doc_chunks), each with a checksum. Loading
// returns the snapshot and the chunks in order; a chunk whose checksum does
// not match is reported, never silently dropped, and QuarantineChunk moves
// it aside into the quarantine table so it is kept but no longer loaded.
// Compact replaces a snapshot and its chunks in one transaction: a crash
// leaves the old rows or the new one, never a mix.
//
// The same database holds content-addressed blobs (sha256 hex, checked on
// read), settings (key → text) and the sync states kept per peer and
// document. Open runs SQLite's integrity check before anything writes and
// applies the append-only migrations (PRAGMA user_version); a database from
// a newer pwg is refused with ErrNewerSchema.
//
// AcquireLock gives one process at a time the workspace folder (pwg.lock,
// holding its pid); a second pwg gets ErrLocked.
package storage
