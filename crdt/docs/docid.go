package docs

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"

	"github.com/mr-tron/base58"
)

// ErrBadDocID is returned for a string that is not an automerge-repo document id.
var ErrBadDocID = errors.New("not an automerge-repo document id")

// NewDocID returns a new document id in automerge-repo's form: the bs58check
// encoding of a random 16-byte UUIDv4.
func NewDocID() string {
	var u [16]byte
	if _, err := rand.Read(u[:]); err != nil {
		panic(err)
	}
	u[6] = (u[6] & 0x0f) | 0x40
	u[8] = (u[8] & 0x3f) | 0x80
	return EncodeDocID(u[:])
}

// EncodeDocID encodes raw id bytes with bs58check (payload + first 4 bytes of
// a double SHA-256).
func EncodeDocID(raw []byte) string {
	a := sha256.Sum256(raw)
	b := sha256.Sum256(a[:])
	return base58.Encode(append(append([]byte{}, raw...), b[:4]...))
}

// DecodeDocID checks an automerge-repo document id and returns its 16 raw bytes.
func DecodeDocID(id string) ([]byte, error) {
	full, err := base58.Decode(id)
	if err != nil || len(full) != 20 {
		return nil, ErrBadDocID
	}
	raw := full[:16]
	a := sha256.Sum256(raw)
	b := sha256.Sum256(a[:])
	for i := 0; i < 4; i++ {
		if full[16+i] != b[i] {
			return nil, ErrBadDocID
		}
	}
	return raw, nil
}

// ValidDocID reports whether id is a well-formed automerge-repo document id.
func ValidDocID(id string) bool {
	_, err := DecodeDocID(id)
	return err == nil
}
