package lansync

import (
	"encoding/binary"
	"errors"

	"github.com/automerge/automerge-go"
)

// Parsing of two small Automerge binary headers, so that after a saved
// document crosses, both sides can record that the peer has its heads
// without loading the document twice.

var errFormat = errors.New("unexpected automerge binary format")

const hashLen = 32

type leReader struct{ b []byte }

func (r *leReader) uvarint() (uint64, error) {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		return 0, errFormat
	}
	r.b = r.b[n:]
	return v, nil
}

func (r *leReader) skip(n uint64) error {
	if n > uint64(len(r.b)) {
		return errFormat
	}
	r.b = r.b[n:]
	return nil
}

func (r *leReader) hashes() ([]automerge.ChangeHash, error) {
	n, err := r.uvarint()
	if err != nil || n > uint64(len(r.b))/hashLen {
		return nil, errFormat
	}
	out := make([]automerge.ChangeHash, n)
	for i := range out {
		copy(out[i][:], r.b[:hashLen])
		r.b = r.b[hashLen:]
	}
	return out, nil
}

// savedDocHeads returns the heads in the header of a saved (compacted)
// document: magic, checksum, chunk type 0, chunk length, the actors, then
// the heads.
func savedDocHeads(b []byte) ([]automerge.ChangeHash, error) {
	if len(b) < 9 || b[0] != 0x85 || b[1] != 0x6f || b[2] != 0x4a || b[3] != 0x83 || b[8] != 0 {
		return nil, errFormat
	}
	r := &leReader{b[9:]}
	if _, err := r.uvarint(); err != nil { // chunk length
		return nil, err
	}
	actors, err := r.uvarint()
	if err != nil || actors > uint64(len(r.b)) {
		return nil, errFormat
	}
	for i := uint64(0); i < actors; i++ {
		l, err := r.uvarint()
		if err != nil {
			return nil, err
		}
		if err := r.skip(l); err != nil {
			return nil, err
		}
	}
	return r.hashes()
}

// syncMessageType starts a V1 sync message, followed by the sender's heads.
const syncMessageType = 0x42

// syncMessageHeads returns the heads a peer's sync message says it has.
func syncMessageHeads(msg []byte) ([]automerge.ChangeHash, error) {
	if len(msg) < 1 || msg[0] != syncMessageType {
		return nil, errFormat
	}
	r := &leReader{msg[1:]}
	return r.hashes()
}

// syncMessageQuiet returns the heads a peer's sync message names, whether
// it asks for nothing and brings no changes (need and changes empty: then
// a document with those same heads needs nothing from it), and whether it
// offers a Bloom filter of what the peer has (Automerge's messages that
// need nothing all do; headsMessage does not).
func syncMessageQuiet(msg []byte) (heads []automerge.ChangeHash, quiet, offers bool) {
	if len(msg) < 1 || msg[0] != syncMessageType {
		return nil, false, false
	}
	r := &leReader{msg[1:]}
	heads, err := r.hashes()
	if err != nil {
		return nil, false, false
	}
	need, err := r.hashes()
	if err != nil || len(need) > 0 {
		return heads, false, false
	}
	haves, err := r.uvarint()
	if err != nil || haves > uint64(len(r.b)) {
		return heads, false, false
	}
	for i := uint64(0); i < haves; i++ {
		if _, err := r.hashes(); err != nil { // last sync
			return heads, false, false
		}
		n, err := r.uvarint() // Bloom filter
		if err != nil || r.skip(n) != nil {
			return heads, false, false
		}
	}
	changes, err := r.uvarint()
	return heads, err == nil && changes == 0, haves > 0
}

// headsMessage is a V1 sync message that says only "I have heads": no
// need, no Bloom filter, no changes. It answers, without loading the
// document, a peer's opening for a document both hold; it offers no Bloom
// filter, so it is never answered in turn.
func headsMessage(heads []automerge.ChangeHash) []byte {
	b := []byte{syncMessageType}
	b = binary.AppendUvarint(b, uint64(len(heads)))
	for _, h := range heads {
		b = append(b, h[:]...)
	}
	return append(b, 0, 0, 0) // need, have, changes
}

// syncStateType starts an encoded sync state, followed by its shared heads.
const syncStateType = 0x43

func sharedHeads(state []byte) ([]automerge.ChangeHash, error) {
	if len(state) < 1 || state[0] != syncStateType {
		return nil, errFormat
	}
	r := &leReader{state[1:]}
	return r.hashes()
}

func encodeSyncState(shared []automerge.ChangeHash) []byte {
	b := []byte{syncStateType}
	b = binary.AppendUvarint(b, uint64(len(shared)))
	for _, h := range shared {
		b = append(b, h[:]...)
	}
	return b
}

// withShared returns a fresh sync state for doc whose shared heads are those
// of ss plus add: used once a saved document has crossed, when the peer
// is known to have add. The next message then offers a Bloom filter of
// only what is newer.
func withShared(doc Doc, ss *automerge.SyncState, add []automerge.ChangeHash) (*automerge.SyncState, error) {
	cur, err := sharedHeads(ss.Save())
	if err != nil {
		return nil, err
	}
	seen := map[automerge.ChangeHash]bool{}
	var all []automerge.ChangeHash
	for _, h := range append(cur, add...) {
		if !seen[h] {
			seen[h] = true
			all = append(all, h)
		}
	}
	return doc.NewSyncState(encodeSyncState(all))
}
