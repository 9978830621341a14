package protocol

import (
	"encoding/binary"
	"fmt"

	"github.com/pwg-team/pwg/crdt/docid"
)

// FeatureCompact, listed in PeerMetadata.Features, says the peer reads and
// writes the messages after the handshake in the compact envelope
// (CompactWriter, CompactReader). Both sides use it when the peer announced
// it: every pwg that knows it announces it.
//
// A CBOR message spells out its type, both peer ids and the document id:
// about 110 bytes, more than a keystroke's sync data. On a connection the
// sender and target are the two ends, the type is one of a dozen and the
// same few documents come again and again, so the compact envelope is a
// type byte, the document as an index into the strings this connection has
// already carried, and the data. Compressing the CBOR stream with DEFLATE
// saved as much but cost 20-30 µs per message, which showed in the latency
// of a keystroke reaching 8 peers.
const FeatureCompact = "compact-envelope"

// A frame starts with a byte: frameCBOR, or frameCompact with the flags of
// the optional fields it carries.
const (
	frameCBOR    = 0 // a CBOR message (one the compact form cannot carry)
	frameCompact = 1
	hasSession   = 1 << 1
	hasCount     = 1 << 2
	hasError     = 1 << 3
)

// compactTypes are the message types the compact envelope carries, by index.
var compactTypes = []string{
	TypeSync, TypeRequest, TypeDocUnavailable, TypeEphemeral,
	TypeRemoteSubscriptionChange, TypeRemoteHeadsChanged, TypeLeave, TypeError,
	TypeSavedDoc, TypeSyncDeflate, TypeSyncPacked, TypeSyncUnpackable, TypeTeamKey,
}

// maxCompactStrings bounds the strings a connection remembers (document
// and session ids); later ones are sent in full each time.
const maxCompactStrings = 4096

// maxCompactString bounds the length of a string remembered: document and
// session ids are a few dozen bytes, and a peer must not make the other
// end keep 4,096 strings of megabytes each.
const maxCompactString = 256

// CompactWriter writes one direction of a connection. Not safe for
// concurrent use: the connection's writer owns it.
type CompactWriter struct {
	strs map[string]uint64
}

// NewCompactWriter returns a writer for a new connection.
func NewCompactWriter() *CompactWriter { return &CompactWriter{strs: map[string]uint64{}} }

// Encode returns the frame of m, sent from self to peer: compact when m
// is from self to peer with only the fields the compact form has, else the
// CBOR message behind a kind byte.
func (w *CompactWriter) Encode(m *Message, self, peer string) ([]byte, error) {
	typ := -1
	for i, t := range compactTypes {
		if t == m.Type {
			typ = i
		}
	}
	if typ < 0 || m.SenderID != self || m.TargetID != peer || m.PeerMetadata != nil ||
		m.SupportedProtocolVersions != nil || m.SelectedProtocolVersion != "" {
		b, err := Encode(m)
		if err != nil {
			return nil, err
		}
		return append([]byte{frameCBOR}, b...), nil
	}
	head := byte(frameCompact)
	if m.SessionID != "" {
		head |= hasSession
	}
	if m.Count != 0 {
		head |= hasCount
	}
	if m.ErrorMessage != "" {
		head |= hasError
	}
	out := make([]byte, 0, 16+len(m.Data)+len(m.ErrorMessage))
	out = append(out, head, byte(typ))
	out = w.appendString(out, m.DocumentID)
	if m.SessionID != "" {
		out = w.appendString(out, m.SessionID)
	}
	if m.Count != 0 {
		out = binary.AppendUvarint(out, m.Count)
	}
	if m.ErrorMessage != "" {
		out = appendBytes(out, []byte(m.ErrorMessage))
	}
	return appendBytes(out, m.Data), nil
}

// String references of the compact envelope: strFirst... is the index of
// a string the connection carried before.
const (
	strEmpty = 0 // ""
	strText  = 1 // the string follows (then remembered)
	strDocID = 2 // a document id follows as its 16 bytes (then remembered)
	strFirst = 3
)

// appendString appends s as a reference, or in full the first time.
func (w *CompactWriter) appendString(out []byte, s string) []byte {
	if s == "" {
		return append(out, strEmpty)
	}
	if i, ok := w.strs[s]; ok {
		return binary.AppendUvarint(out, i+strFirst)
	}
	if len(w.strs) < maxCompactStrings && len(s) <= maxCompactString {
		w.strs[s] = uint64(len(w.strs))
	}
	if raw, err := docid.Decode(s); err == nil && docid.Encode(raw) == s {
		return append(append(out, strDocID), raw[:]...)
	}
	return appendBytes(append(out, strText), []byte(s))
}

// CompactReader reads one direction of a connection. Not safe for
// concurrent use: the connection's reader owns it.
type CompactReader struct {
	strs []string
}

// NewCompactReader returns a reader for a new connection.
func NewCompactReader() *CompactReader { return &CompactReader{} }

// Decode returns the message of a frame from peer to self, validated as
// Decode validates a CBOR message.
func (r *CompactReader) Decode(frame []byte, self, peer string) (*Message, error) {
	if len(frame) == 0 {
		return nil, fmt.Errorf("%w: empty frame", ErrMalformed)
	}
	if frame[0] == frameCBOR {
		return Decode(frame[1:])
	}
	head := frame[0]
	if head&frameCompact == 0 || head&^(frameCompact|hasSession|hasCount|hasError) != 0 {
		return nil, fmt.Errorf("%w: frame of kind %d", ErrMalformed, head)
	}
	if len(frame) > MaxMessageSize {
		return nil, fmt.Errorf("%w: %d bytes", ErrMalformed, len(frame))
	}
	in := reader{b: frame[1:]}
	typ := int(in.byte())
	if in.err == nil && typ >= len(compactTypes) {
		in.fail("unknown type")
	}
	m := &Message{SenderID: peer, TargetID: self}
	if in.err == nil {
		m.Type = compactTypes[typ]
	}
	m.DocumentID = r.string(&in)
	if head&hasSession != 0 {
		m.SessionID = r.string(&in)
	}
	if head&hasCount != 0 {
		m.Count = in.uvarint()
	}
	if head&hasError != 0 {
		m.ErrorMessage = string(in.bytes(in.count(1)))
	}
	if data := in.bytes(in.count(1)); len(data) > 0 {
		m.Data = data
	}
	if in.err == nil && len(in.rest()) != 0 {
		in.fail("bytes after the message")
	}
	if in.err != nil {
		return nil, in.err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

func (r *CompactReader) string(in *reader) string {
	var s string
	switch k := in.uvarint(); {
	case in.err != nil || k == strEmpty:
		return ""
	case k == strText:
		s = string(in.bytes(in.count(1)))
	case k == strDocID:
		var raw [16]byte
		copy(raw[:], in.bytes(16))
		s = docid.Encode(raw)
	case k-strFirst < uint64(len(r.strs)):
		return r.strs[k-strFirst]
	default:
		in.fail("string not sent before")
		return ""
	}
	if in.err == nil && len(r.strs) < maxCompactStrings && len(s) <= maxCompactString {
		r.strs = append(r.strs, s)
	}
	return s
}
