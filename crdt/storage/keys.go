package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// ErrKeyDamaged is returned for a stored key whose checksum does not match
// (or that is not a key at all): bit rot, not a foreign device.
var ErrKeyDamaged = errors.New("a key stored in this workspace is damaged")

// EncodeKey is how keys are kept in settings: hex, a dot, then a checksum
// (8 hex digits of SHA-256 over a label and the key), so that a flipped bit
// is found as damage instead of failing every handshake as a stranger.
func EncodeKey(raw []byte) string {
	return hex.EncodeToString(raw) + "." + keySum(raw)
}

// DecodeKey reads a key kept by EncodeKey (or plain hex, as pwg kept keys
// before they carried a checksum). Damage is ErrKeyDamaged.
func DecodeKey(s string) ([]byte, error) {
	h, sum, checked := strings.Cut(strings.TrimSpace(s), ".")
	raw, err := hex.DecodeString(h)
	if err != nil {
		return nil, fmt.Errorf("%w: not hex (%v)", ErrKeyDamaged, err)
	}
	if checked && sum != keySum(raw) {
		return nil, fmt.Errorf("%w: its checksum does not match", ErrKeyDamaged)
	}
	return raw, nil
}

func keySum(raw []byte) string {
	s := sha256.Sum256(append([]byte("pwg key v1\x00"), raw...))
	return hex.EncodeToString(s[:4])
}
