package mackerel

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// DefaultBaseURL is the Mackerel API.
const DefaultBaseURL = "https://api.mackerelio.com/"

// DefaultWebURL is Mackerel's web UI, the base of links into Mackerel.
const DefaultWebURL = "https://mackerel.io"

// Errors callers branch on. Errors returned by this package wrap one of
// them (or a context error) with a message a user can act on.
var (
	ErrNoAPIKey     = errors.New("no Mackerel API key is set (Settings → Mackerel)")
	ErrUnauthorized = errors.New("the Mackerel API key was rejected (401): check the key in Settings → Mackerel")
	ErrForbidden    = errors.New("the Mackerel API key may not do this (403): it needs write permission")
	ErrNotFound     = errors.New("not found in Mackerel (404)")
	ErrRejected     = errors.New("the request was rejected by Mackerel (400)")
	ErrRateLimited  = errors.New("requests are rate limited by Mackerel (429)")
	ErrUnavailable  = errors.New("cannot reach Mackerel")
	ErrNotCached    = errors.New("nothing cached yet")
	ErrUnsupported  = errors.New("not supported for this monitor type")
	ErrOffline      = errors.New("working offline: Mackerel is not contacted")
	// ErrTimeout is a read that Mackerel did not answer in time (the
	// request's or the caller's deadline); it counts as ErrUnavailable too.
	// It is shown as it is in the pane's banner, so it starts with the name.
	//lint:ignore ST1005 a proper noun, shown to the user as a sentence
	ErrTimeout = errors.New("Mackerel did not answer in time")
)

// timeoutError is a deadline reached while talking to Mackerel: it reads as
// ErrTimeout (not "context deadline exceeded (Client.Timeout exceeded while
// awaiting headers)") and keeps the raw error for errors.Is / As.
type timeoutError struct{ raw error }

func (e timeoutError) Error() string { return ErrTimeout.Error() }
func (e timeoutError) Unwrap() error { return e.raw }
func (e timeoutError) Is(target error) bool {
	return target == ErrTimeout || target == ErrUnavailable
}

// isTimeout reports whether err is a deadline or a network timeout.
func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// DefaultReadTimeout bounds one read (all its requests and retries), so a
// hanging Mackerel costs one read this long and it is answered from the
// cache, instead of using up the caller's whole deadline.
const DefaultReadTimeout = 20 * time.Second

