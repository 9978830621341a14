package protocol

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/automerge/automerge-go"
)

// Packed sync messages (TypeSyncPacked) carry an Automerge V1 sync message
// whose changes are re-laid out the way Automerge's saved-document format
// lays them out, then DEFLATE-compressed, optionally against a dictionary
// both peers can build from history they share.
//
// A change chunk (Automerge binary format, "Change chunks") is a header —
// magic, checksum, type, length — then dependencies (32-byte hashes), the
// actor, sequence number, start op, time, message, other actors, column
// metadata and column data. Sent one after another, each change repeats its
// actor, a dependency hash (the hash of the change before it, which the
// receiver can compute), a checksum (likewise) and a dozen tiny columns, so
// DEFLATE over plain change chunks sends about four times what the same
// changes cost in a saved document. Packed, the checksums and the hashes of
// changes in the same message are left out (the receiver recomputes them),
// header numbers are sent as differences from the change before, each
// column's data is sent as one run over all changes, where text follows
// text and repeats compress, and the metadata of typed characters (their
// type and length, which follow from the characters) is left out.
//
// The receiver rebuilds the exact sync message bytes; PackSync checks that
// it does (a layout this code does not know is left to plain DEFLATE), and
// the packed form carries a checksum of the message and of the dictionary,
// so a receiver never hands Automerge anything but what the sender made.

// TypeSyncPacked is a sync message in the packed form (PackSync), sent only
// to peers that announce FeaturePacked.
const TypeSyncPacked = "pwg-sync-packed"

// TypeSyncUnpackable answers a TypeSyncPacked message whose dictionary the
// receiver could not build (it lacks the changes named, or they differ):
// the sender then syncs that document without a dictionary.
const TypeSyncUnpackable = "pwg-sync-unpackable"

// FeaturePacked, listed in PeerMetadata.Features, says the peer accepts
// TypeSyncPacked messages (and answers TypeSyncUnpackable when it must).
const FeaturePacked = "sync-packed"

// DictBytes is the most dictionary DEFLATE uses (its window).
const DictBytes = 32 << 10

// maxDictHeads bounds the heads a dictionary is named by (the branches
// both peers share: a few). The receiver walks back from each, under the
// document's lock, before it can tell the dictionary is wrong; a peer
// naming two million of them (64 MiB) held the lock for a sort of them.
// PackSync packs without a dictionary past it.
const maxDictHeads = 256

// DictChanges is how many bytes of saved changes a dictionary is made from
// (amsafe.Recent): enough for each of its streams to fill DictBytes (the
// typed text is about a quarter of a change's bytes).
const DictChanges = 4 * DictBytes

// Errors of UnpackSync.
var (
	// ErrDictMismatch: the dictionary given is not the one the sender used.
	ErrDictMismatch = errors.New("packed sync message: dictionary differs from the sender's")
	// errNotPackable: the message is not in a layout PackSync knows.
	errNotPackable = errors.New("sync message layout not packable")
)

const (
	packVersion  = 2
	syncMsgType  = 0x42 // Automerge sync message, V1
	chunkChange  = 1    // uncompressed change chunk
	changeRaw    = 0    // a change sent as its bytes
	changePacked = 1    // a change sent as header fields and columns
	sumLen       = 8
)

var chunkMagic = []byte{0x85, 0x6f, 0x4a, 0x83}

// DictHeads reads the dictionary heads a packed message names, so the
// receiver can build the dictionary (PackDict of the changes up to them)
// before UnpackSync.
func DictHeads(packed []byte) ([]automerge.ChangeHash, error) {
	r := reader{b: packed}
	if v := r.byte(); v != packVersion {
		return nil, fmt.Errorf("%w: packed version %d", ErrMalformed, v)
	}
	n := r.count(32)
	if n > maxDictHeads {
		return nil, fmt.Errorf("%w: packed sync message names %d dictionary heads", ErrMalformed, n)
	}
	heads := make([]automerge.ChangeHash, 0, n)
	for i := 0; i < n; i++ {
		var h automerge.ChangeHash
		copy(h[:], r.bytes(32))
		heads = append(heads, h)
	}
	return heads, r.err
}

