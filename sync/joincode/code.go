// Package joincode lets a new device join a team with a short code read off
// another laptop's screen ("7-guitar-orbit": a number and two words, as in
// magic-wormhole) instead of a long invitation.
//
// The code is the password of a password-authenticated key exchange
// (SPAKE2, from github.com/schollz/pake/v3 on NIST P-256): both sides end
// with the same strong key only if they used the same code, and someone who
// records the traffic learns nothing to test guesses of the code against
// offline. An attacker who connects gets one guess per try; the inviting
// side burns the code after MaxTries failed tries, after one use, and after
// its lifetime (10 minutes in pwg). The number is also the rendezvous: it
// picks the code on the inviting device and names its mDNS advert, so it is
// not secret; the two words (8 bits each) are, which leaves an online
// attacker MaxTries chances in 65,536.
//
// A caveat of that library: its fixed points U and V (per curve) are
// published constants without a documented hash-to-curve derivation; the
// exchange is as strong as the assumption that nobody knows their discrete
// logarithms (the same assumption croc relies on).
//
// Why schollz/pake/v3: it is the SPAKE2 implementation croc has used in
// production for years, it is maintained, pure Go and small (one file over
// crypto/elliptic), and it resolves from this project's module proxy; the
// Go CPace candidates (filippo.io/cpace) were not available here. It has
// no key confirmation of its own, so this package adds it: the first
// message after the exchange is sealed with the derived key, and a wrong
// code shows as a message that does not open.
package joincode

import (
	"crypto/rand"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

//go:embed words.txt
var wordsText string

// words is the list the two words come from: 256 short, distinct English
// words that are easy to say across a room.
var words = strings.Fields(wordsText)

var wordIndex = func() map[string]int {
	m := make(map[string]int, len(words))
	for i, w := range words {
		m[w] = i
	}
	return m
}()

// MaxNameplate is the largest number a code starts with (from 1).
const MaxNameplate = 99

// ErrBadCode is returned for text that is not a join code.
var ErrBadCode = errors.New("not a join code (it looks like 7-guitar-orbit: a number and two words)")

// Code is a join code: a number (the nameplate) and two words.
type Code struct {
	Nameplate int
	Words     [2]string
}

// String returns the code as people read it: "7-guitar-orbit".
func (c Code) String() string {
	return fmt.Sprintf("%d-%s-%s", c.Nameplate, c.Words[0], c.Words[1])
}

// New returns a random code.
func New() (Code, error) {
	var c Code
	n, err := rand.Int(rand.Reader, big.NewInt(MaxNameplate))
	if err != nil {
		return c, fmt.Errorf("random code: %w", err)
	}
	c.Nameplate = int(n.Int64()) + 1
	for i := range c.Words {
		w, err := rand.Int(rand.Reader, big.NewInt(int64(len(words))))
		if err != nil {
			return c, fmt.Errorf("random code: %w", err)
		}
		c.Words[i] = words[w.Int64()]
	}
	return c, nil
}

// Parse reads a code as typed: case, spaces and extra hyphens do not matter
// ("7 Guitar orbit" is 7-guitar-orbit).
func Parse(s string) (Code, error) {
	var c Code
	parts := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == '-' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	if len(parts) != 3 {
		return c, ErrBadCode
	}
	n, err := strconv.Atoi(parts[0])
	if err != nil || n < 1 || n > MaxNameplate {
		return c, fmt.Errorf("%w: %q is not a number from 1 to %d", ErrBadCode, parts[0], MaxNameplate)
	}
	c.Nameplate = n
	for i, w := range parts[1:] {
		if _, ok := wordIndex[w]; !ok {
			return c, fmt.Errorf("%w: %q is not one of its words (check the spelling)", ErrBadCode, w)
		}
		c.Words[i] = w
	}
	return c, nil
}

// Token is the mDNS team token under which the inviting device advertises
// the code's nameplate (the number only: never the words).
func (c Code) Token() string {
	s := sha256.Sum256([]byte("pwg join code nameplate v1\x00" + strconv.Itoa(c.Nameplate)))
	return hex.EncodeToString(s[:8])
}

// password is the PAKE's weak secret: the whole code, hashed with a
// context so it cannot be confused with another use of the same words.
func (c Code) password() []byte {
	s := sha256.Sum256([]byte("pwg join code pake v1\x00" + c.String()))
	return s[:]
}
