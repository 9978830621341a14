package lansync

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/sync/protocol"
	"github.com/pwg-team/pwg/sync/transport"
)

// Revocation: a revoked device is marked on the roster and the team key
// rotates. Devices connected at the time get the new key over their
// authenticated channels (protocol.TypeTeamKey), and pass it on; a device
// that was offline connects later with the old key, which the others still
// accept from a device on the roster and not revoked, only to hand it the
// new key and close. A revoked device is refused with either key.

// Sentinel errors of revocation.
var (
	// ErrRevoked is returned for a connection from a revoked device.
	ErrRevoked = errors.New("this device was removed from the team")
	// ErrRevokeSelf is returned when a device is asked to revoke itself.
	ErrRevokeSelf = errors.New("a device cannot revoke itself: revoke it from another device of the team")
	// errRekeyed ends a connection that handed this device a new team key:
	// it redials at once with it.
	errRekeyed = errors.New("received the team's new key")
)

// maxOldKeys is how many earlier keys are kept (and accepted from devices
// that were offline during a rotation).
const maxOldKeys = 8

// teamKeyMsg is the Data of a protocol.TypeTeamKey message.
type teamKeyMsg struct {
	Team    string   `cbor:"t"`
	Key     []byte   `cbor:"k"`
	Epoch   int      `cbor:"e"`
	Revoked []Device `cbor:"r,omitempty"`
}

// keyState is a team's current key, its rotation count, and its earlier
// keys (newest first).
type keyState struct {
	team  Team
	epoch int
	old   [][]byte
}

func loadKeys(st Store) (keyState, error) {
	team, err := st.Team()
	if err != nil {
		return keyState{}, err
	}
	ks := keyState{team: team}
	e, err := st.Settings().TeamEpoch(team.ID)
	if err != nil {
		return ks, err
	}
	if e != "" {
		if ks.epoch, err = strconv.Atoi(e); err != nil {
			return ks, fmt.Errorf("the team key's rotation count %q: %w", e, err)
		}
	}
	olds, err := st.Settings().OldTeamKeys(team.ID)
	if err != nil {
		return ks, err
	}
	for _, o := range olds {
		if k, err := storage.DecodeKey(o); err == nil && len(k) == transport.TeamKeySize {
			ks.old = append(ks.old, k)
		}
	}
	return ks, nil
}

// newer reports whether key at epoch supersedes ks: a higher epoch, or at
// the same epoch (two revocations at once) the greater key, so that every
// device settles on the same one.
func (ks keyState) newer(key []byte, epoch int) bool {
	if epoch != ks.epoch {
		return epoch > ks.epoch
	}
	return bytes.Compare(key, ks.team.Key) > 0
}

// rotate makes key current at epoch and keeps the current one among the old.
func rotate(st Store, ks keyState, key []byte, epoch int) error {
	old := slices.Insert(slices.Clone(ks.old), 0, ks.team.Key)
	old = slices.DeleteFunc(old, func(k []byte) bool { return bytes.Equal(k, key) })
	if len(old) > maxOldKeys {
		old = old[:maxOldKeys]
	}
	enc := make([]string, len(old))
	for i, k := range old {
		enc[i] = storage.EncodeKey(k)
	}
	if err := st.Settings().SetOldTeamKeys(ks.team.ID, enc); err != nil {
		return fmt.Errorf("keep the old team key: %w", err)
	}
	if err := st.Settings().SetTeamEpoch(ks.team.ID, strconv.Itoa(epoch)); err != nil {
		return err
	}
	if err := st.JoinTeam(Team{ID: ks.team.ID, Key: key}); err != nil {
		return fmt.Errorf("store the new team key: %w", err)
	}
	return nil
}

// Revoke removes device fp from the team in the workspace: it is marked
// revoked on the roster and the team key rotates. The other devices get
// the new key when they next connect to this one (or at once, through
// Node.Revoke). The revoked device keeps what it had already synced.
func Revoke(st Store, fp string) error {
	self, err := Fingerprint(st)
	if err != nil {
		return err
	}
	if fp == self {
		return ErrRevokeSelf
	}
	devs, err := Devices(st)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(devs, func(d Device) bool { return d.Fingerprint == fp })
	if i < 0 {
		return fmt.Errorf("%w: %s", ErrNotOnRoster, fp)
	}
	if devs[i].Revoked == nil {
		if err := markRevoked(st, fp, self, time.Now()); err != nil {
			return err
		}
	}
	ks, err := loadKeys(st)
	if err != nil {
		return err
	}
	return rotate(st, ks, transport.NewTeamKey(), ks.epoch+1)
}

