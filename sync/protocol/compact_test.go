package protocol_test

import (
	"bytes"
	"reflect"
	"slices"
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
	doc := docid.New()
	for _, m := range []*protocol.Message{
		{Type: protocol.TypeSync, SenderID: "a", TargetID: "b", DocumentID: "d", Data: []byte{1}},
		{Type: protocol.TypeEphemeral, SenderID: "a", TargetID: "b", DocumentID: "d", SessionID: "s", Count: 3, Data: []byte{2}},
		// Frames that decode (a valid document id), as a second mention too.
		{Type: protocol.TypeSync, SenderID: "a", TargetID: "b", DocumentID: doc, Data: []byte{1}},
		{Type: protocol.TypeEphemeral, SenderID: "a", TargetID: "b", DocumentID: doc, SessionID: "s", Count: 3, Data: []byte{2}},
		{Type: protocol.TypeError, SenderID: "a", TargetID: "b", ErrorMessage: "no"},
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

// Only short strings are remembered: a peer sending long ones (a leave or
// subscription change may carry any document id) must not make the other
// end keep 4,096 of them for the life of the connection. Both ends agree.
func TestCompactRemembersOnlyShortStrings(t *testing.T) {
	w, r := protocol.NewCompactWriter(), protocol.NewCompactReader()
	long := string(bytes.Repeat([]byte("x"), 1<<20))
	m := &protocol.Message{Type: protocol.TypeRemoteSubscriptionChange, SenderID: "a", TargetID: "b", DocumentID: long}
	for i := 0; i < 2; i++ {
		f, err := w.Encode(m, "a", "b")
		if err != nil {
			t.Fatal(err)
		}
		if len(f) < len(long) {
			t.Fatalf("frame %d: %d bytes: the long string went as a reference", i, len(f))
		}
		got, err := r.Decode(f, "b", "a")
		if err != nil || got.DocumentID != long {
			t.Fatalf("frame %d: %v", i, err)
		}
	}
	// The next string remembered takes the first index on both ends.
	doc := docid.New()
	for i := 0; i < 2; i++ {
		f, _ := w.Encode(&protocol.Message{Type: protocol.TypeDocUnavailable, SenderID: "a", TargetID: "b", DocumentID: doc}, "a", "b")
		if got, err := r.Decode(f, "b", "a"); err != nil || got.DocumentID != doc {
			t.Fatalf("short string %d: %v, %+v", i, err, got)
		}
	}
	// A reader that remembered the long string would take index 0 for it.
	f := []byte{1, 2, 3, 0} // doc-unavailable, string 0, no data
	if got, err := r.Decode(f, "b", "a"); err != nil || got.DocumentID != doc {
		t.Fatalf("index 0: %v, %+v; want %s", err, got, doc)
	}
}

// FuzzCompactRoundTrip sends sequences of valid messages through one
// connection's writer and reader: each decodes to the message sent, so the
// string tables of both ends stay in step whatever the order of first
// mentions, long strings and fields.
func FuzzCompactRoundTrip(f *testing.F) {
	types := []string{
		protocol.TypeSync, protocol.TypeRequest, protocol.TypeDocUnavailable, protocol.TypeEphemeral,
		protocol.TypeRemoteSubscriptionChange, protocol.TypeRemoteHeadsChanged, protocol.TypeLeave, protocol.TypeError,
		protocol.TypeSavedDoc, protocol.TypeSyncDeflate, protocol.TypeSyncPacked, protocol.TypeSyncUnpackable, protocol.TypeTeamKey,
	}
	docs := []string{docid.New(), docid.New(), docid.New()}
	const self, peer = "self", "peer"
	f.Add([]byte{0, 0x10, 0x23, 0x83, 0x13}, "s1", uint64(3), "why", []byte{0x42})
	f.Add([]byte{3, 3, 0x93, 0x43}, string(bytes.Repeat([]byte("x"), 300)), uint64(0), "", []byte{})
	f.Fuzz(func(t *testing.T, plan []byte, str string, count uint64, errMsg string, data []byte) {
		w, r := protocol.NewCompactWriter(), protocol.NewCompactReader()
		if len(data) == 0 {
			data = nil
		}
		strs := append(slices.Clone(docs), "", str)
		for i, p := range plan[:min(len(plan), 64)] {
			m := &protocol.Message{Type: types[int(p&0x0f)%len(types)], SenderID: self, TargetID: peer,
				DocumentID: strs[int(p>>4&3)%len(strs)], Data: data}
			if p&0x40 != 0 {
				m.SessionID, m.Count = strs[(i+int(p))%len(strs)], count
			}
			if p&0x80 != 0 {
				m.ErrorMessage = errMsg
			}
			if m.Validate() != nil {
				continue // the session sends only valid messages
			}
			b, err := w.Encode(m, self, peer)
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.Decode(b, peer, self)
			if err != nil {
				t.Fatalf("message %d (%+v): %v", i, m, err)
			}
			if !reflect.DeepEqual(got, m) {
				t.Fatalf("message %d: got %+v, want %+v", i, got, m)
			}
		}
	})
}
