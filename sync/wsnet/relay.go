package wsnet

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/sharing"
)

// Redial backoff of a relay connection.
const (
	redialMin = 500 * time.Millisecond
	redialMax = 30 * time.Second
)

// Relay keeps n connected to an automerge-repo relay (the sync server of
// @automerge/automerge-repo-sync-server, or another pwg's WebSocket server)
// at url until ctx ends, redialing with backoff. Only the documents shared
// in st (Share) go through it. It returns ctx's error, or at once for a URL
// that is not ws:// or wss://.
func Relay(ctx context.Context, n *lansync.Node, url string, st storage.Settings, log *slog.Logger) error {
	if err := sharing.CheckURL(url); err != nil {
		return err
	}
	if log == nil {
		log = slog.Default()
	}
	sh := newSharedCache(st)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go sh.watch(ctx, n)
	name := "relay " + sharing.Redact(url)
	backoff := redialMin
	for ctx.Err() == nil {
		began := time.Now()
		c, err := Dial(ctx, url)
		if err == nil {
			log.Info("relay connected", "url", sharing.Redact(url))
			stop := context.AfterFunc(ctx, func() { c.Close() })
			err = n.AttachOpen(c, true, sharing.Redact(url), sh.policy(name, true))
			stop()
		}
		if ctx.Err() != nil {
			break
		}
		if time.Since(began) > 10*time.Second {
			backoff = redialMin // it worked for a while
		}
		lvl := slog.LevelWarn
		if errors.Is(err, ErrRelayAuth) {
			lvl = slog.LevelError
		}
		log.Log(ctx, lvl, "relay unreachable; retrying", "url", sharing.Redact(url), "in", backoff, "err", err)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
		backoff = min(2*backoff, redialMax)
	}
	return ctx.Err()
}
