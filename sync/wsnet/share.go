package wsnet

import (
	"context"
	"slices"
	"sync"

	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/sharing"
)

// sharing is a cached copy of the shared set, for the policy asked on
// every message. A cache older than the last Share/Unshare is re-read
// before it answers, so unsharing takes effect at once.
type sharedCache struct {
	st  storage.Settings
	mu  sync.Mutex
	gen uint64
	set map[string]bool
	ids []string
}

func newSharedCache(st storage.Settings) *sharedCache {
	s := &sharedCache{st: st}
	s.reload()
	return s
}

// reload re-reads the set.
func (s *sharedCache) reload() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reloadLocked()
}

func (s *sharedCache) reloadLocked() {
	gen := sharing.Generation()
	ids, err := sharing.Shared(s.st)
	if err != nil {
		return // keep the last good set
	}
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	s.gen, s.set, s.ids = gen, set, ids
}

func (s *sharedCache) shared(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen != sharing.Generation() {
		s.reloadLocked()
	}
	return s.set[id]
}

func (s *sharedCache) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen != sharing.Generation() {
		s.reloadLocked()
	}
	return slices.Clone(s.ids)
}

// watch keeps the set current until ctx ends and offers newly shared
// documents through n.
func (s *sharedCache) watch(ctx context.Context, n *lansync.Node) {
	seen := map[string]bool{}
	for _, id := range s.list() {
		seen[id] = true // offered when the connection starts
	}
	for {
		ch := sharing.Changed()
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

func (s *sharedCache) policy(name string, offer bool) lansync.OpenPolicy {
	p := lansync.OpenPolicy{Shared: s.shared, Name: name}
	if offer {
		p.Offer = s.list
	}
	return p
}
