package lansync

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/docid"
)

// The roster: every device of the team, in a document of its own that
// syncs with the team's others. Its id is derived from the team id, so
// every device finds the same one; its root holds one key per device
// ("device:FP", a JSON Device) and one per revoked device ("revoked:FP"),
// so that devices adding others at once never overwrite each other, and a
// revocation is never undone by a concurrent edit of the device's entry.

// RosterKind is the roster document's kind (root key "kind").
const RosterKind = "pwg-devices"

// ErrNotOnRoster is returned for a fingerprint that is not on the roster.
var ErrNotOnRoster = errors.New("no such device on the team's roster (see pwg devices)")

// Device is one device of the team.
type Device struct {
	Fingerprint string    `json:"fingerprint" cbor:"f"`
	Name        string    `json:"name,omitempty" cbor:"n,omitempty"`
	AddedBy     string    `json:"added_by,omitempty" cbor:"b,omitempty"` // fingerprint of the device that let it in
	Added       time.Time `json:"added" cbor:"a"`
	// Revoked is set once the device was removed from the team.
	Revoked   *time.Time `json:"revoked,omitempty" cbor:"r,omitempty"`
	RevokedBy string     `json:"revoked_by,omitempty" cbor:"rb,omitempty"`
}

type revocation struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// RosterID returns the id of the roster document of team teamID.
func RosterID(teamID string) string {
	s := sha256.Sum256([]byte("pwg device roster v1\x00" + teamID))
	var raw [16]byte
	copy(raw[:], s[:])
	return docid.Encode(raw)
}

// rosterDoc is what the roster needs of a document (docs.Handle and
// memstore.Doc have it).
type rosterDoc interface {
	Read(fn func(d *automerge.Doc) error) error
	Change(what string, fn func(d *automerge.Doc) error) error
}

func roster(st Store) (rosterDoc, error) {
	team, err := st.Team()
	if err != nil {
		return nil, err
	}
	d, err := st.EnsureDoc(RosterID(team.ID))
	if err != nil {
		return nil, fmt.Errorf("the device roster: %w", err)
	}
	rd, ok := d.(rosterDoc)
	if !ok {
		return nil, fmt.Errorf("the device roster: the store's documents cannot be edited (%T)", d)
	}
	return rd, nil
}

// readRoster returns the roster document, or nil if this workspace has none
// yet (reading never creates it).
func readRoster(st Store) (rosterDoc, error) {
	team, err := st.Team()
	if err != nil {
		return nil, err
	}
	d, err := st.Doc(RosterID(team.ID))
	if errors.Is(err, ErrNoDoc) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("the device roster: %w", err)
	}
	rd, ok := d.(rosterDoc)
	if !ok || d.IsEmpty() {
		return nil, nil
	}
	return rd, nil
}

// Devices returns the team's roster: devices still on the team first, by
// when they were added, then the revoked ones. A team whose roster was never
// started (no join code used yet) has none.
func Devices(st Store) ([]Device, error) {
	rd, err := readRoster(st)
	if err != nil || rd == nil {
		return nil, err
	}
	var out []Device
	err = rd.Read(func(d *automerge.Doc) error {
		revoked := map[string]revocation{}
		keys, err := d.RootMap().Keys()
		if err != nil {
			return err
		}
		for _, k := range keys {
			if fp, ok := strings.CutPrefix(k, "revoked:"); ok {
				var r revocation
				if err := readJSON(d, k, &r); err == nil {
					revoked[fp] = r
				}
			}
		}
		for _, k := range keys {
			fp, ok := strings.CutPrefix(k, "device:")
			if !ok {
				continue
			}
			var dev Device
			if err := readJSON(d, k, &dev); err != nil {
				continue // a damaged entry: skipped, not fatal
			}
			dev.Fingerprint = fp
			if r, ok := revoked[fp]; ok {
				at := r.At
				dev.Revoked, dev.RevokedBy = &at, r.By
			}
			out = append(out, dev)
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b Device) int {
		if (a.Revoked == nil) != (b.Revoked == nil) {
			if a.Revoked == nil {
				return -1
			}
			return 1
		}
		return a.Added.Compare(b.Added)
	})
	return out, err
}

func readJSON(d *automerge.Doc, key string, v any) error {
	val, err := d.RootMap().Get(key)
	if err != nil {
		return err
	}
	if val.Kind() != automerge.KindStr {
		return fmt.Errorf("roster entry %s is not text", key)
	}
	return json.Unmarshal([]byte(val.Str()), v)
}

// AddDevice puts dev on the roster (or updates its name). A revoked device
// stays revoked.
func AddDevice(st Store, dev Device) error {
	if dev.Fingerprint == "" {
		return errors.New("a device without a fingerprint")
	}
	rd, err := roster(st)
	if err != nil {
		return err
	}
	e := dev
	e.Fingerprint, e.Revoked, e.RevokedBy = "", nil, ""
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return rd.Change("add device "+dev.Fingerprint, func(d *automerge.Doc) error {
		if err := d.RootMap().Set("kind", RosterKind); err != nil {
			return err
		}
		return d.RootMap().Set("device:"+dev.Fingerprint, string(b))
	})
}

// EnsureSelfOnRoster puts this device on the roster if it is not there
// (the team's first device, or one that joined before the roster existed),
// and gives it name if another device noted it without one.
func EnsureSelfOnRoster(st Store, name string) error {
	fp, err := Fingerprint(st)
	if err != nil {
		return err
	}
	devs, err := Devices(st)
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(devs, func(d Device) bool { return d.Fingerprint == fp }); i >= 0 {
		if devs[i].Name != "" || name == "" {
			return nil
		}
		// noted without a name by a device it connected to: name it
		d := devs[i]
		d.Name = name
		return AddDevice(st, d)
	}
	return AddDevice(st, Device{Fingerprint: fp, Name: name, Added: time.Now().UTC()})
}

// markRevoked records on the roster that fp was removed by by.
func markRevoked(st Store, fp, by string, at time.Time) error {
	rd, err := roster(st)
	if err != nil {
		return err
	}
	b, err := json.Marshal(revocation{By: by, At: at.UTC()})
	if err != nil {
		return err
	}
	return rd.Change("revoke device "+fp, func(d *automerge.Doc) error {
		return d.RootMap().Set("revoked:"+fp, string(b))
	})
}

// onRoster reports whether fp is on the roster and not revoked.
func onRoster(st Store, fp string) (bool, error) {
	devs, err := Devices(st)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(devs, func(d Device) bool { return d.Fingerprint == fp && d.Revoked == nil }), nil
}

// keepRoster writes a roster received from the inviting device into this
// workspace's copy (the same entries the sync brings later), so that it is
// shown before the first sync.
func keepRoster(st Store, devs []Device) error {
	for _, d := range devs {
		if err := AddDevice(st, d); err != nil {
			return err
		}
		if d.Revoked != nil {
			if err := markRevoked(st, d.Fingerprint, d.RevokedBy, *d.Revoked); err != nil {
				return err
			}
		}
	}
	return nil
}
