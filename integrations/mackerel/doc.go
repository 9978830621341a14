// Package mackerel is pwg's client of the Mackerel API: the alerts of a
// review period, monitors (read, change thresholds, delete), dashboards,
// metric values for host, role and service graphs, graph annotations, hosts,
// services and roles. It wraps github.com/mackerelio/mackerel-client-go and
// adds what a meeting needs: bounded retries, an offline cache, grouping of
// alerts by monitor and a PNG renderer for graphs pinned to the minutes.
// Nothing here imports Fyne.
//
// # Retries
//
// A read or write that fails with 429 or a 5xx status, or a transient
// network error, is retried with exponential back-off and jitter, a bounded
// number of times (RetryPolicy; by default 4 attempts within about 2 s).
// Create calls that are not idempotent (POST of an annotation) are retried on
// 429 only, which means the request was not processed. 401, 403, 404 and 400
// are never retried: they are mapped to ErrUnauthorized, ErrForbidden,
// ErrNotFound and ErrRejected with Mackerel's message.
//
// # Cache and staleness
//
// Every successful read is stored in the workspace's SQLite database (the
// *sql.DB passed in Config.DB) with its fetch time, in pwg's own tables:
//
//	mackerel_cache  (scope, key, body JSON, fetched_at unix seconds)
//	mackerel_alerts (scope, id, monitor_id, opened_at, status, body JSON, fetched_at)
//
// scope separates accounts (by default the API base URL and organisation),
// so a demo session never mixes with a real one. When a read fails after its
// retries, the cached value is returned in a Fetched with Stale set, the
// fetch time and the cause: the panes show it with a "stale since" banner.
// Only when nothing is cached does the read return an error. Writes never
// fall back to the cache; they change it on success.
//
// # Review period of alerts
//
// Mackerel lists alerts newest first, 100 a page, linked by nextId.
// AlertsOfPeriod follows nextId until the page's oldest alert opened before
// the period's start and keeps the alerts opened within the period plus the
// ones still open.
//
// # Alert review: hygiene board, write-back, evidence
//
// HygieneBoard computes, per monitor, the review period and the three
// before it (alert count, median and longest open time, flaps and quick
// self-closes from the alert logs) and flags noisy, no runbook, muted for
// long, silent, unreviewed and "decision did not help" monitors, each with
// its reason in words; ComputeBoard is the pure part. ApplyWriteBack writes
// a meeting's decision back as a graph annotation and a dated memo line,
// exactly once (see WriteBack's marker). Decisions come from the minutes and
// from those memo lines; Evidence compares the alerts before and after.
package mackerel