// Dict is what a packed message is compressed against: the packed layout
// of changes both peers hold, one part per stream.
type Dict [numStreams][]byte

// PackDict makes a dictionary from changes (their saved bytes, oldest
// first): each stream of their packed layout, cut to DictBytes. Sender and
// receiver make it from the same changes and so get the same bytes.
func PackDict(changes [][]byte) *Dict {
	var p packer
	for _, c := range changes {
		p.change(c)
	}
	d := Dict(p.finish(nil, nil))
	for i, b := range d {
		d[i] = b[len(b)-min(len(b), DictBytes):]
	}
	return &d
}

func (d *Dict) sum() []byte {
	h := sha256.New()
	for _, b := range d {
		var n [binary.MaxVarintLen64]byte
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(b)))])
		h.Write(b)
	}
	return h.Sum(nil)[:sumLen]
}

// PackSync packs a sync message; dict (from PackDict of the changes up to
// dictHeads) may be nil. It returns an error for a message it cannot pack
// exactly; the caller then sends it another way.
func PackSync(msg []byte, dictHeads []automerge.ChangeHash, dict *Dict) ([]byte, error) {
	body, err := transpose(msg)
	if err != nil {
		return nil, err
	}
	if len(dictHeads) == 0 || len(dictHeads) > maxDictHeads {
		dictHeads, dict = nil, nil
	}
	out := []byte{packVersion}
	out = binary.AppendUvarint(out, uint64(len(dictHeads)))
	for _, h := range dictHeads {
		out = append(out, h[:]...)
	}
	if dict == nil {
		dict = &Dict{}
	}
	if len(dictHeads) > 0 {
		out = append(out, dict.sum()...)
	}
	out = append(out, checksum(msg)...)
	for i, b := range body {
		z, err := deflateDict(b, dict[i])
		if err != nil {
			return nil, err
		}
		if i < numStreams-1 {
			out = binary.AppendUvarint(out, uint64(len(z)))
		}
		out = append(out, z...)
	}
	back, err := UnpackSync(out, dict, len(msg))
	if err != nil || !bytes.Equal(back, msg) {
		return nil, errNotPackable
	}
	return out, nil
}

// UnpackSync rebuilds the sync message of a packed one, given the
// dictionary built from DictHeads(packed) (nil if it names none). It
// refuses an output over limit bytes, malformed input and a dictionary
// other than the sender's (ErrDictMismatch).
func UnpackSync(packed []byte, dict *Dict, limit int) ([]byte, error) {
	r := reader{b: packed}
	if v := r.byte(); v != packVersion {
		return nil, fmt.Errorf("%w: packed version %d", ErrMalformed, v)
	}
	n := r.count(32)
	if n > maxDictHeads {
		return nil, fmt.Errorf("%w: packed sync message names %d dictionary heads", ErrMalformed, n)
	}
	r.bytes(32 * n)
	if n == 0 || dict == nil {
		dict = &Dict{}
	}
	if n > 0 && !bytes.Equal(r.bytes(sumLen), dict.sum()) && r.err == nil {
		return nil, ErrDictMismatch
	}
	sum := r.bytes(sumLen)
	var body [numStreams][]byte
	// The packed layout is smaller than the message it rebuilds, bar a
	// few bytes per change, and a change takes a dozen bytes: the streams
	// together may inflate to that much.
	budget := limit + limit/2 + 64
	for i := range body {
		var z []byte
		if i < numStreams-1 {
			z = r.bytes(r.count(1))
		} else {
			z = r.rest()
		}
		if r.err != nil {
			return nil, r.err
		}
		var err error
		if body[i], err = inflateDict(z, dict[i], budget); err != nil {
			return nil, err
		}
		budget -= len(body[i])
	}
	msg, err := untranspose(body, limit)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(checksum(msg), sum) {
		return nil, fmt.Errorf("%w: packed sync message does not match its checksum", ErrMalformed)
	}
	return msg, nil
}

func checksum(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:sumLen]
}

// The packed layout is three streams, each compressed against the same
// stream of the dictionary: the headers (with the bytes of the sync message
// before and after its changes), the raw values (the text typed), and the
// other columns.
const (
	streamHeaders = iota
	streamValues
	streamColumns
	numStreams
)

