package protocol

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/pwg-team/pwg/crdt/docid"
)

var testDoc = docid.Encode([16]byte{1, 2, 3, 4, 5, 6, 0x40, 8, 0x80, 10, 11, 12, 13, 14, 15, 16})

func TestRoundTrip(t *testing.T) {
	msgs := []*Message{
		{Type: TypeJoin, SenderID: "a", SupportedProtocolVersions: []string{"1"}, PeerMetadata: &PeerMetadata{Features: []string{FeatureSavedDoc}}},
		{Type: TypePeer, SenderID: "b", TargetID: "a", SelectedProtocolVersion: "1", PeerMetadata: &PeerMetadata{StorageID: "s"}},
		{Type: TypeSync, SenderID: "a", TargetID: "b", DocumentID: testDoc, Data: []byte{0x42, 0}},
		{Type: TypeRequest, SenderID: "a", TargetID: "b", DocumentID: testDoc, Data: []byte{0x42, 0}},
		{Type: TypeDocUnavailable, SenderID: "a", TargetID: "b", DocumentID: testDoc},
		{Type: TypeEphemeral, SenderID: "a", TargetID: "b", DocumentID: testDoc, SessionID: "x", Count: 3, Data: []byte{0xa0}},
		{Type: TypeLeave, SenderID: "a"},
		{Type: TypeError, SenderID: "a", ErrorMessage: "no"},
		{Type: TypeSavedDoc, SenderID: "a", TargetID: "b", DocumentID: testDoc, Data: []byte{1}},
	}
	for _, m := range msgs {
		b, err := Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(b)
		if err != nil {
			t.Fatalf("%s: %v", m.Type, err)
		}
		b2, _ := Encode(got)
		if !bytes.Equal(b, b2) {
			t.Fatalf("%s: re-encoding differs", m.Type)
		}
	}
}

// TestWireShape checks the encoding against what cbor-x (JS automerge-repo)
// writes: a map with text keys, byte strings untagged.
func TestWireShape(t *testing.T) {
	b, err := Encode(&Message{Type: TypeSync, SenderID: "a", TargetID: "b", DocumentID: testDoc, Data: []byte{0x42}})
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := cbor.Unmarshal(b, &generic); err != nil {
		t.Fatal(err)
	}
	if len(generic) != 5 {
		t.Fatalf("keys: %v", generic)
	}
	if d, ok := generic["data"].([]byte); !ok || !bytes.Equal(d, []byte{0x42}) {
		t.Fatalf("data is %T %v, want a plain byte string", generic["data"], generic["data"])
	}
	// A message as cbor-x encodes it, with an extra key we do not know.
	js := map[string]any{"type": "sync", "senderId": "p", "targetId": "q", "documentId": testDoc, "data": []byte{0x42, 1}, "extra": 7}
	jb, _ := cbor.Marshal(js)
	m, err := Decode(jb)
	if err != nil || m.SenderID != "p" || !bytes.Equal(m.Data, []byte{0x42, 1}) {
		t.Fatalf("decode JS-shaped message: %v %+v", err, m)
	}
}

func TestDecodeRejects(t *testing.T) {
	enc := func(v any) []byte { b, _ := cbor.Marshal(v); return b }
	cases := map[string]struct {
		b    []byte
		want error
	}{
		"not cbor":      {[]byte{0xff, 0x00}, ErrMalformed},
		"array":         {enc([]int{1}), ErrMalformed},
		"trailing":      {append(enc(map[string]any{"type": "leave", "senderId": "a"}), 0), ErrMalformed},
		"unknown type":  {enc(map[string]any{"type": "gossip", "senderId": "a"}), ErrUnknownType},
		"no sender":     {enc(map[string]any{"type": "leave"}), ErrInvalid},
		"bad doc id":    {enc(map[string]any{"type": "sync", "senderId": "a", "documentId": "abc", "data": []byte{1}}), ErrInvalid},
		"no data":       {enc(map[string]any{"type": "sync", "senderId": "a", "documentId": testDoc}), ErrInvalid},
		"wrong type":    {enc(map[string]any{"type": "sync", "senderId": 5}), ErrMalformed},
		"dup key":       {mustHex("a2647479706565" + "6c65617665" + "6474797065" + "656c65617665"), ErrMalformed},
		"tagged":        {mustHex("c249" + "010203040506070809"), ErrMalformed},
		"join no versn": {enc(map[string]any{"type": "join", "senderId": "a"}), ErrInvalid},
	}
	for name, c := range cases {
		if _, err := Decode(c.b); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", name, err, c.want)
		}
	}
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func FuzzDecode(f *testing.F) {
	for _, m := range []*Message{
		{Type: TypeSync, SenderID: "a", TargetID: "b", DocumentID: testDoc, Data: []byte{0x42, 0}},
		{Type: TypeJoin, SenderID: "a", SupportedProtocolVersions: []string{"1"}, PeerMetadata: &PeerMetadata{}},
		{Type: TypeEphemeral, SenderID: "a", TargetID: "b", DocumentID: testDoc, SessionID: "s", Count: 1, Data: []byte{1}},
	} {
		b, _ := Encode(m)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			return
		}
		// Whatever decodes must validate, re-encode and decode the same.
		b2, err := Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := Decode(b2)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if m2.Type != m.Type || m2.DocumentID != m.DocumentID || !bytes.Equal(m2.Data, m.Data) {
			t.Fatal("round trip changed the message")
		}
	})
}
