package protocol

import (
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

// MaxMessageSize bounds an encoded message (a first sync of a long history
// can be megabytes; a saved document is far smaller).
const MaxMessageSize = 64 << 20

var (
	encMode cbor.EncMode
	decMode cbor.DecMode
)

func init() {
	var err error
	// Like cbor-x with useRecords:false and tagUint8Array:false: plain maps
	// with string keys, byte strings untagged; shortest forms.
	encMode, err = cbor.EncOptions{Sort: cbor.SortNone, ShortestFloat: cbor.ShortestFloat16}.EncMode()
	if err != nil {
		panic(err)
	}
	decMode, err = cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyEnforcedAPF,
		MaxNestedLevels:   8,
		MaxArrayElements:  1024,
		MaxMapPairs:       64,
		IndefLength:       cbor.IndefLengthAllowed,
		TagsMd:            cbor.TagsForbidden,
		ExtraReturnErrors: cbor.ExtraDecErrorNone,
	}.DecMode()
	if err != nil {
		panic(err)
	}
}

// Encode returns the CBOR encoding of m. It does not validate m.
func Encode(m *Message) ([]byte, error) {
	b, err := encMode.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode %s message: %w", m.Type, err)
	}
	return b, nil
}

// Decode parses one CBOR-encoded message and validates it. Unknown map keys
// are ignored (other implementations add their own); unknown types, missing
// fields and trailing bytes are errors.
func Decode(b []byte) (*Message, error) {
	if len(b) > MaxMessageSize {
		return nil, fmt.Errorf("%w: %d bytes is over the %d limit", ErrMalformed, len(b), MaxMessageSize)
	}
	var m Message
	if err := decMode.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}