// valueRaw is the column type of raw values (Automerge's VALUE_RAW).
const valueRaw = 7

func streamOf(spec uint64) int {
	if spec&7 == valueRaw {
		return streamValues
	}
	return streamColumns
}

// transpose lays a sync message out as streams: the bytes before its
// changes, the changes' headers and the bytes after; each column's data
// over all changes.
func transpose(msg []byte) ([numStreams][]byte, error) {
	r := reader{b: msg}
	if r.byte() != syncMsgType {
		return [numStreams][]byte{}, errNotPackable
	}
	r.hashes() // heads
	r.hashes() // need
	for i, n := 0, r.count(1); i < n; i++ {
		r.hashes()          // last sync
		r.bytes(r.count(1)) // bloom filter
	}
	prefix := msg[:r.pos]
	var p packer
	for i, n := 0, r.count(1); i < n; i++ {
		p.change(r.bytes(r.count(1)))
	}
	if r.err != nil {
		return [numStreams][]byte{}, errNotPackable
	}
	return p.finish(prefix, r.rest()), nil
}

// packer accumulates changes in the packed layout.
type packer struct {
	hdr    []byte
	cols   map[uint64][]byte
	order  []uint64
	hashes map[automerge.ChangeHash]int
	actors map[string]int
	seqs   map[int]uint64
	n      int
	start  int64
	time   int64
}

func (p *packer) change(b []byte) {
	if p.cols == nil {
		p.cols = map[uint64][]byte{}
		p.hashes = map[automerge.ChangeHash]int{}
		p.actors = map[string]int{}
		p.seqs = map[int]uint64{}
	}
	i := p.n
	p.n++
	sum := sha256.Sum256(chunkBody(b))
	p.hashes[sum] = i
	c, ok := parseChange(b)
	if ok && !bytes.Equal(sum[:4], b[4:8]) {
		ok = false
	}
	if !ok {
		p.hdr = append(p.hdr, changeRaw)
		p.hdr = binary.AppendUvarint(p.hdr, uint64(len(b)))
		p.hdr = append(p.hdr, b...)
		return
	}
	h := append(p.hdr, changePacked)
	h = binary.AppendUvarint(h, uint64(len(c.deps)))
	for _, d := range c.deps {
		var dh automerge.ChangeHash
		copy(dh[:], d)
		if k, ok := p.hashes[dh]; ok && k < i {
			h = binary.AppendUvarint(h, uint64(i-k))
		} else {
			h = append(h, 0)
			h = append(h, d...)
		}
	}
	a, ok := p.actors[string(c.actor)]
	if ok {
		h = binary.AppendUvarint(h, uint64(a+1))
	} else {
		a = len(p.actors)
		p.actors[string(c.actor)] = a
		h = append(h, 0)
		h = appendBytes(h, c.actor)
	}
	h = binary.AppendVarint(h, int64(c.seq-p.seqs[a]))
	p.seqs[a] = c.seq
	h = binary.AppendVarint(h, int64(c.start)-p.start)
	p.start = int64(c.start)
	h = binary.AppendVarint(h, c.time-p.time)
	p.time = c.time
	h = appendBytes(h, c.message)
	h = binary.AppendUvarint(h, uint64(len(c.others)))
	for _, o := range c.others {
		h = appendBytes(h, o)
	}
	h = binary.AppendUvarint(h, uint64(len(c.cols)))
	derived := c.metaDerived()
	for _, col := range c.cols {
		h = binary.AppendUvarint(h, col.spec)
		if col.spec == colValueMeta && derived {
			h = append(h, colDerived)
			continue
		}
		h = binary.AppendUvarint(h, uint64(len(col.data))+1)
		if _, seen := p.cols[col.spec]; !seen {
			p.order = append(p.order, col.spec)
		}
		p.cols[col.spec] = append(p.cols[col.spec], col.data...)
	}
	p.hdr = appendBytes(h, c.extra)
}

