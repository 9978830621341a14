package storage

import (
	"errors"
	"strings"
)

// KV is a table of settings, key → text: the workspace database (Store), or
// an in-memory one in tests. Setting returns ErrNotFound (or "") for a key
// never set.
type KV interface {
	Setting(key string) (string, error)
	SetSetting(key, value string) error
}

// Settings is the typed view of a workspace's settings: every key pwg keeps
// is named here, once, with its format. A setting never set reads as "" (or
// an empty list), never as an error.
type Settings struct{ kv KV }

// NewSettings returns the typed settings kept in kv.
func NewSettings(kv KV) Settings { return Settings{kv: kv} }

// Settings returns the typed settings of the database.
func (s *Store) Settings() Settings { return NewSettings(s) }

// The keys. Append only: a key that shipped keeps its name and format.
const (
	keyDeviceActor    = "device.actor"              // this device's Automerge actor id (hex)
	keyPersonID       = "person.id"                 // this person's id (hex)
	keyPersonName     = "person.name"               // this person's display name
	keyTeamCurrent    = "team.current"              // the current team's series document id
	keyTeamKey        = "team.key."                 // + series id: that team's 256-bit key (EncodeKey: hex and checksum)
	keyTeamEpoch      = "team.epoch."               // + series id: how many times that team's key was rotated
	keyTeamOldKeys    = "team.oldkeys."             // + series id: that team's earlier keys (EncodeKey), one per line, newest first
	keyDeviceKey      = "sync.device_key"           // Curve25519 private key of this device (EncodeKey)
	keyPeers          = "sync.peers"                // manual peer addresses, one per line
	keyAddrs          = "sync.addrs"                // addresses this device last listened on, one per line
	keyShared         = "relay.shared"              // documents shared through relays, one id per line
	keyRelayURL       = "relay.url"                 // the relay this workspace connects to
	keyLang           = "ui.lang"                   // the GUI's language ("en", "ja"; "" the system's)
	keyGitHubRepo     = "github.repo"               // the team's tracker, owner/name
	keyGitHubBase     = "github.baseurl"            // GitHub Enterprise API URL ("" github.com)
	keyGitHubLabel    = "github.labels"             // labels of new issues, comma-separated
	keyMinutesURL     = "minutes.url"               // where the exported minutes are read
	keyMonitorsAsCode = "mackerel.monitors-as-code" // "", "mkr" or "terraform"
	keyNameAsked      = "person.name.asked"         // "yes" once the person gave a name
	keyReplies        = "control.replies"           // JSON replies of commands run over pwg.sock, by token
	keyPostmortem     = "github.postmortem-label"   // label of postmortem issues ("" the default, postmortem)
)

// text reads a setting; "" when it was never set.
func (s Settings) text(key string) (string, error) {
	v, err := s.kv.Setting(key)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	return v, err
}

func (s Settings) set(key, value string) error { return s.kv.SetSetting(key, value) }

