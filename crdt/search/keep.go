package search

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/storage"
)

// settle is how long the keeper waits after a meeting was saved before
// indexing it, so that a burst of saves (a long merge) is indexed once.
const settle = 100 * time.Millisecond

// meetingOf reads what the index keeps of a meeting from the sections.
func meetingOf(id, title, date string, secs []minutes.Section) Meeting {
	out := Meeting{ID: id, Title: title, Date: date}
	for _, s := range secs {
		out.Sections = append(out.Sections, Section{Key: s.Key, Title: s.Title, Notes: s.Notes})
	}
	return out
}

// indexMeeting indexes one meeting as it was last persisted: from the
// plain-text view the workspace keeps with every save (no Automerge
// document is loaded), or, for a meeting saved before views were kept,
// from the document. The stamp is read before the text: if the meeting is
// persisted again in between, the index holds newer text under an older
// stamp, and is merely refreshed once more on the next catch-up — never
// the reverse.
func indexMeeting(ws *minutes.Workspace, x *Index, id string) error {
	stamp, ok, err := ws.MeetingStamp(id)
	if err != nil {
		return err
	}
	if !ok {
		return x.Remove(id)
	}
	p, err := ws.Preview(id)
	if err == nil {
		return x.Update(meetingOf(id, p.Title, p.Date, p.Sections), stamp)
	}
	if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	m, err := ws.Meeting(id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil // a document that has not arrived yet, or not a meeting
	}
	if err != nil {
		return err
	}
	secs, err := m.Sections()
	if err != nil {
		return err
	}
	return x.Update(meetingOf(id, m.Title(), m.Date(), secs), stamp)
}

// CatchUp indexes the meetings whose stored form changed since they were
// indexed (all of them the first time) and drops meetings that are gone.
// It returns how many meetings it indexed.
func CatchUp(ws *minutes.Workspace, x *Index) (int, error) {
	stamps, err := ws.MeetingStamps()
	if err != nil {
		return 0, fmt.Errorf("search index catch-up: %w", err)
	}
	stale, gone, err := x.Stale(stamps)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, id := range gone {
		if err := x.Remove(id); err != nil {
			errs = append(errs, err)
		}
	}
	n := 0
	for _, id := range stale {
		if err := indexMeeting(ws, x, id); err != nil {
			errs = append(errs, fmt.Errorf("index meeting %s: %w", id, err))
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// Keeper keeps an index current with a workspace: it catches up once, then
// indexes each meeting shortly after it was saved, whether the change was
// typed here, merged from a peer or imported from a file.
type Keeper struct {
	ws     *minutes.Workspace
	x      *Index
	logger *slog.Logger
	stop   func()
	done   chan struct{}

	wg      sync.WaitGroup // index updates under way
	mu      sync.Mutex
	subs    []chan string
	pending map[string]*time.Timer
	closed  bool
}

// Keep starts keeping x current with ws. Close stops it.
func Keep(ws *minutes.Workspace, x *Index, logger *slog.Logger) *Keeper {
	if logger == nil {
		logger = slog.Default()
	}
	k := &Keeper{ws: ws, x: x, logger: logger, done: make(chan struct{}), pending: map[string]*time.Timer{}}
	// The index follows what is on disk: it hooks on saves (changes and
	// the meeting's plain-text view written), not on change events, which
	// come before a merge is saved.
	k.stop = ws.OnSaved(k.schedule)
	go func() {
		defer close(k.done)
		if _, err := CatchUp(ws, x); err != nil {
			k.logger.Error("search index catch-up failed", "err", err)
		}
		k.notify("")
	}()
	return k
}

// Indexed returns a channel that receives a meeting's id each time the
// keeper indexed it ("" once the first catch-up is done), and a function
// to stop receiving. Slow receivers miss values, never block the keeper.
func (k *Keeper) Indexed() (<-chan string, func()) {
	ch := make(chan string, 64)
	k.mu.Lock()
	k.subs = append(k.subs, ch)
	k.mu.Unlock()
	return ch, func() {
		k.mu.Lock()
		defer k.mu.Unlock()
		for i, c := range k.subs {
			if c == ch {
				k.subs = append(k.subs[:i], k.subs[i+1:]...)
				return
			}
		}
	}
}

func (k *Keeper) notify(id string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, c := range k.subs {
		select {
		case c <- id:
		default:
		}
	}
}

func (k *Keeper) schedule(id string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return
	}
	if t, ok := k.pending[id]; ok {
		t.Reset(settle)
		return
	}
	k.pending[id] = time.AfterFunc(settle, func() {
		k.mu.Lock()
		delete(k.pending, id)
		if k.closed {
			k.mu.Unlock()
			return
		}
		k.wg.Add(1)
		k.mu.Unlock()
		defer k.wg.Done()
		if err := indexMeeting(k.ws, k.x, id); err != nil {
			k.logger.Error("search index update failed", "doc", id, "err", err)
			return
		}
		k.notify(id)
	})
}

// Close stops the keeper. Changes not indexed yet are picked up by the
// next catch-up.
func (k *Keeper) Close() {
	k.mu.Lock()
	k.closed = true
	for _, t := range k.pending {
		t.Stop()
	}
	k.mu.Unlock()
	k.stop()
	<-k.done
	k.wg.Wait()
}

// Current returns the workspace's index brought up to date with every
// meeting stored (cheap when a Keeper keeps it current).
func Current(ws *minutes.Workspace) (*Index, error) {
	x, err := Open(ws.DB())
	if err != nil {
		return nil, err
	}
	if _, err := CatchUp(ws, x); err != nil {
		return nil, err
	}
	return x, nil
}
