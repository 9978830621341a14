package lansync_test

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/sync/lansync"
)

// TestDamagedKeyReportedAsDamage: a flipped bit in the stored team key or
// device key is reported as damage, with the repair (join again with an
// invitation), instead of failing every handshake as "not a device of this
// team"; joining again repairs it and the device syncs.
func TestDamagedKeyReportedAsDamage(t *testing.T) {
	for _, setting := range []string{"team key", "device key"} {
		t.Run(setting, func(t *testing.T) {
			wa, wb := openWS(t), openWS(t)
			if _, err := wa.Setup("SRE", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
			sa, sb := lansync.FromWorkspace(wa), lansync.FromWorkspace(wb)
			inv, err := lansync.Invite(sa)
			if err != nil {
				t.Fatal(err)
			}
			if err := lansync.Join(sb, inv); err != nil {
				t.Fatal(err)
			}
			if _, err := lansync.DeviceIdentity(sb); err != nil {
				t.Fatal(err)
			}
			team, err := sb.Team()
			if err != nil {
				t.Fatal(err)
			}
			get, set := wb.Settings().DeviceKey, wb.Settings().SetDeviceKey
			if setting == "team key" {
				get = func() (string, error) { return wb.Settings().TeamKey(team.ID) }
				set = func(v string) error { return wb.Settings().SetTeamKey(team.ID, v) }
			}
			v, err := get()
			if err != nil || len(v) < 64 {
				t.Fatalf("%s = %q, %v", setting, v, err)
			}
			flipped := []byte(v)
			flipped[10] ^= 0x01 // one bit of one hex digit ('0'↔'1', 'a'↔'`' …)
			if flipped[10] < '0' || (flipped[10] > '9' && flipped[10] < 'a') || flipped[10] > 'f' {
				flipped[10] = v[10] ^ 0x02
			}
			if err := set(string(flipped)); err != nil {
				t.Fatal(err)
			}
			_, err = lansync.Start(context.Background(), sb, fastOpts(t))
			if !errors.Is(err, storage.ErrKeyDamaged) || !strings.Contains(err.Error(), "invitation") {
				t.Fatalf("start with a damaged key: %v; want ErrKeyDamaged saying to join again with an invitation", err)
			}
			if err := lansync.Join(sb, inv); err != nil {
				t.Fatalf("join again: %v", err)
			}
			a := startNode(t, sa, fastOpts(t))
			b := startNode(t, sb, fastOpts(t))
			link(a, b)
			infos, _ := wa.Meetings()
			waitWS(t, "the meeting on the repaired device", func() bool {
				_, err := wb.Meeting(infos[0].ID)
				return err == nil
			}, wa, wb)
		})
	}
}

// TestLegacyKeysGetAChecksum: keys kept as plain hex by an older pwg still
// work, and the first start keeps them with a checksum from then on.
func TestLegacyKeysGetAChecksum(t *testing.T) {
	wa := openWS(t)
	if _, err := wa.Setup("SRE", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	sa := lansync.FromWorkspace(wa)
	team, err := sa.Team()
	if err != nil {
		t.Fatal(err)
	}
	id, err := lansync.DeviceIdentity(sa)
	if err != nil {
		t.Fatal(err)
	}
	s := wa.Settings()
	if err := s.SetTeamKey(team.ID, hex.EncodeToString(team.Key)); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDeviceKey(hex.EncodeToString(id.Private)); err != nil {
		t.Fatal(err)
	}
	n, err := lansync.Start(context.Background(), sa, fastOpts(t))
	if err != nil {
		t.Fatalf("start with plain hex keys: %v", err)
	}
	n.Close()
	tk, _ := s.TeamKey(team.ID)
	dk, _ := s.DeviceKey()
	if tk != storage.EncodeKey(team.Key) || dk != storage.EncodeKey(id.Private) {
		t.Fatalf("keys after start: %q, %q; want them with a checksum", tk, dk)
	}
}
