package protocol_test

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/sync/protocol"
)

func TestCompactRoundTripAndSize(t *testing.T) {
	w, r := protocol.NewCompactWriter(), protocol.NewCompactReader()
	const self, peer = "device-aaaaaaaaaaaaaaaaaaaa", "device-bbbbbbbbbbbbbbbbbbbb"
	doc, other := docid.New(), docid.New()
	msgs := []*protocol.Message{
		{Type: protocol.TypeSync, SenderID: self, TargetID: peer, DocumentID: doc, Data: []byte{0x42, 1, 2, 3}},
		{Type: protocol.TypeSync, SenderID: self, TargetID: peer, DocumentID: doc, Data: []byte{0x42, 4}},
		{Type: protocol.TypeEphemeral, SenderID: self, TargetID: peer, DocumentID: doc, SessionID: "s1", Count: 7, Data: []byte("presence")},
		{Type: protocol.TypeDocUnavailable, SenderID: self, TargetID: peer, DocumentID: other},
		{Type: protocol.TypeLeave, SenderID: self, TargetID: peer},
		{Type: protocol.TypeError, SenderID: self, TargetID: peer, ErrorMessage: "no"},
		// Relayed presence keeps its origin: sent as CBOR.
		{Type: protocol.TypeEphemeral, SenderID: "device-cccc", TargetID: peer, DocumentID: doc, SessionID: "s2", Count: 1, Data: []byte("x")},
	}
	for i, m := range msgs {
		f, err := w.Encode(m, self, peer)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Decode(f, peer, self)
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Fatalf("message %d: got %+v, want %+v", i, got, m)
		}
		cb, _ := protocol.Encode(m)
		t.Logf("%s: %d bytes compact, %d as CBOR", m.Type, len(f), len(cb))
		if i == 1 && len(f) > len(m.Data)+4 {
			t.Errorf("a sync message for a known document took %d bytes for %d of data", len(f), len(m.Data))
		}
	}
}

func TestCompactRefusesDamage(t *testing.T) {
	r := protocol.NewCompactReader()
	for _, f := range [][]byte{
		{}, {9}, {1}, {1, 99}, {1, 0, 5}, // unknown kind, type, unknown string
		{1, 0, 1, 50, 'x'}, // string longer than the frame
		{1, 0, 0, 0},       // sync without document or data
		{0x31, 0, 0, 0},    // unknown flag
	} {
		if m, err := r.Decode(f, "a", "b"); err == nil {
			t.Errorf("frame %v decoded to %+v", f, m)
		}
	}
}

func FuzzCompactDecode(f *testing.F) {
	w := protocol.NewCompactWriter()
	for _, m := range []*protocol.Message{
		{Type: protocol.TypeSync, SenderID: "a", TargetID: "b", DocumentID: "d", Data: []byte{1}},
		{Type: protocol.TypeEphemeral, SenderID: "a", TargetID: "b", DocumentID: "d", SessionID: "s", Count: 3, Data: []byte{2}},
	} {
		b, _ := w.Encode(m, "a", "b")
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r := protocol.NewCompactReader()
		m, err := r.Decode(b, "b", "a")
		if err == nil && m.Validate() != nil {
			t.Fatalf("invalid message accepted: %+v", m)
		}
		if err == nil && bytes.Equal(b, nil) {
			t.Fatal("empty frame accepted")
		}
	})
}
