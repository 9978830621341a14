// Package docid encodes automerge-repo document ids, the one form pwg uses
// for every document: the bs58check encoding of 16 raw bytes (a random
// UUIDv4), that is the bytes followed by the first 4 bytes of their double
// SHA-256, in Bitcoin's base58 alphabet. The documents runtime makes them,
// the sync protocol checks every id a peer sends.
package docid

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"

	"github.com/mr-tron/base58"
)

// ErrBad is returned for a string that is not an automerge-repo document id.
var ErrBad = errors.New("not an automerge-repo document id")

// maxLen bounds the text decoded: 20 bytes take at most 28 base58 digits,
// so longer input is refused before base58 decodes it.
const maxLen = 40

// New returns a new document id: a random UUIDv4, encoded.
func New() string {
	var u [16]byte
	if _, err := rand.Read(u[:]); err != nil {
		panic(err)
	}
	u[6] = (u[6] & 0x0f) | 0x40
	u[8] = (u[8] & 0x3f) | 0x80
	return Encode(u)
}

// Encode encodes 16 raw id bytes with bs58check.
func Encode(raw [16]byte) string {
	return base58.Encode(append(raw[:], check(raw[:])...))
}

// Decode checks a document id and returns its 16 raw bytes.
func Decode(id string) ([16]byte, error) {
	var raw [16]byte
	if id == "" || len(id) > maxLen {
		return raw, ErrBad
	}
	full, err := base58.Decode(id)
	if err != nil || len(full) != 20 || string(check(full[:16])) != string(full[16:]) {
		return raw, ErrBad
	}
	copy(raw[:], full[:16])
	return raw, nil
}

// Valid reports whether id is a well-formed document id.
func Valid(id string) bool {
	_, err := Decode(id)
	return err == nil
}

// check is the bs58check checksum: the first 4 bytes of a double SHA-256.
func check(raw []byte) []byte {
	a := sha256.Sum256(raw)
	b := sha256.Sum256(a[:])
	return b[:4]
}
