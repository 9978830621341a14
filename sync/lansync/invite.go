package lansync

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"

	"github.com/fxamacker/cbor/v2"
	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/sync/transport"
)

// invitationPrefix starts every invitation. Invitations use only QR
// alphanumeric characters (upper-case base32 and ':'), so their QR codes
// stay small.
const invitationPrefix = "PWG1:"

// Invitation is what an invitation string carries: all a new device needs
// to join a team. It holds the team key: share it like a password.
type Invitation struct {
	TeamID string   `cbor:"t"`
	Key    []byte   `cbor:"k"`
	Addrs  []string `cbor:"a,omitempty"`
	// From is the inviting device's fingerprint, to show while joining.
	From string `cbor:"f,omitempty"`
}

var invEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Invite returns an invitation to the workspace's team: team id, team key,
// and the addresses this device last listened on (for networks that block
// mDNS).
func Invite(st Store) (string, error) {
	team, err := st.Team()
	if err != nil {
		return "", err
	}
	fp, err := Fingerprint(st)
	if err != nil {
		return "", err
	}
	addrs, err := st.Settings().ListenAddrs()
	if err != nil {
		return "", err
	}
	return EncodeInvitation(Invitation{TeamID: team.ID, Key: team.Key, Addrs: addrs, From: fp})
}

// EncodeInvitation returns the string form of inv: the prefix, then base32
// of its CBOR and a 4-byte SHA-256 checksum.
func EncodeInvitation(inv Invitation) (string, error) {
	b, err := cbor.Marshal(inv)
	if err != nil {
		return "", fmt.Errorf("encode invitation: %w", err)
	}
	sum := sha256.Sum256(b)
	return invitationPrefix + invEncoding.EncodeToString(append(b, sum[:4]...)), nil
}

// ParseInvitation checks and decodes an invitation string (spaces and line
// breaks from copying are ignored; case too).
func ParseInvitation(s string) (Invitation, error) {
	var inv Invitation
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	rest, ok := strings.CutPrefix(s, invitationPrefix)
	if !ok {
		return inv, fmt.Errorf("%w: it should start with %s", ErrBadInvitation, invitationPrefix)
	}
	raw, err := invEncoding.DecodeString(rest)
	if err != nil || len(raw) < 5 {
		return inv, ErrBadInvitation
	}
	body, sum := raw[:len(raw)-4], raw[len(raw)-4:]
	want := sha256.Sum256(body)
	if !bytes.Equal(sum, want[:4]) {
		return inv, fmt.Errorf("%w: checksum mismatch", ErrBadInvitation)
	}
	if err := cbor.Unmarshal(body, &inv); err != nil {
		return inv, fmt.Errorf("%w: %v", ErrBadInvitation, err)
	}
	if !docid.Valid(inv.TeamID) || len(inv.Key) != transport.TeamKeySize {
		return inv, fmt.Errorf("%w: bad team id or key", ErrBadInvitation)
	}
	return inv, nil
}

// Join adds the workspace to the team of an invitation: it keeps the team
// key and the inviter's addresses as manual peers. The team's documents
// arrive at the next sync. A workspace of another team is refused
// (ErrOtherTeam); joining the same team again only adds addresses.
func Join(st Store, invitation string) error {
	inv, err := ParseInvitation(invitation)
	if err != nil {
		return err
	}
	// A damaged device key is replaced: joining again is the repair the
	// error message offers (the key names this device only; the team key
	// is what admits it).
	if _, err := DeviceIdentity(st); errors.Is(err, storage.ErrKeyDamaged) {
		if _, err := newDeviceIdentity(st); err != nil {
			return fmt.Errorf("replace the damaged device key: %w", err)
		}
	}
	cur, err := st.Team()
	switch {
	case errors.Is(err, storage.ErrKeyDamaged) && cur.ID == inv.TeamID:
		// the team's key kept here is damaged: the invitation's replaces it
		if err := st.JoinTeam(Team{ID: inv.TeamID, Key: inv.Key}); err != nil {
			return fmt.Errorf("join team: %w", err)
		}
	case errors.Is(err, storage.ErrKeyDamaged):
		return fmt.Errorf("%w (and the key of the current team is damaged)", ErrOtherTeam)
	case err == nil && (cur.ID != inv.TeamID || !bytes.Equal(cur.Key, inv.Key)):
		return ErrOtherTeam
	case err == nil:
	case errors.Is(err, ErrNoTeam):
		if err := st.JoinTeam(Team{ID: inv.TeamID, Key: inv.Key}); err != nil {
			return fmt.Errorf("join team: %w", err)
		}
	default:
		return err
	}
	peers, err := ManualPeers(st)
	if err != nil {
		return err
	}
	return SetManualPeers(st, append(peers, inv.Addrs...))
}