// The value metadata column of a change (each value's type and length) is
// left out when it follows from the raw values: when every value is one
// typed character (the length of its UTF-8 form, type string), as in the
// changes of typing. Its length in the header is then colDerived; other
// columns' lengths are sent plus one.
const (
	colValueMeta = 5<<4 | 6 // Automerge's VALUE_META of the value column
	colValueRaw  = 5<<4 | 7 // and its VALUE_RAW
	colDerived   = 0
	metaString   = 6 // the value type of a UTF-8 string
)

// metaDerived reports whether the change's value metadata column is what
// metaOfChars makes of its raw values.
func (c *change) metaDerived() bool {
	var meta, raw []byte
	found := 0
	for _, col := range c.cols {
		switch col.spec {
		case colValueMeta:
			meta, found = col.data, found+1
		case colValueRaw:
			raw, found = col.data, found+1
		}
	}
	return found == 2 && len(meta) > 0 && utf8.Valid(raw) && bytes.Equal(metaOfChars(raw), meta)
}

// metaOfChars encodes the value metadata of raw taken as one string value
// per character, as Automerge does: run-length encoded unsigned LEB128
// (a run of two or more equal values as its signed count and the value,
// other values as literal runs: their negated count, then each).
func metaOfChars(raw []byte) []byte {
	var out []byte
	var lit []uint64
	flush := func() {
		if len(lit) > 0 {
			out = appendSLEB(out, -int64(len(lit)))
			for _, v := range lit {
				out = binary.AppendUvarint(out, v)
			}
			lit = lit[:0]
		}
	}
	var run uint64
	n := 0
	for len(raw) > 0 || n > 0 {
		var v uint64
		if len(raw) > 0 {
			_, w := utf8.DecodeRune(raw)
			raw = raw[w:]
			v = uint64(w)<<4 | metaString
			if n > 0 && v == run {
				n++
				continue
			}
		}
		switch {
		case n >= 2:
			flush()
			out = appendSLEB(out, int64(n))
			out = binary.AppendUvarint(out, run)
		case n == 1:
			lit = append(lit, run)
		}
		if v == 0 { // the end
			break
		}
		run, n = v, 1
	}
	flush()
	return out
}

func (p *packer) finish(prefix, suffix []byte) [numStreams][]byte {
	var out [numStreams][]byte
	h := appendBytes(nil, prefix)
	h = binary.AppendUvarint(h, uint64(p.n))
	h = append(h, p.hdr...)
	out[streamHeaders] = appendBytes(h, suffix)
	for _, s := range p.order {
		out[streamOf(s)] = append(out[streamOf(s)], p.cols[s]...)
	}
	return out
}

// change is an uncompressed change chunk, parsed.
type change struct {
	deps    [][]byte
	actor   []byte
	seq     uint64
	start   uint64
	time    int64
	message []byte
	others  [][]byte
	cols    []column
	extra   []byte
}

type column struct {
	spec uint64
	data []byte
}

// chunkBody is what a chunk's hash covers: its type, length and body (all
// but the magic bytes and the checksum). A chunk too short yields nil.
func chunkBody(b []byte) []byte {
	if len(b) < 8 {
		return nil
	}
	return b[8:]
}

// parseChange parses an uncompressed change chunk; ok is false for any
// other chunk or a change whose bytes this layout would not rebuild.
func parseChange(b []byte) (c change, ok bool) {
	// The checksum is left out of the packed form and recomputed: a chunk
	// whose checksum is wrong is sent as it is, for Automerge to refuse.
	r := reader{b: b}
	if !bytes.Equal(r.bytes(4), chunkMagic) {
		return c, false
	}
	r.bytes(4) // checksum
	if r.byte() != chunkChange {
		return c, false
	}
	bodyBytes := r.bytes(r.count(1))
	body := reader{b: bodyBytes}
	if r.err != nil || len(r.rest()) != 0 || len(b) != 9+uvarintLen(len(bodyBytes))+len(bodyBytes) {
		return c, false // not one chunk, or its length not in the shortest form
	}
	for i, n := 0, body.count(32); i < n; i++ {
		c.deps = append(c.deps, body.bytes(32))
	}
	c.actor = body.bytes(body.count(1))
	c.seq = body.uvarint()
	c.start = body.uvarint()
	c.time = body.sleb()
	c.message = body.bytes(body.count(1))
	for i, n := 0, body.count(1); i < n; i++ {
		c.others = append(c.others, body.bytes(body.count(1)))
	}
	type meta struct {
		spec uint64
		n    int
	}
	var metas []meta
	for i, n := 0, body.count(2); i < n; i++ {
		metas = append(metas, meta{body.uvarint(), body.count(0)})
	}
	for _, m := range metas {
		c.cols = append(c.cols, column{m.spec, body.bytes(m.n)})
	}
	c.extra = body.rest()
	if body.err != nil {
		return c, false
	}
	return c, bytes.Equal(c.body(make([]byte, 0, len(b))), bodyBytes)
}

