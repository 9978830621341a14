package protocol

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/automerge/automerge-go"
)

// The headers of a packed message come from the peer: the receiver keeps
// nothing per change beyond its hash and reads the headers twice, first
// for the lengths of the columns and the size of the message they make
// (refused over the limit before anything is rebuilt), then to rebuild it.
// A few bytes of input cannot make it allocate more than a few times the
// limit.

// maxColumns bounds the columns of a change and the distinct columns of a
// message (Automerge's change format has about a dozen).
const maxColumns = 256

// maxOthers bounds the other actors a change names (the devices whose
// objects or changes its operations refer to).
const maxOthers = 1 << 12

// minChunk is the least a change chunk takes: magic, checksum, type and
// length. Anything shorter is no change; a message holding one is not
// packed (PackSync checks its output unpacks).
const minChunk = 10

// headerReader reads the changes of a packed message's header stream one
// at a time, keeping the running state (actors, numbers sent as
// differences) and a lower bound of the size of the message rebuilt.
type headerReader struct {
	r      reader
	limit  int
	size   int // bytes of the rebuilt message so far, at least
	n, i   int
	actors [][]byte
	seqs   []uint64
	start  int64
	time   int64
	prefix []byte
	// The change last read (reused): raw is set for a change sent as it
	// is; otherwise c, with refs[j] the index in this message of the
	// change dependency j names (-1: its hash is c.deps[j]) and lens[j]
	// the length of column j (c.cols[j].data is left nil).
	raw  []byte
	c    change
	refs []int
	lens []int // -1: derived from the raw values (metaOfChars)
}

func newHeaderReader(b []byte, limit int) *headerReader {
	h := &headerReader{r: reader{b: b}, limit: limit}
	h.prefix = h.r.bytes(h.r.count(1))
	h.n = h.r.count(2)
	h.grow(len(h.prefix) + uvarintLen(h.n))
	return h
}

// grow counts n more bytes of the rebuilt message, failing past the limit.
func (h *headerReader) grow(n int) {
	h.size += n
	if h.size > h.limit && h.r.err == nil {
		h.r.err = ErrTooLarge
		h.r.pos = len(h.r.b)
	}
}

// next reads the next change; false after the last one or on an error.
func (h *headerReader) next() bool {
	if h.i >= h.n || h.r.err != nil {
		return false
	}
	i := h.i
	h.i++
	r := &h.r
	h.raw = nil
	switch r.byte() {
	case changeRaw:
		h.raw = r.bytes(r.count(1))
		if r.err == nil && len(h.raw) < minChunk {
			r.fail("change shorter than a chunk header")
		}
		h.grow(uvarintLen(len(h.raw)) + len(h.raw))
	case changePacked:
		h.readPacked(i)
	default:
		r.fail("unknown change kind")
	}
	return r.err == nil
}

func (h *headerReader) readPacked(i int) {
	r, c := &h.r, &h.c
	// Magic, checksum, type, the chunk's length and its body's smallest
	// numbers (seq, start op, time and the counts) take at least that.
	h.grow(minChunk + 8)
	c.deps, h.refs = c.deps[:0], h.refs[:0]
	for j, nd := 0, r.count(1); j < nd && r.err == nil; j++ {
		h.grow(32)
		switch k := r.uvarint(); {
		case k == 0:
			c.deps = append(c.deps, r.bytes(32))
			h.refs = append(h.refs, -1)
		case k > uint64(i):
			r.fail("dependency refers past the first change")
		default:
			c.deps = append(c.deps, nil)
			h.refs = append(h.refs, i-int(k))
		}
	}
	switch a := r.uvarint(); {
	case r.err != nil:
		return
	case a == 0:
		h.actors = append(h.actors, r.bytes(r.count(1)))
		h.seqs = append(h.seqs, 0)
		c.actor = h.actors[len(h.actors)-1]
		h.seqs[len(h.seqs)-1] += uint64(r.varint())
		c.seq = h.seqs[len(h.seqs)-1]
	case a > uint64(len(h.actors)):
		r.fail("unknown actor")
		return
	default:
		c.actor = h.actors[a-1]
		h.seqs[a-1] += uint64(r.varint())
		c.seq = h.seqs[a-1]
	}
	h.start += r.varint()
	c.start = uint64(h.start)
	h.time += r.varint()
	c.time = h.time
	c.message = r.bytes(r.count(1))
	h.grow(len(c.actor) + len(c.message))
	c.others = c.others[:0]
	no := r.count(1)
	if no > maxOthers {
		r.fail("too many actors")
	}
	for j := 0; j < no && r.err == nil; j++ {
		o := r.bytes(r.count(1))
		h.grow(1 + len(o))
		c.others = append(c.others, o)
	}
	nc := r.count(2)
	if nc > maxColumns {
		r.fail("too many columns")
	}
	c.cols, h.lens = c.cols[:0], h.lens[:0]
	for j := 0; j < nc && r.err == nil; j++ {
		spec, code := r.uvarint(), r.uvarint()
		if code > uint64(h.limit)+1 {
			r.fail("column longer than the message")
			return
		}
		ln := int(code) - 1
		if code == colDerived {
			if spec != colValueMeta {
				r.fail("a column other than value metadata left out")
				return
			}
			ln = -1
		}
		h.grow(2 + max(ln, 0))
		c.cols = append(c.cols, column{spec: spec})
		h.lens = append(h.lens, ln)
	}
	for _, ln := range h.lens {
		if ln < 0 {
			// At least a run's count and value; at most two bytes a
			// character (metaOfChars), checked once it is made.
			h.grow(2)
		}
	}
	c.extra = r.bytes(r.count(1))
	h.grow(len(c.extra))
}

