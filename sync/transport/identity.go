package transport

import (
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
)

// TeamKeySize is the size of a team key in bytes (256 bits).
const TeamKeySize = 32

// ErrBadKey is returned for a key of the wrong size or form.
var ErrBadKey = errors.New("bad key")

// Identity is a device's long-term Curve25519 key pair. Its public half,
// shown as a Fingerprint, names the device to its peers.
type Identity struct {
	Private []byte
	Public  []byte
}

// NewIdentity makes a new random identity.
func NewIdentity() (Identity, error) {
	k, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return Identity{}, fmt.Errorf("generate device key: %w", err)
	}
	return Identity{Private: k.Bytes(), Public: k.PublicKey().Bytes()}, nil
}

// IdentityFromPrivate rebuilds an identity from its 32-byte private key.
func IdentityFromPrivate(priv []byte) (Identity, error) {
	k, err := ecdh.X25519().NewPrivateKey(priv)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: device key: %v", ErrBadKey, err)
	}
	return Identity{Private: k.Bytes(), Public: k.PublicKey().Bytes()}, nil
}

// Fingerprint returns the identity's fingerprint (see the package Fingerprint).
func (id Identity) Fingerprint() string { return Fingerprint(id.Public) }

var fpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Fingerprint names a device by its public key: 16 base32 characters (80
// bits) of the SHA-256 of the key. It is also the device's peer id in the
// message layer.
func Fingerprint(pub []byte) string {
	h := sha256.Sum256(pub)
	return fpEncoding.EncodeToString(h[:10])
}

// NewTeamKey returns 256 random bits.
func NewTeamKey() []byte {
	k := make([]byte, TeamKeySize)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return k
}

// DeriveKey derives a 32-byte key for one purpose from the team key, so that
// the key itself is used for nothing directly (HKDF-SHA256).
func DeriveKey(teamKey []byte, purpose string) []byte {
	k, err := hkdf.Key(sha256.New, teamKey, nil, "pwg "+purpose, 32)
	if err != nil {
		panic(err) // only for lengths over 255*32
	}
	return k
}
