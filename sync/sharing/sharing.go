// Package sharing is the user's choice of what leaves the LAN: which
// documents are shared through relays and with WebSocket clients, and which
// relay this workspace connects to. The GUI and the commands ask it; the
// relay transport (sync/wsnet) follows it.
//
// The choice is kept in the workspace's settings (storage.Settings). A
// change made in this process wakes every watcher (Changed) and bumps
// Generation, so a cached copy is re-read before its next answer and
// unsharing takes effect at once. Commands reach the serving process over
// its socket, so no other process changes the choice while it runs.
package sharing

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/crdt/storage"
)

// ErrBadURL is returned by SetRelayURL for a URL that is not ws:// or wss://.
var ErrBadURL = errors.New("relay URL must start with ws:// or wss://")

// Shared lists the documents the user chose to share through relays
// (well-formed ids only, each once).
func Shared(st storage.Settings) ([]string, error) {
	v, err := st.SharedDocs()
	if err != nil {
		return nil, fmt.Errorf("read shared documents: %w", err)
	}
	var out []string
	for _, id := range v {
		if docid.Valid(id) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// IsShared reports whether a document is shared through relays (for the
// GUI's "shared through a relay" mark). An unreadable setting counts as
// not shared.
func IsShared(st storage.Settings, docID string) bool {
	ids, err := Shared(st)
	return err == nil && slices.Contains(ids, docID)
}

// Share adds a document to those synced through relays and with WebSocket
// clients. A document not yet in the workspace is asked from the relay.
// Running relays and servers of this process take the change at once.
func Share(st storage.Settings, docID string) error {
	if !docid.Valid(docID) {
		return fmt.Errorf("%q: %w", docID, docid.ErrBad)
	}
	return update(st, func(ids []string) []string {
		if slices.Contains(ids, docID) {
			return ids
		}
		return append(ids, docID)
	})
}

// Unshare stops syncing a document through relays. What a relay already
// stored stays there: the relay cannot be told to forget.
func Unshare(st storage.Settings, docID string) error {
	return update(st, func(ids []string) []string {
		return slices.DeleteFunc(ids, func(x string) bool { return x == docID })
	})
}

var mu sync.Mutex // serializes read-modify-write of the list

func update(st storage.Settings, f func([]string) []string) error {
	mu.Lock()
	defer mu.Unlock()
	ids, err := Shared(st)
	if err != nil {
		return err
	}
	if err := st.SetSharedDocs(f(ids)); err != nil {
		return fmt.Errorf("save shared documents: %w", err)
	}
	generation.Add(1) // cached sets re-read before their next answer
	changes.notify()
	return nil
}

// RelayURL returns the relay this workspace is set to use ("" for none).
func RelayURL(st storage.Settings) (string, error) { return st.RelayURL() }

// SetRelayURL sets the relay this workspace uses ("" for none).
func SetRelayURL(st storage.Settings, u string) error {
	if u != "" {
		if err := CheckURL(u); err != nil {
			return err
		}
	}
	return st.SetRelayURL(u)
}

// CheckURL checks that u is a ws:// or wss:// URL.
func CheckURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "ws" && p.Scheme != "wss") || p.Host == "" {
		return fmt.Errorf("%w: %q", ErrBadURL, Redact(u))
	}
	return nil
}

// Redact hides a password in a URL, for messages and logs.
func Redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	return p.Redacted()
}

// changes wakes every watcher when the shared set changes in this process.
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

// Changed returns a channel closed at the next change of the shared set in
// this process. Take it before reading the set, so no change is missed.
func Changed() <-chan struct{} { return changes.wait() }

// generation counts changes of the shared set in this process.
var generation atomic.Uint64

// Generation counts the changes of the shared set made in this process: a
// cached copy older than it is re-read.
func Generation() uint64 { return generation.Load() }