// untranspose rebuilds the sync message of transpose, refusing one over
// limit bytes.
func untranspose(body [numStreams][]byte, limit int) ([]byte, error) {
	// First pass: each column's length over all changes, in the order
	// the columns first appear, and the suffix after the changes.
	h := newHeaderReader(body[streamHeaders], limit)
	total := map[uint64]int{}
	var order []uint64
	for h.next() {
		for j, col := range h.c.cols {
			if h.lens[j] < 0 {
				continue // derived: nothing in the streams
			}
			if _, ok := total[col.spec]; !ok {
				if len(order) == maxColumns {
					h.r.fail("too many columns")
					break
				}
				order = append(order, col.spec)
			}
			total[col.spec] += h.lens[j]
		}
	}
	suffix := h.r.bytes(h.r.count(1))
	h.grow(len(suffix))
	if h.r.err == nil && len(h.r.rest()) != 0 {
		h.r.fail("bytes after the headers")
	}
	if h.r.err != nil {
		return nil, h.r.err
	}
	cr := [numStreams]reader{{}, {b: body[streamValues]}, {b: body[streamColumns]}}
	streams := make(map[uint64][]byte, len(order))
	for _, s := range order {
		streams[s] = cr[streamOf(s)].bytes(total[s])
	}
	for _, c := range cr[1:] {
		if c.err != nil || c.pos != len(c.b) {
			return nil, fmt.Errorf("%w: packed sync message: columns do not match the headers", ErrMalformed)
		}
	}
	// Second pass: the changes, their dependencies on changes of this
	// message resolved as they are rebuilt.
	size := h.size
	h = newHeaderReader(body[streamHeaders], limit)
	msg := make([]byte, 0, min(limit, size+size/8+64))
	msg = append(msg, h.prefix...)
	msg = binary.AppendUvarint(msg, uint64(h.n))
	hashes := make([]automerge.ChangeHash, 0, h.n)
	for h.next() {
		chunk := h.raw
		if chunk != nil {
			hashes = append(hashes, sha256.Sum256(chunkBody(chunk)))
		} else {
			c := &h.c
			for j, ref := range h.refs {
				if ref >= 0 {
					c.deps[j] = hashes[ref][:]
				}
			}
			derived := -1
			var raw []byte
			for j, ln := range h.lens {
				if ln < 0 {
					derived = j
					continue
				}
				s := streams[c.cols[j].spec]
				c.cols[j].data, streams[c.cols[j].spec] = s[:ln], s[ln:]
				if c.cols[j].spec == colValueRaw {
					raw = c.cols[j].data
				}
			}
			if derived >= 0 {
				c.cols[derived].data = metaOfChars(raw)
			}
			var sum automerge.ChangeHash
			chunk, sum = c.chunk()
			hashes = append(hashes, sum)
		}
		msg = appendBytes(msg, chunk)
		if len(msg) > limit {
			return nil, ErrTooLarge
		}
	}
	if h.r.err != nil {
		return nil, h.r.err
	}
	msg = append(msg, suffix...)
	if len(msg) > limit {
		return nil, ErrTooLarge
	}
	return msg, nil
}
