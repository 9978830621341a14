// Package presence is what a person's pwg tells the others in the room, in
// automerge-repo ephemeral messages: never stored, never written into a
// document, gone when the peer goes.
//
// The data of an ephemeral message is one CBOR map:
//
//	{"name": "Aiko", "role": "facilitator", "meeting": <document id>,
//	 "section": "alerts", "facilitatorSection": "alerts"}
//
// role is the person's role in the meeting (facilitator, scribe, attendee);
// section is the agenda section they are in; facilitatorSection, sent only
// by the facilitator, is where the meeting is, so others can follow it.
package presence

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/fxamacker/cbor/v2"
)

// MaxField bounds each text field, in bytes.
const MaxField = 256

// ErrBadPresence is returned for ephemeral data that is not a presence.
var ErrBadPresence = errors.New("not a pwg presence")

// Presence is one person's state in the room.
type Presence struct {
	Name               string `cbor:"name"`
	Role               string `cbor:"role,omitempty"`
	MeetingID          string `cbor:"meeting,omitempty"`
	Section            string `cbor:"section,omitempty"`
	FacilitatorSection string `cbor:"facilitatorSection,omitempty"`
	// Connected lists the fingerprints of the devices the sender is
	// connected to. The sync engine fills it (to avoid relaying changes to
	// a device that gets them first-hand); it is not part of what a person
	// sets.
	Connected []string `cbor:"connected,omitempty"`
}

// IsZero reports whether p says nothing about a person (it may still list
// connections).
func (p Presence) IsZero() bool {
	return p.Name == "" && p.Role == "" && p.MeetingID == "" && p.Section == "" && p.FacilitatorSection == ""
}

// MaxConnected bounds the Connected list.
const MaxConnected = 256

var decMode cbor.DecMode

func init() {
	var err error
	decMode, err = cbor.DecOptions{MaxNestedLevels: 4, MaxMapPairs: 32, MaxArrayElements: MaxConnected, TagsMd: cbor.TagsForbidden, DupMapKey: cbor.DupMapKeyEnforcedAPF}.DecMode()
	if err != nil {
		panic(err)
	}
}

// Encode returns p as CBOR.
func Encode(p Presence) []byte {
	b, err := cbor.Marshal(p)
	if err != nil {
		panic(err) // only strings: cannot fail
	}
	return b
}

// Decode parses and checks a presence.
func Decode(b []byte) (Presence, error) {
	var p Presence
	if len(b) > (8+MaxConnected)*MaxField {
		return p, fmt.Errorf("%w: %d bytes", ErrBadPresence, len(b))
	}
	if err := decMode.Unmarshal(b, &p); err != nil {
		return Presence{}, fmt.Errorf("%w: %v", ErrBadPresence, err)
	}
	if len(p.Connected) > MaxConnected {
		return Presence{}, fmt.Errorf("%w: %d connections listed", ErrBadPresence, len(p.Connected))
	}
	for _, f := range append([]string{p.Name, p.Role, p.MeetingID, p.Section, p.FacilitatorSection}, p.Connected...) {
		if len(f) > MaxField || !utf8.ValidString(f) {
			return Presence{}, fmt.Errorf("%w: field too long or not UTF-8", ErrBadPresence)
		}
	}
	return p, nil
}

// Facilitator returns the section the facilitator of meeting is in, from the
// presences of the peers in the room (and this device's own), or false if no
// facilitator of that meeting is present.
func Facilitator(meetingID string, all []Presence) (string, bool) {
	for _, p := range all {
		if p.MeetingID == meetingID && p.FacilitatorSection != "" {
			return p.FacilitatorSection, true
		}
	}
	return "", false
}
