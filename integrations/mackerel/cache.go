package mackerel

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

const cacheSchema = `
CREATE TABLE IF NOT EXISTS mackerel_cache (
	scope TEXT NOT NULL,
	key TEXT NOT NULL,
	body BLOB NOT NULL,
	fetched_at INTEGER NOT NULL,
	PRIMARY KEY (scope, key)
);
CREATE TABLE IF NOT EXISTS mackerel_alerts (
	scope TEXT NOT NULL,
	id TEXT NOT NULL,
	monitor_id TEXT NOT NULL,
	opened_at INTEGER NOT NULL,
	status TEXT NOT NULL,
	body BLOB NOT NULL,
	fetched_at INTEGER NOT NULL,
	PRIMARY KEY (scope, id)
);
CREATE INDEX IF NOT EXISTS mackerel_alerts_opened ON mackerel_alerts (scope, opened_at);
`

// putSQL stores one value: scope, key, JSON body, fetched_at (Unix seconds).
const putSQL = `INSERT INTO mackerel_cache (scope, key, body, fetched_at) VALUES (?, ?, ?, ?)
	ON CONFLICT (scope, key) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`

// cache keeps fetched values in the workspace database.
type cache struct {
	db    *sql.DB
	scope string
}

func openCache(db *sql.DB, scope string) (*cache, error) {
	if _, err := db.Exec(cacheSchema); err != nil {
		return nil, fmt.Errorf("create the Mackerel cache tables: %w", err)
	}
	return &cache{db: db, scope: scope}, nil
}

func (c *cache) put(ctx context.Context, key string, v any, at time.Time) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("cache %s: %w", key, err)
	}
	_, err = c.db.ExecContext(ctx, putSQL,
		c.scope, key, b, at.Unix())
	if err != nil {
		return fmt.Errorf("cache %s: %w", key, err)
	}
	return nil
}

// get decodes the cached value of key into v; ok is false when none is cached.
func (c *cache) get(ctx context.Context, key string, v any) (at time.Time, ok bool, err error) {
	var b []byte
	var sec int64
	err = c.db.QueryRowContext(ctx, `SELECT body, fetched_at FROM mackerel_cache WHERE scope = ? AND key = ?`,
		c.scope, key).Scan(&b, &sec)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read cached %s: %w", key, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return time.Time{}, false, fmt.Errorf("cached %s is damaged: %w", key, err)
	}
	return time.Unix(sec, 0), true, nil
}

func (c *cache) delete(ctx context.Context, key string) error {
	_, err := c.db.ExecContext(ctx, `DELETE FROM mackerel_cache WHERE scope = ? AND key = ?`, c.scope, key)
	return err
}

// putAlerts upserts alerts.
func (c *cache) putAlerts(ctx context.Context, alerts []Alert, at time.Time) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("cache alerts: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	for _, a := range alerts {
		b, err := json.Marshal(a)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO mackerel_alerts (scope, id, monitor_id, opened_at, status, body, fetched_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (scope, id) DO UPDATE SET monitor_id = excluded.monitor_id, opened_at = excluded.opened_at,
				status = excluded.status, body = excluded.body, fetched_at = excluded.fetched_at`,
			c.scope, a.ID, a.MonitorID, a.OpenedAt.Unix(), a.Status, b, at.Unix())
		if err != nil {
			return fmt.Errorf("cache alerts: %w", err)
		}
	}
	return tx.Commit()
}

// alerts returns the cached alerts opened in [from, to] or still open,
// newest first.
func (c *cache) alerts(ctx context.Context, from, to time.Time) ([]Alert, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT body FROM mackerel_alerts
		WHERE scope = ? AND ((opened_at >= ? AND opened_at <= ?) OR status <> 'OK')
		ORDER BY opened_at DESC, id DESC`, c.scope, from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("read cached alerts: %w", err)
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		var a Alert
		if err := json.Unmarshal(b, &a); err != nil {
			return nil, fmt.Errorf("a cached alert is damaged: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// forgetOpenExcept drops cached open alerts that are not in current: they
// were closed since, and were opened before the period just read.
func (c *cache) forgetOpenExcept(ctx context.Context, current []Alert) error {
	keep := map[string]bool{}
	for _, a := range current {
		keep[a.ID] = true
	}
	rows, err := c.db.QueryContext(ctx, `SELECT id FROM mackerel_alerts WHERE scope = ? AND status <> 'OK'`, c.scope)
	if err != nil {
		return err
	}
	var drop []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		if !keep[id] {
			drop = append(drop, id)
		}
	}
	rows.Close()
	for _, id := range drop {
		if _, err := c.db.ExecContext(ctx, `DELETE FROM mackerel_alerts WHERE scope = ? AND id = ?`, c.scope, id); err != nil {
			return err
		}
	}
	return nil
}

// getPrefix returns the cached bodies whose key starts with prefix.
func (c *cache) getPrefix(ctx context.Context, prefix string) (map[string][]byte, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT key, body FROM mackerel_cache WHERE scope = ? AND key >= ? AND key < ?`,
		c.scope, prefix, prefix+"\U0010FFFF")
	if err != nil {
		return nil, fmt.Errorf("read cache: %w", err)
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		var k string
		var b []byte
		if err := rows.Scan(&k, &b); err != nil {
			return nil, err
		}
		out[k] = b
	}
	return out, rows.Err()
}

// putMany stores values by key in one transaction.
func (c *cache) putMany(ctx context.Context, vs map[string]any, at time.Time) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	for key, v := range vs {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("cache %s: %w", key, err)
		}
		if _, err := tx.ExecContext(ctx, putSQL,
			c.scope, key, b, at.Unix()); err != nil {
			return fmt.Errorf("cache %s: %w", key, err)
		}
	}
	return tx.Commit()
}
