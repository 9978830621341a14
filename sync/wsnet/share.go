package wsnet

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/protocol"
)

// Settings keys.
const (
	// SettingShared lists the documents shared through relays and with
	// WebSocket clients, one id per line.
	SettingShared = "relay.shared"
	// SettingRelayURL is the relay this workspace connects to ("" none).
	SettingRelayURL = "relay.url"
)

// ErrBadDocID is returned by Share for a string that is not a document id.
var ErrBadDocID = errors.New("not an automerge-repo document id")

// ErrBadURL is returned by SetRelayURL for a URL that is not ws:// or wss://.
var ErrBadURL = errors.New("relay URL must start with ws:// or wss://")

// Settings is where the choices are kept: a minutes.Workspace, or a
// lansync.Store (FromWorkspace).
type Settings interface {
	Setting(key string) (string, error)
	SetSetting(key, value string) error
}

func setting(st Settings, key string) (string, error) {
	v, err := st.Setting(key)
	if errors.Is(err, storage.ErrNotFound) {
		return "", nil
	}
	return v, err
}

// Shared lists the documents the user chose to share through relays.
func Shared(st Settings) ([]string, error) {
	v, err := setting(st, SettingShared)
	if err != nil {
		return nil, fmt.Errorf("read shared documents: %w", err)
	}
	var out []string
	for _, id := range strings.Fields(v) {
		if protocol.ValidDocumentID(id) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// IsShared reports whether a document is shared through relays (for the
// GUI's "shared through a relay" mark). An unreadable setting counts as
// not shared.
func IsShared(st Settings, docID string) bool {
	ids, err := Shared(st)
	return err == nil && slices.Contains(ids, docID)
}

// Share adds a document to those synced through relays and with WebSocket
// clients. A document not yet in the workspace is asked from the relay.
// Running relays and servers of this process take the change at once.
func Share(st Settings, docID string) error {
	if !protocol.ValidDocumentID(docID) {
		return fmt.Errorf("%q: %w", docID, ErrBadDocID)
	}
	return updateShared(st, func(ids []string) []string {
		if slices.Contains(ids, docID) {
			return ids
		}
		return append(ids, docID)
	})
}

// Unshare stops syncing a document through relays. What a relay already
// stored stays there: the relay cannot be told to forget.
func Unshare(st Settings, docID string) error {
	return updateShared(st, func(ids []string) []string {
		return slices.DeleteFunc(ids, func(x string) bool { return x == docID })
	})
}

var shareMu sync.Mutex // serializes read-modify-write of the list

func updateShared(st Settings, f func([]string) []string) error {
	shareMu.Lock()
	defer shareMu.Unlock()
	ids, err := Shared(st)
	if err != nil {
		return err
	}
	if err := st.SetSetting(SettingShared, strings.Join(f(ids), "\n")); err != nil {
		return fmt.Errorf("save shared documents: %w", err)
	}
	generation.Add(1) // cached sets re-read before their next answer
	changes.notify()
	return nil
}

// RelayURL returns the relay this workspace is set to use ("" for none).
func RelayURL(st Settings) (string, error) { return setting(st, SettingRelayURL) }

// SetRelayURL sets the relay this workspace uses ("" for none).
func SetRelayURL(st Settings, u string) error {
	if u != "" {
		if err := CheckURL(u); err != nil {
			return err
		}
	}
	return st.SetSetting(SettingRelayURL, u)
}

// CheckURL checks that u is a ws:// or wss:// URL.
func CheckURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "ws" && p.Scheme != "wss") || p.Host == "" {
		return fmt.Errorf("%w: %q", ErrBadURL, redact(u))
	}
	return nil
}

// redact hides a password in a URL.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	return p.Redacted()
}

// changes wakes every watcher when the shared set changes in this process
// (commands reach the serving process, so no other process changes it
// while it runs).
var changes = &changeBus{ch: make(chan struct{})}

type changeBus struct {
	mu sync.Mutex
	ch chan struct{}
}

func (b *changeBus) wait() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ch
}

func (b *changeBus) notify() {
	b.mu.Lock()
	close(b.ch)
	b.ch = make(chan struct{})
	b.mu.Unlock()
}

// generation counts changes of the shared set in this process.
var generation atomic.Uint64

// sharing is a cached copy of the shared set, for the policy asked on
// every message. A cache older than the last Share/Unshare is re-read
// before it answers, so unsharing takes effect at once.
type sharing struct {
	st  Settings
	mu  sync.Mutex
	gen uint64
	set map[string]bool
	ids []string
}

func newSharing(st Settings) *sharing {
	s := &sharing{st: st}
	s.reload()
	return s
}

// reload re-reads the set.
func (s *sharing) reload() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reloadLocked()
}

func (s *sharing) reloadLocked() {
	gen := generation.Load()
	ids, err := Shared(s.st)
	if err != nil {
		return // keep the last good set
	}
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	s.gen, s.set, s.ids = gen, set, ids
}

func (s *sharing) shared(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen != generation.Load() {
		s.reloadLocked()
	}
	return s.set[id]
}

func (s *sharing) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen != generation.Load() {
		s.reloadLocked()
	}
	return slices.Clone(s.ids)
}

// watch keeps the set current until ctx ends and offers newly shared
// documents through n.
func (s *sharing) watch(ctx context.Context, n *lansync.Node) {
	seen := map[string]bool{}
	for _, id := range s.list() {
		seen[id] = true // offered when the connection starts
	}
	for {
		ch := changes.wait()
		now := map[string]bool{}
		for _, id := range s.list() {
			now[id] = true
			if !seen[id] {
				n.Offer(id)
			}
		}
		seen = now
		select {
		case <-ctx.Done():
			return
		case <-ch:
		}
	}
}

func (s *sharing) policy(name string, offer bool) lansync.OpenPolicy {
	p := lansync.OpenPolicy{Shared: s.shared, Name: name}
	if offer {
		p.Offer = s.list
	}
	return p
}
