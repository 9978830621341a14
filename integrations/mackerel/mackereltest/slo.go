package mackereltest

import (
	"math"
	"time"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// Service metrics of the seeded team that SLOs and the cost review read.
//
// Requests are counted per minute: app.requests.total is every request,
// app.requests.success those answered without a 5xx (total minus
// app.errors.5xx) and app.requests.fast those answered under 300 ms. While
// release v2.14.0's regression lasts (12 days) up to 5 % of requests are slow
// at the evening peak, and 90 % during the incident: the latency SLO (99 % of
// requests under 300 ms) is breached over the month while the availability
// SLO (99.5 % without 5xx) is met.
//
// Cost is a daily series in USD per component (compute, database, network,
// storage) from 13 months before the seeded end, growing about a quarter a
// year; cost.daily.usd is their sum. The day after the incident the database
// is moved to a larger instance class: its cost jumps by about 60 %.
const (
	MetricRequestsTotal   = "app.requests.total"
	MetricRequestsSuccess = "app.requests.success"
	MetricRequestsFast    = "app.requests.fast"
	MetricLatencyP95      = "app.latency.p95"
	MetricCostTotal       = "cost.daily.usd"
	CostComponentPrefix   = "cost.component."
)

// CostComponents are the names of the seeded per-component cost metrics.
var CostComponents = []string{
	CostComponentPrefix + "compute", CostComponentPrefix + "database",
	CostComponentPrefix + "network", CostComponentPrefix + "storage",
}

// SeriesFunc gives a metric's value at t (epoch seconds); ok false leaves a
// gap (no point at t), as when an agent or a batch failed to post.
type SeriesFunc func(t int64) (v float64, ok bool)

// SetServiceMetric adds or replaces the metric name of service (the service
// is created when missing). step is the minimal spacing of points: 0 for a
// metric posted every minute (rolled up by the requested span, see
// "Metric resolution"), 86400 for a daily series such as cost. since is the
// first time with data; zero keeps the seeded default (35 days before the
// seeded end).
func (s *Server) SetServiceMetric(service, name string, step int64, since time.Time, fn SeriesFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ensureService(service)
	sr := series{step: step, fn: func(t int64) float64 {
		if v, ok := fn(t); ok {
			return v
		}
		return math.NaN()
	}}
	if !since.IsZero() {
		sr.from = since.Unix()
	}
	s.model.addService(service, name, sr)
}

// ensureService adds an empty service called name. Callers hold s.mu.
func (s *Server) ensureService(name string) {
	if !s.hasService(name) {
		s.services = append(s.services, &mkr.Service{Name: name, Roles: []string{}})
	}
}

// seedReviewMetrics adds the requests by outcome and the cost series.
func (sc scenario) seedReviewMetrics(m *metricModel) {
	// the same requests and errors as app.requests.total and app.errors.5xx
	total := m.service[ServiceName][MetricRequestsTotal].fn
	errors5xx := m.service[ServiceName]["app.errors.5xx"].fn
	slowShare := func(t int64) float64 {
		v := 0.002 + 0.001*noise("slow", t)
		if sc.regressed(t) {
			v += 0.05 * sc.traffic(t)
		}
		if sc.incidentAt(t) {
			v = 0.9
		}
		return v
	}
	m.addService(ServiceName, MetricRequestsSuccess, series{fn: func(t int64) float64 {
		return total(t) - errors5xx(t)
	}})
	m.addService(ServiceName, MetricRequestsFast, series{fn: func(t int64) float64 {
		return math.Round(total(t) * (1 - slowShare(t)))
	}})

	// cost: a year and a month of daily points
	since := sc.end.AddDate(-1, -1, 0).UTC().Truncate(24 * time.Hour).Unix()
	endUnix := sc.end.Unix()
	growth := func(t int64) float64 { return 1 + 0.25*float64(t-endUnix)/(365*86400) }
	upsize := sc.incEnd.Add(24 * time.Hour).UTC().Truncate(24 * time.Hour)
	component := map[string]func(t int64) float64{
		"compute": func(t int64) float64 {
			v := 220*growth(t) + 6*noise("cost-compute", t)
			if sc.regressed(t) {
				v += 35 // two more app instances while the regression lasted
			}
			return v
		},
		"database": func(t int64) float64 {
			v := 118 + 2*noise("cost-db", t)
			if t >= upsize.Unix() {
				v = 190 + 2*noise("cost-db", t) // a larger instance class after the incident
			}
			return v
		},
		"network": func(t int64) float64 {
			v := 48*growth(t) + 4*noise("cost-net", t)
			if sc.in(t, sc.campaign, sc.campEnd) {
				v += 60
			}
			return v
		},
		"storage": func(t int64) float64 { return 22 + 12*growth(t) + 0.5*noise("cost-storage", t) },
	}
	for _, name := range CostComponents {
		m.addService(ServiceName, name, series{step: 86400, from: since, fn: component[name[len(CostComponentPrefix):]]})
	}
	m.addService(ServiceName, MetricCostTotal, series{step: 86400, from: since, fn: func(t int64) float64 {
		sum := 0.0
		for _, name := range CostComponents {
			sum += round2(component[name[len(CostComponentPrefix):]](t))
		}
		return sum
	}})
}
