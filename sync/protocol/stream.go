package protocol

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
)

// FeatureStream, listed in PeerMetadata.Features, says the peer compresses
// the messages it sends after the handshake as one DEFLATE stream
// (StreamWriter) and reads them so (StreamReader). Both sides use it when
// the peer announced it: every pwg that knows it announces it.
const FeatureStream = "stream-deflate"

// syncFlushTail ends every block flushed with Flush: an empty stored block,
// which StreamWriter leaves out and StreamReader puts back (as WebSocket's
// permessage-deflate does, RFC 7692 section 7.2.1).
var syncFlushTail = []byte{0x00, 0x00, 0xff, 0xff}

// streamWindow is how far back DEFLATE refers: the history a reader keeps.
const streamWindow = 32 << 10

// StreamWriter compresses a connection's messages as one DEFLATE stream
// flushed after each message, so that what messages repeat (peer and
// document ids, heads, the shape of a presence) costs a few bytes after the
// first time. Not safe for concurrent use: the connection's writer owns it.
type StreamWriter struct {
	buf bytes.Buffer
	w   *flate.Writer
}

// StreamDict is the history both ends of a connection start from for the
// messages from sender to target: envelopes of the usual types with their
// ids, so that even the first messages do not spell them out.
func StreamDict(sender, target string) []byte {
	var d []byte
	for _, typ := range []string{TypeEphemeral, TypeSyncPacked, TypeSync} {
		m := &Message{Type: typ, SenderID: sender, TargetID: target, DocumentID: "-", Data: []byte{0}}
		if typ == TypeEphemeral {
			m.SessionID, m.Count = "-", 1
		}
		b, err := Encode(m)
		if err != nil {
			panic(err) // a fixed message always encodes
		}
		d = append(d, b...)
	}
	return d
}

// streamLevel is the DEFLATE level of streams: the fastest that searches
// the whole window (level 1 matches only within the previous message and
// ignores a dictionary) and the one with the least state, 0.8 MB.
const streamLevel = 2

// NewStreamWriter returns a writer for a new connection, starting from dict
// (StreamDict).
func NewStreamWriter(dict []byte) *StreamWriter {
	s := &StreamWriter{}
	w, err := flate.NewWriterDict(&s.buf, streamLevel, dict)
	if err != nil {
		panic(err) // only for an invalid level
	}
	s.w = w
	return s
}

// Compress returns msg compressed, to be read by the peer's StreamReader
// after every message compressed before it.
func (s *StreamWriter) Compress(msg []byte) ([]byte, error) {
	s.buf.Reset()
	if _, err := s.w.Write(msg); err != nil {
		return nil, err
	}
	if err := s.w.Flush(); err != nil {
		return nil, err
	}
	out := bytes.TrimSuffix(s.buf.Bytes(), syncFlushTail)
	return bytes.Clone(out), nil
}

// StreamReader reads what a StreamWriter wrote, message by message, keeping
// the last 32 KiB read as the history the next message refers to. Not safe
// for concurrent use: the connection's reader owns it.
type StreamReader struct {
	hist []byte
	src  bytes.Reader
	r    io.ReadCloser
	in   []byte
}

// NewStreamReader returns a reader for a new connection, starting from the
// writer's dict.
func NewStreamReader(dict []byte) *StreamReader {
	return &StreamReader{r: flate.NewReader(bytes.NewReader(nil)), hist: bytes.Clone(dict)}
}

// Decompress returns the message of one compressed frame, refusing one over
// limit bytes (ErrTooLarge) or malformed (ErrMalformed). After an error the
// stream cannot go on: the connection must end.
func (s *StreamReader) Decompress(frame []byte, limit int) ([]byte, error) {
	// The frame, the flush block its writer left out, and an empty final
	// block: a whole frame then reads to a clean end, a cut one does not.
	s.in = append(append(append(s.in[:0], frame...), syncFlushTail...), finalBlock...)
	s.src.Reset(s.in)
	if err := s.r.(flate.Resetter).Reset(&s.src, s.hist); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	out, err := io.ReadAll(io.LimitReader(s.r, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("%w: compressed frame: %v", ErrMalformed, err)
	}
	if len(out) > limit {
		return nil, ErrTooLarge
	}
	if s.src.Len() != 0 {
		return nil, fmt.Errorf("%w: compressed frame: bytes after its end", ErrMalformed)
	}
	s.hist = append(s.hist, out...)
	if len(s.hist) > 2*streamWindow {
		s.hist = append(s.hist[:0], s.hist[len(s.hist)-streamWindow:]...)
	}
	return out, nil
}

// finalBlock is an empty stored block marked final.
var finalBlock = []byte{0x01, 0x00, 0x00, 0xff, 0xff}
