package protocol

import (
	"crypto/sha256"

	"github.com/mr-tron/base58"
)

// ValidDocumentID reports whether id is an automerge-repo document id: the
// bs58check encoding of 16 bytes (a UUID) followed by the first 4 bytes of
// their double SHA-256.
func ValidDocumentID(id string) bool {
	if id == "" || len(id) > 40 {
		return false
	}
	full, err := base58.Decode(id)
	if err != nil || len(full) != 20 {
		return false
	}
	a := sha256.Sum256(full[:16])
	b := sha256.Sum256(a[:])
	return string(b[:4]) == string(full[16:])
}

// NewDocumentID encodes 16 raw bytes as an automerge-repo document id.
func NewDocumentID(raw [16]byte) string {
	a := sha256.Sum256(raw[:])
	b := sha256.Sum256(a[:])
	return base58.Encode(append(raw[:], b[:4]...))
}