// chunk encodes the change chunk, checksum included, and returns it with
// its hash (the checksum is the hash's first bytes).
func (c *change) chunk() ([]byte, automerge.ChangeHash) {
	n := 64 + len(c.message) + len(c.extra) + 33*len(c.deps)
	for _, col := range c.cols {
		n += 4 + len(col.data)
	}
	out := make([]byte, 0, n)
	out = append(out, chunkMagic...)
	out = append(out, 0, 0, 0, 0, chunkChange) // checksum, set below
	body := c.body(make([]byte, 0, n))
	out = appendBytes(out, body)
	sum := sha256.Sum256(out[8:])
	copy(out[4:8], sum[:4])
	return out, sum
}

// body appends the body of the change chunk (what its length counts).
func (c *change) body(body []byte) []byte {
	body = binary.AppendUvarint(body, uint64(len(c.deps)))
	for _, d := range c.deps {
		body = append(body, d...)
	}
	body = appendBytes(body, c.actor)
	body = binary.AppendUvarint(body, c.seq)
	body = binary.AppendUvarint(body, c.start)
	body = appendSLEB(body, c.time)
	body = appendBytes(body, c.message)
	body = binary.AppendUvarint(body, uint64(len(c.others)))
	for _, o := range c.others {
		body = appendBytes(body, o)
	}
	body = binary.AppendUvarint(body, uint64(len(c.cols)))
	for _, col := range c.cols {
		body = binary.AppendUvarint(body, col.spec)
		body = binary.AppendUvarint(body, uint64(len(col.data)))
	}
	for _, col := range c.cols {
		body = append(body, col.data...)
	}
	return append(body, c.extra...)
}

func uvarintLen(n int) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], uint64(n))
}

func appendBytes(b, s []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendSLEB appends v as signed LEB128 (Automerge's encoding of a
// change's time).
func appendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// reader reads the packed layout; after the first error every read returns
// zero values and err says what was wrong.
type reader struct {
	b   []byte
	pos int
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: packed sync message: %s", ErrMalformed, what)
	}
	r.pos = len(r.b)
}

func (r *reader) byte() byte {
	if r.pos >= len(r.b) {
		r.fail("truncated")
		return 0
	}
	r.pos++
	return r.b[r.pos-1]
}

func (r *reader) bytes(n int) []byte {
	if n < 0 || n > len(r.b)-r.pos {
		r.fail("truncated")
		return nil
	}
	r.pos += n
	return r.b[r.pos-n : r.pos : r.pos]
}

func (r *reader) rest() []byte {
	return r.bytes(len(r.b) - r.pos)
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b[min(r.pos, len(r.b)):])
	if n <= 0 {
		r.fail("bad number")
		return 0
	}
	r.pos += n
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b[min(r.pos, len(r.b)):])
	if n <= 0 {
		r.fail("bad number")
		return 0
	}
	r.pos += n
	return v
}

// count reads a count of items of at least each bytes apiece, refusing one
// the rest of the input cannot hold.
func (r *reader) count(each int) int {
	v := r.uvarint()
	if v > uint64(len(r.b)-r.pos) || (each > 0 && v*uint64(each) > uint64(len(r.b)-r.pos)) {
		r.fail("count larger than the input")
		return 0
	}
	return int(v)
}

func (r *reader) hashes() {
	r.bytes(32 * r.count(32))
}

func (r *reader) sleb() int64 {
	var v int64
	var shift uint
	for {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		if shift >= 64 {
			r.fail("bad number")
			return 0
		}
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v
		}
	}
}