// Config configures a Client.
type Config struct {
	APIKey  string
	BaseURL string // DefaultBaseURL when empty
	WebURL  string // DefaultWebURL when empty
	// Org is the organisation name used in links; when empty it is read
	// with GetOrg on first use.
	Org string
	// DB is the workspace database for the cache; nil disables caching.
	DB *sql.DB
	// CacheScope separates cached data of different accounts; by default
	// the base URL (plus Org when set).
	CacheScope string
	Retry      RetryPolicy
	// ReadTimeout bounds one read (DefaultReadTimeout when 0): past it the
	// cached value is returned as stale, Cause ErrTimeout.
	ReadTimeout time.Duration
	// HTTPClient replaces the library's HTTP client (30 s timeout).
	HTTPClient *http.Client
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Client talks to Mackerel and caches what it reads. It is safe for
// concurrent use; every method may block on the network and must not be
// called on the UI goroutine.
type Client struct {
	api     *mkr.Client
	cache   *cache
	retry   RetryPolicy
	readTO  time.Duration
	now     func() time.Time
	webURL  string
	org     string
	offline atomic.Bool
}

// SetOffline switches offline work on or off. While offline, reads answer
// from the cache at once (stale, Cause ErrOffline) and writes fail with
// ErrOffline.
func (c *Client) SetOffline(off bool) { c.offline.Store(off) }

// Offline reports whether the client works offline.
func (c *Client) Offline() bool { return c.offline.Load() }

// New returns a client for cfg. It does not contact Mackerel.
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.APIKey) == "" {
		return nil, ErrNoAPIKey
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.WebURL == "" {
		cfg.WebURL = DefaultWebURL
	}
	api, err := mkr.NewClientWithOptions(strings.TrimSpace(cfg.APIKey), cfg.BaseURL, false)
	if err != nil {
		return nil, fmt.Errorf("mackerel base URL %q: %w", cfg.BaseURL, err)
	}
	api.UserAgent = "pwg (mackerel-client-go)"
	if cfg.HTTPClient != nil {
		api.HTTPClient = cfg.HTTPClient
	}
	c := &Client{api: api, retry: cfg.Retry.withDefaults(), now: cfg.Now, readTO: cfg.ReadTimeout,
		webURL: strings.TrimRight(cfg.WebURL, "/"), org: cfg.Org}
	if c.readTO <= 0 {
		c.readTO = DefaultReadTimeout
	}
	if c.now == nil {
		c.now = time.Now
	}
	if cfg.DB != nil {
		scope := cfg.CacheScope
		if scope == "" {
			scope = strings.TrimRight(cfg.BaseURL, "/") + "|" + cfg.Org
		}
		if c.cache, err = openCache(cfg.DB, scope); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Fetched is a value read from Mackerel or, when Mackerel could not be
// reached, from the cache.
type Fetched[T any] struct {
	Value T
	// FetchedAt is when the value was read from Mackerel.
	FetchedAt time.Time
	// Stale is set when the value comes from the cache because the live
	// read failed; Cause says why.
	Stale bool
	Cause error
}

// StaleNote is the banner text for a stale value, "" when fresh.
func (f Fetched[T]) StaleNote(now time.Time) string {
	if !f.Stale {
		return ""
	}
	age := now.Sub(f.FetchedAt).Round(time.Minute)
	return fmt.Sprintf("Offline view: data fetched %s (%s ago). %v",
		f.FetchedAt.Local().Format("2006-01-02 15:04"), age, f.Cause)
}

// read runs live with retries, within the read timeout; on success the
// value is cached under key, on failure (a deadline included: the caller's
// or the read's) the cached value is returned as stale.
func read[T any](ctx context.Context, c *Client, key string, live func(ctx context.Context) (T, error)) (Fetched[T], error) {
	v, err := readLive(ctx, c, live)
	// The cache is local: it is read even when the caller's deadline passed.
	ctx = context.WithoutCancel(ctx)
	if err == nil {
		now := c.now()
		if c.cache != nil {
			// a cache that cannot be written must not hide fresh data
			_ = c.cache.put(ctx, key, v, now)
		}
		return Fetched[T]{Value: v, FetchedAt: now}, nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, ErrNotFound) {
		// cancelled: nobody waits; gone from Mackerel: a cached copy would be wrong
		return Fetched[T]{}, err
	}
	var zero T
	if c.cache == nil {
		return Fetched[T]{}, err
	}
	at, ok, cerr := c.cache.get(ctx, key, &zero)
	if cerr != nil {
		return Fetched[T]{}, errors.Join(err, cerr)
	}
	if !ok {
		return Fetched[T]{}, fmt.Errorf("%w (%w)", err, ErrNotCached)
	}
	return Fetched[T]{Value: zero, FetchedAt: at, Stale: true, Cause: err}, nil
}

// readLive runs live with retries within the read timeout, failing with
// ErrOffline while the client works offline; a deadline reads as ErrTimeout.
func readLive[T any](ctx context.Context, c *Client, live func(ctx context.Context) (T, error)) (T, error) {
	rctx, cancel := context.WithTimeout(ctx, c.readTO)
	defer cancel()
	v, err := retryDo(rctx, c.retry, true, func(ctx context.Context) (T, error) {
		if c.Offline() {
			var zero T
			return zero, ErrOffline
		}
		return live(ctx)
	})
	return v, plainTimeout(err)
}

// classify maps an error of the library to this package's sentinel errors.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var ae *mkr.APIError
	if errors.As(err, &ae) {
		var base error
		switch {
		case ae.StatusCode == http.StatusUnauthorized:
			base = ErrUnauthorized
		case ae.StatusCode == http.StatusForbidden:
			base = ErrForbidden
		case ae.StatusCode == http.StatusNotFound:
			base = ErrNotFound
		case ae.StatusCode == http.StatusTooManyRequests:
			base = ErrRateLimited
		case ae.StatusCode >= 500:
			base = ErrUnavailable
		case ae.StatusCode >= 400:
			base = ErrRejected
		default:
			return err
		}
		if ae.Message != "" && ae.StatusCode < 500 {
			return fmt.Errorf("%w: %s", base, ae.Message)
		}
		return fmt.Errorf("%w (HTTP %d)", base, ae.StatusCode)
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	if isTimeout(err) {
		return timeoutError{err}
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// plainTimeout turns a bare deadline error (the context ended between
// requests) into ErrTimeout; other errors are returned as they are.
func plainTimeout(err error) error {
	if err == nil || errors.Is(err, ErrTimeout) || !isTimeout(err) {
		return err
	}
	return timeoutError{err}
}

// Org returns the organisation name (Config.Org, or read from Mackerel).
func (c *Client) Org(ctx context.Context) (Fetched[string], error) {
	if c.org != "" {
		return Fetched[string]{Value: c.org, FetchedAt: c.now()}, nil
	}
	return read(ctx, c, "org", func(ctx context.Context) (string, error) {
		o, err := c.api.GetOrgContext(ctx)
		if err != nil {
			return "", classify(err)
		}
		return o.Name, nil
	})
}
