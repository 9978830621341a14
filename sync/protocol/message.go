package protocol

import (
	"errors"
	"fmt"
	"github.com/pwg-team/pwg/crdt/docid"
)

// Message types of automerge-repo's network protocol, plus TypeSavedDoc, a
// pwg extension sent only to peers that announce FeatureSavedDoc.
const (
	TypeJoin                     = "join"
	TypePeer                     = "peer"
	TypeError                    = "error"
	TypeSync                     = "sync"
	TypeRequest                  = "request"
	TypeDocUnavailable           = "doc-unavailable"
	TypeEphemeral                = "ephemeral"
	TypeRemoteSubscriptionChange = "remote-subscription-change"
	TypeRemoteHeadsChanged       = "remote-heads-changed"
	TypeLeave                    = "leave"
	// TypeSavedDoc carries a whole compacted Automerge document (Doc.Save)
	// in Data, in place of a long stream of V1 sync changes.
	TypeSavedDoc = "pwg-saved-doc"
	// TypeSyncDeflate is a sync message whose Data is compressed with
	// DEFLATE (RFC 1951; see Deflate and Inflate).
	TypeSyncDeflate = "pwg-sync-deflate"
	// TypeTeamKey hands a team's new key (after a device was revoked) to a
	// device of the team, over its authenticated channel; Data is the
	// key and the revocations, CBOR-encoded by package lansync.
	TypeTeamKey = "pwg-team-key"
)

// ProtocolVersion is the only automerge-repo protocol version spoken.
const ProtocolVersion = "1"

// FeatureSavedDoc, listed in PeerMetadata.Features, says the peer accepts
// TypeSavedDoc messages.
const FeatureSavedDoc = "saved-doc"

// FeatureDeflate, listed in PeerMetadata.Features, says the peer accepts
// TypeSyncDeflate messages.
const FeatureDeflate = "sync-deflate"

// FeaturePresenceRelay, listed in PeerMetadata.Features, says the peer
// accepts ephemeral messages relayed from other devices (their sender id is
// the origin, not the peer).
const FeaturePresenceRelay = "presence-relay"

// Sentinel errors of Decode and Validate.
var (
	// ErrMalformed is returned for bytes that are not one CBOR map of the
	// expected shape.
	ErrMalformed = errors.New("malformed message")
	// ErrUnknownType is returned for a message type this pwg does not know.
	ErrUnknownType = errors.New("unknown message type")
	// ErrInvalid is returned for a well-formed message missing a field its
	// type requires, or with a bad document id.
	ErrInvalid = errors.New("invalid message")
)

// PeerMetadata is what a peer tells about itself in join and peer.
type PeerMetadata struct {
	StorageID   string `cbor:"storageId,omitempty"`
	IsEphemeral bool   `cbor:"isEphemeral"`
	// Features lists pwg extensions the peer accepts (a pwg-only key; other
	// automerge-repo implementations ignore it).
	Features []string `cbor:"pwgFeatures,omitempty"`
}

// Has reports whether the metadata lists feature f.
func (m *PeerMetadata) Has(f string) bool {
	if m == nil {
		return false
	}
	for _, x := range m.Features {
		if x == f {
			return true
		}
	}
	return false
}

// Message is one message of the protocol: a CBOR map with string keys. One
// struct holds the fields of every type; Validate checks which a type needs.
type Message struct {
	Type       string `cbor:"type"`
	SenderID   string `cbor:"senderId"`
	TargetID   string `cbor:"targetId,omitempty"`
	DocumentID string `cbor:"documentId,omitempty"`
	Data       []byte `cbor:"data,omitempty"`

	// join and peer
	SupportedProtocolVersions []string      `cbor:"supportedProtocolVersions,omitempty"`
	SelectedProtocolVersion   string        `cbor:"selectedProtocolVersion,omitempty"`
	PeerMetadata              *PeerMetadata `cbor:"peerMetadata,omitempty"`

	// ephemeral
	SessionID string `cbor:"sessionId,omitempty"`
	Count     uint64 `cbor:"count,omitempty"`

	// error
	ErrorMessage string `cbor:"message,omitempty"`
}

// Validate checks that m has the fields its type requires.
func (m *Message) Validate() error {
	bad := func(what string) error { return fmt.Errorf("%w: %s %s", ErrInvalid, m.Type, what) }
	if m.SenderID == "" {
		return bad("without senderId")
	}
	needDoc := func() error {
		if !docid.Valid(m.DocumentID) {
			return bad(fmt.Sprintf("with bad documentId %q", m.DocumentID))
		}
		return nil
	}
	switch m.Type {
	case TypeJoin:
		if len(m.SupportedProtocolVersions) == 0 {
			return bad("without supportedProtocolVersions")
		}
	case TypePeer:
		if m.TargetID == "" || m.SelectedProtocolVersion == "" {
			return bad("without targetId or selectedProtocolVersion")
		}
	case TypeError, TypeLeave, TypeRemoteSubscriptionChange:
	case TypeTeamKey:
		if len(m.Data) == 0 {
			return bad("without data")
		}
	case TypeSync, TypeRequest, TypeSavedDoc, TypeSyncDeflate, TypeSyncPacked:
		if err := needDoc(); err != nil {
			return err
		}
		if len(m.Data) == 0 {
			return bad("without data")
		}
	case TypeDocUnavailable, TypeRemoteHeadsChanged, TypeSyncUnpackable:
		return needDoc()
	case TypeEphemeral:
		if err := needDoc(); err != nil {
			return err
		}
		if m.SessionID == "" {
			return bad("without sessionId")
		}
	default:
		return fmt.Errorf("%w: %q", ErrUnknownType, m.Type)
	}
	return nil
}
