// Package docs is the runtime of a workspace's loaded Automerge documents.
//
// A Runtime loads each document once from the storage (its snapshot, then
// its incremental chunks; a damaged chunk is quarantined and reported in
// Handle.Warnings) and hands out one Handle per document. Every access to a
// document goes through its Handle, which serialises on the handle's lock.
//
// Writes come in two speeds. Change commits at once and persists (a
// discrete action: add an item, rename a section). Edit batches keystrokes:
// they are committed after a typing pause of 300 ms or every 64 edits,
// because one commit per keystroke costs hundreds of MB over a long
// history. Each commit records its Author and a description in the change
// message (ChangeAuthor, ChangeInfo read them back).
//
// Persistence writes what changed since the last save as an incremental
// chunk and compacts into a new snapshot once the chunks outgrow it.
// automerge-go's SaveIncremental is only called when the heads moved (with
// nothing new it returns a dangling pointer; see AUTOMERGE-GO.md). It costs
// time in proportion to the whole history, so the saves of merges and of
// commits made for a sync message are batched: one within 500 ms of the
// first unsaved change (Flush, Change and Close save at once). The change
// event of a merge is published before that save, so relaying it to other
// peers does not wait for the disk; the sync engine flushes a document
// before it persists a sync state, so that no saved state claims changes
// that are not on disk.
//
// Changes from peers (ReceiveSyncMessage, MergeSaved, ApplyChanges) bump
// the handle's version, which EditIf checks so that an editor binding only
// splices into the text it saw (ErrStale otherwise). A document whose
// envelope (root keys schema, kind, id) says a newer schema turns
// read-only (storage.ErrNewerSchema, ErrReadOnly on writes).
//
// Every change, local or merged, is published as an Event to Subscribe's
// channels: the one event type from the handle to the GUI and to the sync
// engine. It says what changed (the texts whose content changed, and
// whether anything else did: Meta) and where it came from (this device,
// which peer connection, a file), so the GUI re-reads only that and the sync
// engine relays a merge without asking who sent it. The runtime knows no
// document kind itself: Options.Kinds tells it which texts to compare for
// Event.Sections, how to digest the rest for Event.Meta, and which inline
// blobs to copy into the workspace's blob table after a merge.
//
// Create gives each new document an automerge-repo id (crdt/docid).
package docs
