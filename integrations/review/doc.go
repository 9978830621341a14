// Package review computes the SLO and cost review of a meeting from
// Mackerel metric values, in the manner of mashiike/shimesaba: Mackerel has
// no SLO API, so error budgets are computed from service metrics. Nothing
// here imports Fyne; the GUI and `pwg review` share it.
//
// # SLIs
//
// An SLI is either a ratio of two service metrics posted every minute,
// good / total (requests under 300 ms / all requests), written
//
//	web: app.requests.fast / app.requests.total
//
// or a threshold on one service metric, each minute being good when its
// value satisfies the comparison (p95 latency ≤ 300 ms), written
//
//	web: app.latency.p95 <= 300
//
// An SLO adds an objective (99.9 %) and a rolling window (28 days by
// default).
//
// # What is computed
//
// Over the review period [From, To) (To is clamped to now):
//   - Attainment: good / total events of the period (requests for a ratio
//     SLI, minutes for a threshold SLI); Met when it reaches the objective.
//   - Error budget at the start and the end of the period: of the window
//     ending at that moment, the share of the allowed bad events
//     ((1 − objective) × total events of the window) not yet spent:
//     1 − bad / ((1 − objective) × total). 100 % is untouched, 0 % spent,
//     below 0 overspent.
//   - Burn rate: the period's bad share divided by (1 − objective); 1 spends
//     the budget exactly at the rate the objective allows.
//   - Worst day: the calendar day (in the given location) of the period
//     with the lowest attainment.
//   - A daily budget series for a small chart: the budget left at each
//     midnight of the period and at its end.
//
// # Missing points
//
// Metric values are read one point a minute (Mackerel answers a day at a
// time at that resolution). A minute counts only when it has its points:
// for a ratio SLI both good and total, for a threshold SLI the metric. A
// minute without them is left out of both the good and the total events —
// no data is no evidence of either — and is counted in Missing, so the
// table can say how much of the period was covered. For a threshold SLI
// whose silence means an outage, MissingAsBad counts such minutes as bad
// minutes instead. A good count above the total is clamped to the total,
// and negative counts to zero. Days and windows without any counted minute
// have no attainment (null in JSON).
//
// # Cost
//
// The team names its cost metrics: one total, or one per component (the
// total is then their sum). Each is a daily service metric (cost per day);
// a month's cost is the sum of its days. For the month in progress the
// sum so far is also projected to the whole month (mean per day × days of
// the month), and the changes against the previous month and the same
// month a year before compare projected months. Components are ordered by
// how much they moved against the previous month.
package review
