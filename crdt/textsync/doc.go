// Package textsync binds an editor's text (the view) to shared CRDT text
// (a Target: one section's notes in an Automerge document) while other
// people edit the same text.
//
// # Local edits
//
// The editor reports each edit as the exact splice it made (Binding.Local;
// SpliceBetween derives it from the text before and after a keystroke and
// the caret), or, as a fallback, its new text (Binding.LocalText, which
// splices the shortest edit script). Positions count Unicode code points,
// as Automerge does: "日本語", "😀" and "e\u0301" are 3, 1 and 2 code
// points. Splices are committed in batches (Options.BatchSize, Flush).
//
// If the target has merged remote changes the view has not shown yet, a
// local splice is mapped onto the target's text first, so it lands between
// the same characters the user saw and no keystroke is lost or doubled. A
// Versioned target makes that check cheap (no text read per keystroke) and
// atomic with respect to merges on another goroutine (SpliceIf / ErrStale).
//
// # Remote edits
//
// Binding.Pull reads the merged text and returns a Mapping from the old view
// to the new one: the edit script of Diff (Myers' O(ND) algorithm on code
// points). Carets and selections are mapped through it:
//
//   - A caret stays right after the character on its left (StickLeft):
//     text a peer inserts exactly at the caret appears after the caret. If
//     that character was deleted, the caret follows the nearest surviving
//     character on its left.
//   - A selection keeps exactly its surviving characters: text inserted at
//     either edge stays outside, text inserted strictly inside is included.
//     If all its characters are gone it becomes a caret.
//
// # What the diff cannot know
//
// The merged text alone does not say which of several identical characters
// a peer inserted or deleted: "xaaay" → "xaaaay" could be an insertion at
// any point of the run. The mapping is exact with respect to the edit script
// the diff reports, and that script matches text as early as possible, so
// edits in a run are taken to be at its end. Precisely: when a run of n
// identical characters becomes a run of m and nothing else changed, a caret
// k characters into the run stays k characters into it, clamped to m
// (TestRunsOfIdenticalCharacters). When every character is distinct the
// script is the real one and carets and selections are exact (FuzzBinding
// checks this against the characters' identities).
//
// # Undo
//
// Undo and Redo revert and reapply the user's own splices only. A remote
// change shifts the history's positions; an entry whose text a peer changed
// is dropped with everything older.
package textsync
