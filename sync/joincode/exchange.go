package joincode

import (
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"github.com/fxamacker/cbor/v2"
	"github.com/pwg-team/pwg/sync/transport"
	"github.com/schollz/pake/v3"
	"golang.org/x/crypto/chacha20poly1305"
)

// Magic starts a code exchange on a connection, before any frame: the
// inviting device's listener tells it from a Noise handshake by it (read as
// a frame length it would be far over any bound).
const Magic = "PWGCODE1"

// curve is the PAKE's group: P-256 through Go's constant-time crypto/elliptic.
const curve = "p256"

// maxFrame bounds every frame of the exchange.
const maxFrame = 64 << 10

// Errors of an exchange (the joining side branches on them).
var (
	// ErrWrongCode is returned when the inviting device did not accept the
	// code: a typo, or an attacker's guess. The try counts.
	ErrWrongCode = errors.New("wrong code")
	// ErrCodeGone is returned when the code is not (or no longer) offered:
	// used, expired, burnt by wrong tries, or never made on that device.
	ErrCodeGone = errors.New("this code is not valid (any more): it was used, it expired, or it was burnt by wrong tries; ask for a new one")
	// ErrProtocol is returned for a peer that does not follow the exchange.
	ErrProtocol = errors.New("join code exchange: unexpected message")
)

// Hello is what the joining device tells the inviting one, sealed.
type Hello struct {
	Fingerprint string `cbor:"f"`
	Name        string `cbor:"n,omitempty"`
}

// wire is every frame of the exchange; which fields are set depends on the step.
type wire struct {
	Nameplate int    `cbor:"np,omitempty"` // joiner's first message
	Pake      []byte `cbor:"pk,omitempty"` // both sides' PAKE message
	Sealed    []byte `cbor:"s,omitempty"`  // hello (joiner), payload (inviter)
	Err       string `cbor:"e,omitempty"`  // "wrong" or "gone": the exchange ends
	Left      int    `cbor:"l,omitempty"`  // tries left after a wrong code
}

func send(w io.Writer, m wire) error {
	b, err := cbor.Marshal(m)
	if err != nil {
		return err
	}
	return transport.WriteFrame(w, b)
}

func recv(r io.Reader) (wire, error) {
	var m wire
	b, err := transport.ReadFrame(r, maxFrame)
	if err != nil {
		return m, err
	}
	if err := cbor.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%w: %v", ErrProtocol, err)
	}
	return m, nil
}

// pakeStep runs one step of the PAKE, turning the library's panics on
// malformed points (a nil coordinate) into errors.
func pakeStep(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: bad PAKE message", ErrProtocol)
		}
	}()
	return f()
}

// keys derives the two directions' AEADs from the PAKE's session key, bound
// to the nameplate.
func keys(p *pake.Pake, nameplate int) (joinerToHost, hostToJoiner cipher.AEAD, err error) {
	k, err := p.SessionKey()
	if err != nil {
		return nil, nil, err
	}
	aead := func(label string) (cipher.AEAD, error) {
		key, err := hkdf.Key(sha256.New, k, []byte{byte(nameplate)}, "pwg join code "+label, chacha20poly1305.KeySize)
		if err != nil {
			return nil, err
		}
		return chacha20poly1305.New(key)
	}
	if joinerToHost, err = aead("joiner to inviter"); err != nil {
		return nil, nil, err
	}
	hostToJoiner, err = aead("inviter to joiner")
	return joinerToHost, hostToJoiner, err
}

// Each key seals exactly one message, so a zero nonce is safe.
func seal(a cipher.AEAD, b []byte) []byte {
	return a.Seal(nil, make([]byte, a.NonceSize()), b, []byte(Magic))
}

func open(a cipher.AEAD, b []byte) ([]byte, error) {
	return a.Open(nil, make([]byte, a.NonceSize()), b, []byte(Magic))
}

// Join runs the joining side of the exchange on rw (a connection to the
// inviting device; the caller sets its deadline): it sends Magic, runs the
// PAKE keyed by code, sends hello and returns the inviter's payload.
func Join(rw io.ReadWriter, code Code, hello Hello) ([]byte, error) {
	var a *pake.Pake
	if err := pakeStep(func() (err error) { a, err = pake.InitCurve(code.password(), 0, curve); return err }); err != nil {
		return nil, err
	}
	if _, err := io.WriteString(rw, Magic); err != nil {
		return nil, err
	}
	if err := send(rw, wire{Nameplate: code.Nameplate, Pake: a.Bytes()}); err != nil {
		return nil, err
	}
	m, err := recv(rw)
	if err != nil {
		return nil, err
	}
	if err := refusal(m); err != nil {
		return nil, err
	}
	if err := pakeStep(func() error { return a.Update(m.Pake) }); err != nil {
		return nil, err
	}
	up, down, err := keys(a, code.Nameplate)
	if err != nil {
		return nil, err
	}
	h, err := cbor.Marshal(hello)
	if err != nil {
		return nil, err
	}
	if err := send(rw, wire{Sealed: seal(up, h)}); err != nil {
		return nil, err
	}
	if m, err = recv(rw); err != nil {
		return nil, err
	}
	if err := refusal(m); err != nil {
		return nil, err
	}
	payload, err := open(down, m.Sealed)
	if err != nil {
		// only a device that knew the code could have sealed it
		return nil, fmt.Errorf("%w: the answer does not open with the code", ErrWrongCode)
	}
	return payload, nil
}

func refusal(m wire) error {
	switch m.Err {
	case "":
		return nil
	case "wrong":
		if m.Left > 0 {
			return fmt.Errorf("%w (%d more tries before the code is burnt)", ErrWrongCode, m.Left)
		}
		return fmt.Errorf("%w; the code is now burnt: ask for a new one", ErrWrongCode)
	case "gone":
		return ErrCodeGone
	default:
		return fmt.Errorf("%w: %.80q", ErrProtocol, m.Err)
	}
}