func (s Settings) lines(key string) ([]string, error) {
	v, err := s.text(key)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(v, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out, nil
}

func (s Settings) setLines(key string, v []string) error { return s.set(key, strings.Join(v, "\n")) }

// DeviceActor is this device's Automerge actor id; "" until the first start.
func (s Settings) DeviceActor() (string, error) { return s.text(keyDeviceActor) }

// SetDeviceActor records this device's actor id.
func (s Settings) SetDeviceActor(v string) error { return s.set(keyDeviceActor, v) }

// PersonID is this person's stable id; "" until the first start.
func (s Settings) PersonID() (string, error) { return s.text(keyPersonID) }

// SetPersonID records this person's id.
func (s Settings) SetPersonID(v string) error { return s.set(keyPersonID, v) }

// PersonName is this person's display name; "" until the first start.
func (s Settings) PersonName() (string, error) { return s.text(keyPersonName) }

// SetPersonName records this person's display name.
func (s Settings) SetPersonName(v string) error { return s.set(keyPersonName, v) }

// CurrentTeam is the id of the current team's series; "" for none chosen.
func (s Settings) CurrentTeam() (string, error) { return s.text(keyTeamCurrent) }

// SetCurrentTeam makes the team of series id the current one.
func (s Settings) SetCurrentTeam(id string) error { return s.set(keyTeamCurrent, id) }

// TeamKey is the 256-bit key of the team of series id as kept (EncodeKey;
// DecodeKey reads it); "" if unknown.
func (s Settings) TeamKey(id string) (string, error) { return s.text(keyTeamKey + id) }

// SetTeamKey records the key of the team of series id (EncodeKey form).
func (s Settings) SetTeamKey(id, hexKey string) error { return s.set(keyTeamKey+id, hexKey) }

// TeamEpoch returns the rotation count of team id's key ("" or "0": never rotated).
func (s Settings) TeamEpoch(id string) (string, error) { return s.text(keyTeamEpoch + id) }

// SetTeamEpoch records the rotation count of team id's key.
func (s Settings) SetTeamEpoch(id, epoch string) error { return s.set(keyTeamEpoch+id, epoch) }

// OldTeamKeys returns team id's earlier keys (EncodeKey), newest first: a
// device offline during a rotation presents one of them to get the new key.
func (s Settings) OldTeamKeys(id string) ([]string, error) { return s.lines(keyTeamOldKeys + id) }

// SetOldTeamKeys replaces team id's earlier keys.
func (s Settings) SetOldTeamKeys(id string, keys []string) error {
	return s.setLines(keyTeamOldKeys+id, keys)
}

// DeviceKey is this device's Curve25519 private key as kept (EncodeKey);
// "" until made.
func (s Settings) DeviceKey() (string, error) { return s.text(keyDeviceKey) }

// SetDeviceKey records this device's private key (EncodeKey form).
func (s Settings) SetDeviceKey(hexKey string) error { return s.set(keyDeviceKey, hexKey) }

// ManualPeers are the peer addresses (host:port) entered by hand.
func (s Settings) ManualPeers() ([]string, error) { return s.lines(keyPeers) }

// SetManualPeers replaces the peer addresses entered by hand.
func (s Settings) SetManualPeers(addrs []string) error { return s.setLines(keyPeers, addrs) }

// ListenAddrs are the addresses this device last listened on (for invitations).
func (s Settings) ListenAddrs() ([]string, error) { return s.lines(keyAddrs) }

// SetListenAddrs records the addresses this device listens on.
func (s Settings) SetListenAddrs(addrs []string) error { return s.setLines(keyAddrs, addrs) }

// SharedDocs lists the documents shared through relays, as stored (the
// sharing API checks them).
func (s Settings) SharedDocs() ([]string, error) { return s.lines(keyShared) }

// SetSharedDocs replaces the list of documents shared through relays.
func (s Settings) SetSharedDocs(ids []string) error { return s.setLines(keyShared, ids) }

// RelayURL is the relay this workspace connects to; "" for none.
func (s Settings) RelayURL() (string, error) { return s.text(keyRelayURL) }

// SetRelayURL sets the relay ("" for none); the sharing API checks it first.
func (s Settings) SetRelayURL(u string) error { return s.set(keyRelayURL, u) }

// Lang is the GUI's language ("en", "ja"); "" follows the system.
func (s Settings) Lang() (string, error) { return s.text(keyLang) }

// SetLang sets the GUI's language.
func (s Settings) SetLang(l string) error { return s.set(keyLang, l) }

// GitHub holds the team's tracker settings as stored.
type GitHub struct {
	Repo       string // owner/name
	BaseURL    string // GitHub Enterprise API; "" for github.com
	Labels     string // comma-separated labels of new issues
	MinutesURL string // where exported minutes are read
}

// GitHub reads the tracker settings.
func (s Settings) GitHub() (GitHub, error) {
	var g GitHub
	for _, f := range []struct {
		key string
		v   *string
	}{{keyGitHubRepo, &g.Repo}, {keyGitHubBase, &g.BaseURL}, {keyGitHubLabel, &g.Labels}, {keyMinutesURL, &g.MinutesURL}} {
		v, err := s.text(f.key)
		if err != nil {
			return g, err
		}
		*f.v = v
	}
	return g, nil
}

// SetGitHub stores the tracker settings.
func (s Settings) SetGitHub(g GitHub) error {
	for k, v := range map[string]string{keyGitHubRepo: g.Repo, keyGitHubBase: g.BaseURL, keyGitHubLabel: g.Labels, keyMinutesURL: g.MinutesURL} {
		if err := s.set(k, v); err != nil {
			return err
		}
	}
	return nil
}

// MonitorsAsCode is how the team keeps its Mackerel monitors: "" (in
// Mackerel), "mkr" or "terraform" (integrations/teamconf checks the value).
func (s Settings) MonitorsAsCode() (string, error) { return s.text(keyMonitorsAsCode) }

// SetMonitorsAsCode records how the team keeps its monitors.
func (s Settings) SetMonitorsAsCode(how string) error { return s.set(keyMonitorsAsCode, how) }

// NameAsked reports whether this person was asked their name (or gave it).
func (s Settings) NameAsked() (bool, error) {
	v, err := s.text(keyNameAsked)
	return v != "", err
}

// SetNameAsked records that this person gave their name.
func (s Settings) SetNameAsked() error { return s.set(keyNameAsked, "yes") }

// ControlReplies are the saved replies of commands run over the control
// socket (JSON, kept by the command line); "" for none.
func (s Settings) ControlReplies() (string, error) { return s.text(keyReplies) }

// SetControlReplies replaces the saved replies of commands.
func (s Settings) SetControlReplies(v string) error { return s.set(keyReplies, v) }

// PostmortemLabel is the label that marks the team's postmortem issues (""
// when not set: integrations/teamconf uses the default).
func (s Settings) PostmortemLabel() (string, error) { return s.text(keyPostmortem) }

// SetPostmortemLabel stores the label of postmortem issues.
func (s Settings) SetPostmortemLabel(l string) error { return s.set(keyPostmortem, l) }