// keyMessage is the current key and the revocations, to hand to a device.
func (n *Node) keyMessage() (*protocol.Message, error) {
	ks, err := loadKeys(n.st)
	if err != nil {
		return nil, err
	}
	devs, err := Devices(n.st)
	if err != nil {
		return nil, err
	}
	devs = slices.DeleteFunc(devs, func(d Device) bool { return d.Revoked == nil })
	b, err := cbor.Marshal(teamKeyMsg{Team: ks.team.ID, Key: ks.team.Key, Epoch: ks.epoch, Revoked: devs})
	if err != nil {
		return nil, err
	}
	return &protocol.Message{Type: protocol.TypeTeamKey, Data: b}, nil
}

// onTeamKey applies a key handed over by device from (authenticated with a
// team key): the revocations it lists, then the key if it supersedes this
// device's. It reports whether the key changed.
func (n *Node) onTeamKey(from string, data []byte) (bool, error) {
	var m teamKeyMsg
	if err := cbor.Unmarshal(data, &m); err != nil {
		return false, fmt.Errorf("team key message: %w", err)
	}
	if len(m.Key) != transport.TeamKeySize {
		return false, fmt.Errorf("team key message: %w", transport.ErrBadKey)
	}
	n.keyMu.Lock()
	defer n.keyMu.Unlock()
	ks, err := loadKeys(n.st)
	if err != nil {
		return false, err
	}
	if m.Team != ks.team.ID {
		return false, fmt.Errorf("team key message for team %q, not this one", m.Team)
	}
	if slices.ContainsFunc(m.Revoked, func(d Device) bool { return d.Fingerprint == n.peerID }) {
		return false, ErrRevoked
	}
	if slices.ContainsFunc(m.Revoked, func(d Device) bool { return d.Fingerprint == from }) {
		return false, fmt.Errorf("team key from %s, a revoked device", from)
	}
	if err := keepRoster(n.st, m.Revoked); err != nil {
		return false, err
	}
	for _, d := range m.Revoked {
		n.dropPeer(d.Fingerprint, ErrRevoked)
	}
	if !ks.newer(m.Key, m.Epoch) {
		return false, nil
	}
	if err := rotate(n.st, ks, m.Key, m.Epoch); err != nil {
		return false, err
	}
	n.log.Info("team key rotated", "epoch", m.Epoch, "from", from)
	return true, nil
}

// Revoke removes device fp from the team (see Revoke), drops its
// connection, and hands the new key to every connected device.
func (n *Node) Revoke(fp string) error {
	n.keyMu.Lock()
	err := Revoke(n.st, fp)
	n.keyMu.Unlock()
	if err != nil {
		return err
	}
	n.dropPeer(fp, ErrRevoked)
	n.log.Info("device revoked; team key rotated", "peer", fp)
	n.spreadKey("")
	return nil
}

// spreadKey sends the current key to every team connection but from's.
func (n *Node) spreadKey(from string) {
	m, err := n.keyMessage()
	if err != nil {
		n.log.Warn("hand out the new team key", "err", err)
		return
	}
	n.mu.Lock()
	ss := n.liveSessions()
	n.mu.Unlock()
	for _, s := range ss {
		if s.open != nil || s.peerID == from || s.failed() || n.isRevoked(s.peerID) {
			continue
		}
		mm := *m
		_ = s.send(&mm)
	}
}

// dropPeer ends the connections of device fp.
func (n *Node) dropPeer(fp string, why error) {
	n.mu.Lock()
	s := n.sessions[fp]
	n.mu.Unlock()
	if s != nil && s.open == nil {
		s.fail(why)
	}
}

// keys returns the key to connect with and the earlier ones to accept.
func (n *Node) keys() (cur []byte, old [][]byte) {
	n.keyMu.Lock()
	defer n.keyMu.Unlock()
	ks, err := loadKeys(n.st)
	if err != nil {
		return n.team.Key, nil
	}
	return ks.team.Key, ks.old
}

// isRevoked reports whether fp is marked revoked on the roster.
func (n *Node) isRevoked(fp string) bool {
	devs, err := Devices(n.st)
	return err == nil && slices.ContainsFunc(devs, func(d Device) bool { return d.Fingerprint == fp && d.Revoked != nil })
}

// noteDevice puts a device that connected with the team key on the roster
// (devices let in by a PWG1 invitation, or before the roster existed), once
// the team has a roster.
func (n *Node) noteDevice(fp string) {
	devs, err := Devices(n.st)
	if err != nil || devs == nil || slices.ContainsFunc(devs, func(d Device) bool { return d.Fingerprint == fp }) {
		return
	}
	if err := AddDevice(n.st, Device{Fingerprint: fp, Added: time.Now().UTC()}); err != nil {
		n.log.Warn("add a device to the roster", "peer", fp, "err", err)
	}
}
