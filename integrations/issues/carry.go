package issues

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pwg-team/pwg/crdt/minutes"
)

const statesSchema = `
CREATE TABLE IF NOT EXISTS issues_state (
	url TEXT PRIMARY KEY,
	body BLOB NOT NULL,
	fetched_at INTEGER NOT NULL
);`

// States keeps the last fetched state of each issue in the workspace
// database, so that the carry-over shows it at once and offline.
type States struct {
	db *sql.DB
}

// OpenStates creates the cache table if needed.
func OpenStates(db *sql.DB) (*States, error) {
	if _, err := db.Exec(statesSchema); err != nil {
		return nil, fmt.Errorf("create the issue state cache: %w", err)
	}
	return &States{db: db}, nil
}

// Cached returns the cached states of the given issue URLs (those known).
func (s *States) Cached(urls []string) (map[string]IssueState, error) {
	out := map[string]IssueState{}
	for _, u := range urls {
		var b []byte
		err := s.db.QueryRow(`SELECT body FROM issues_state WHERE url = ?`, u).Scan(&b)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return out, fmt.Errorf("read cached issue state: %w", err)
		}
		var st IssueState
		if err := json.Unmarshal(b, &st); err != nil {
			continue // a damaged cache entry is fetched again
		}
		out[u] = st
	}
	return out, nil
}

func (s *States) put(u string, st IssueState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(`INSERT INTO issues_state (url, body, fetched_at) VALUES (?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`, u, b, st.Fetched.Unix())
	if err != nil {
		return fmt.Errorf("cache issue state: %w", err)
	}
	return nil
}

// Refresh fetches the state of each issue URL from src and caches it. It
// returns the states it could fetch, and the errors of the others: a URL
// that names no issue, an issue the tracker does not have, or, once the
// tracker is unreachable or refuses the token, the same error for every
// URL not yet fetched (it stops asking).
func (s *States) Refresh(ctx context.Context, src StateSource, urls []string) (map[string]IssueState, map[string]error) {
	got := map[string]IssueState{}
	errs := map[string]error{}
	var stop error
	for _, u := range urls {
		if stop != nil {
			errs[u] = stop
			continue
		}
		ref, err := ParseIssueURL(u)
		if err != nil {
			errs[u] = err
			continue
		}
		st, err := src.IssueState(ctx, ref)
		if err != nil {
			errs[u] = err
			if !errors.Is(err, ErrNotFound) {
				stop = err // offline, rate limited, bad token: every call fails alike
			}
			continue
		}
		if st.URL == "" {
			st.URL = u
		}
		if err := s.put(u, st); err != nil {
			errs[u] = err
			continue
		}
		got[u] = st
	}
	return got, errs
}

// Carried is an action item under review with its issue's state.
type Carried struct {
	Item minutes.ActionItem `json:"item"`
	// Issue is the issue's state as last fetched (live or from the cache);
	// nil when the item has no issue or its state was never fetched.
	Issue *IssueState `json:"issue,omitempty"`
	// Err says why the state could not be fetched now (the state shown, if
	// any, is the cached one).
	Err error `json:"-"`
	// OfferDone: the item is still open but its issue was closed, so the
	// meeting is offered to mark it done.
	OfferDone bool `json:"offerDone"`
}

// CarryOver pairs action items with their issue states (URL → state) and
// fetch errors (URL → error), in the items' order.
func CarryOver(items []minutes.ActionItem, states map[string]IssueState, errs map[string]error) []Carried {
	out := make([]Carried, 0, len(items))
	for _, it := range items {
		c := Carried{Item: it}
		if it.IssueURL != "" {
			if st, ok := states[it.IssueURL]; ok {
				c.Issue = &st
				c.OfferDone = it.Status == minutes.ActionOpen && !st.Open
			}
			c.Err = errs[it.IssueURL]
		}
		out = append(out, c)
	}
	return out
}

// IssueURLs returns the distinct issue links of items.
func IssueURLs(items []minutes.ActionItem) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		if it.IssueURL != "" && !seen[it.IssueURL] {
			seen[it.IssueURL] = true
			out = append(out, it.IssueURL)
		}
	}
	return out
}

// ReviewCarryOver returns the states of items' issues: the cached ones at
// once, then — when src is not nil — fetched live and cached. An error of
// the fetch is per item (Carried.Err); the cached state stays shown.
func ReviewCarryOver(ctx context.Context, st *States, src StateSource, items []minutes.ActionItem) ([]Carried, error) {
	urls := IssueURLs(items)
	states, err := st.Cached(urls)
	if err != nil {
		return nil, err
	}
	var errs map[string]error
	if src != nil {
		var live map[string]IssueState
		live, errs = st.Refresh(ctx, src, urls)
		for u, s := range live {
			states[u] = s
		}
	}
	return CarryOver(items, states, errs), nil
}
