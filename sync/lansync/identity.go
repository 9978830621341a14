package lansync

import (
	"fmt"
	"strings"

	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/sync/transport"
)

// DeviceIdentity returns this workspace's device key pair, making and
// storing one on first use.
func DeviceIdentity(st Store) (transport.Identity, error) {
	v, err := st.Settings().DeviceKey()
	if err != nil {
		return transport.Identity{}, fmt.Errorf("read device key: %w", err)
	}
	if v != "" {
		raw, err := storage.DecodeKey(v)
		if err != nil {
			return transport.Identity{}, fmt.Errorf("this device's key: %w; join the team again with an invitation from a teammate (pwg join INVITATION, or File → Join a team…): that makes a new device key", err)
		}
		return transport.IdentityFromPrivate(raw)
	}
	return newDeviceIdentity(st)
}

// newDeviceIdentity makes and stores a new device key pair.
func newDeviceIdentity(st Store) (transport.Identity, error) {
	id, err := transport.NewIdentity()
	if err != nil {
		return id, err
	}
	if err := st.Settings().SetDeviceKey(storage.EncodeKey(id.Private)); err != nil {
		return id, fmt.Errorf("store device key: %w", err)
	}
	return id, nil
}

// Fingerprint returns this device's fingerprint (see transport.Fingerprint).
func Fingerprint(st Store) (string, error) {
	id, err := DeviceIdentity(st)
	if err != nil {
		return "", err
	}
	return id.Fingerprint(), nil
}

// ManualPeers returns the manual peer addresses kept in the workspace.
func ManualPeers(st Store) ([]string, error) {
	return st.Settings().ManualPeers()
}

// SetManualPeers replaces the manual peer addresses kept in the workspace.
func SetManualPeers(st Store, addrs []string) error {
	return st.Settings().SetManualPeers(dedupe(addrs))
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		x = strings.TrimSpace(x)
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// upgradeKeys rewrites the team key and the device key if they are kept as
// plain hex (as before keys carried a checksum), so that damage to them is
// found from now on. Keys already with a checksum are left alone.
func upgradeKeys(s storage.Settings, team Team, id transport.Identity) error {
	if v, err := s.TeamKey(team.ID); err == nil && v != "" && !strings.Contains(v, ".") {
		if err := s.SetTeamKey(team.ID, storage.EncodeKey(team.Key)); err != nil {
			return err
		}
	}
	if v, err := s.DeviceKey(); err == nil && v != "" && !strings.Contains(v, ".") {
		return s.SetDeviceKey(storage.EncodeKey(id.Private))
	}
	return nil
}
