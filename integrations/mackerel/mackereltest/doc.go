// Package mackereltest is a faithful in-process fake of the parts of the
// Mackerel API that pwg uses. It is an http.Handler, used by tests and by the
// demo mode alike, and is driven by the real mackerel-client-go.
//
// # Endpoints
//
// All paths are under /api/v0 and need the header X-Api-Key; a missing or
// unknown key answers 401, a read-only key answers 403 on writes. Errors are
// JSON: {"error":{"message":"..."}} with the status code.
//
//	GET    /org                               {"name","displayName"}
//	GET    /alerts?withClosed&nextId&limit     {"alerts":[...],"nextId"} newest first, 100 per page
//	GET    /alerts/{id}                       the bare alert
//	POST   /alerts/{id}/close {"reason"}      the closed alert (status OK, reason, closedAt)
//	GET    /alerts/{id}/logs?nextId&limit     {"logs":[...],"nextId"} newest first: opened, status changes, closed
//	                                          (trigger "monitoring", or "manual" with statusDetail for a close by a person)
//	GET    /downtimes                         {"downtimes":[...]}
//	POST   /downtimes                         the created downtime (scopes must exist; duration in minutes)
//	PUT    /downtimes/{id}                    the updated downtime
//	DELETE /downtimes/{id}                    the deleted downtime
//	GET    /monitors                          {"monitors":[...]}
//	GET    /monitors/{id}                     {"monitor":{...}}
//	PUT    /monitors/{id}                     the whole monitor object (memo, isMute included); answers the bare object
//	DELETE /monitors/{id}                     the deleted monitor, bare
//	GET    /dashboards                        {"dashboards":[...]} without widgets
//	GET    /dashboards/{id}                   the bare dashboard with widgets
//	GET    /services                          {"services":[...]}
//	GET    /services/{name}/roles             {"roles":[...]}
//	GET    /services/{name}/metric-names      {"names":[...]}
//	GET    /services/{name}/metrics?name&from&to  {"metrics":[{"time","value"}]}
//	GET    /hosts?service&role&name&status    {"hosts":[...]}
//	GET    /hosts/{id}                        {"host":{...}}
//	GET    /hosts/{id}/metric-names           {"names":[...]}
//	GET    /hosts/{id}/metrics?name&from&to   {"metrics":[{"time","value"}]}
//	GET    /tsdb/latest?hostId&name           {"tsdbLatest":{host:{name:{...}}}}
//	GET    /graph-annotations?service&from&to {"graphAnnotations":[...]}
//	POST   /graph-annotations                 the created annotation
//	PUT    /graph-annotations/{id}            the updated annotation
//	DELETE /graph-annotations/{id}            the deleted annotation
//
// # Alert paging
//
// Alerts are listed newest first. A page holds at most limit alerts (default
// and maximum 100; more is a 400). When older alerts remain, the answer
// carries nextId, the id of the last alert of the page; a request with nextId
// returns the alerts older than that alert.
//
// # Metric resolution
//
// Metric values are computed from a deterministic model, not stored. As in
// Mackerel, the granularity depends on the requested span: one point a minute
// up to 1 day, every 5 minutes up to 7 days, every hour up to 31 days, and
// every day beyond; a rolled-up point is the mean of the minutes before it.
// Daily series (cost) have one point a day.
//
// # Faults
//
// SetLatency delays every answer (honouring the request's context); Fail
// makes the next n requests answer a given status (429 with Retry-After, or
// 500), or every request until Fail(0, 0).
//
// # The seeded team
//
// Seed (used by New) builds the team "pwg-demo" around a review period of 30
// days ending at Options.Now: the service "web" with roles app, db and batch,
// six hosts, a month of metrics where release v2.14.0 makes latency and CPU
// regress until the fix v2.14.2, an incident with 5xx errors, alerts from
// seven monitors (one of them, the nightly batch disk monitor, fires every
// night), graph annotations for the releases, the incident and a campaign,
// and a "PWG" custom dashboard with graph, value, markdown and alertStatus
// widgets on the 24-column grid. Requests by outcome (for SLOs) and a year
// of daily cost per component are described in slo.go; SetServiceMetric
// adds a series of one's own, gaps included.
//
// Options.ReviewHistory (on in the demo) adds what the alert review's
// hygiene board needs (seed_history.go): 180 days of nightly batch alerts,
// runbook links in most memos, and one monitor per hygiene flag: a noisy
// 5xx burst monitor whose earlier decision ("duration 1 → 2") did not help,
// "app memory %" whose warning was raised 80 → 90 a month ago with fewer
// alerts after, a replication monitor muted for 95 days and a queue monitor
// that never fired.
package mackereltest
