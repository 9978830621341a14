package mackereltest

import (
	"hash/fnv"
	"math"
	"sort"
	"time"
)

// series is one metric computed from a model function of time.
type series struct {
	step int64                 // minimal spacing of points in seconds; 0 follows the span
	fn   func(t int64) float64 // NaN: no point at t (a gap in the data)
	from int64                 // no data before; 0: the model's from
}

// metricModel holds the metric series of hosts and services.
type metricModel struct {
	host    map[string]map[string]series // host id → metric name
	service map[string]map[string]series // service name → metric name
	from    int64                        // no data before
}

func (m *metricModel) addHost(hostID, name string, sr series) {
	if m.host == nil {
		m.host = map[string]map[string]series{}
	}
	if m.host[hostID] == nil {
		m.host[hostID] = map[string]series{}
	}
	m.host[hostID][name] = sr
}

func (m *metricModel) addService(service, name string, sr series) {
	if m.service == nil {
		m.service = map[string]map[string]series{}
	}
	if m.service[service] == nil {
		m.service[service] = map[string]series{}
	}
	m.service[service][name] = sr
}

func names(byName map[string]series) []string {
	out := make([]string, 0, len(byName))
	for n := range byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// resolution returns the spacing of points for a requested span, as
// documented in doc.go.
func resolution(span int64) int64 {
	switch {
	case span <= 86400:
		return 60
	case span <= 7*86400:
		return 300
	case span <= 31*86400:
		return 3600
	default:
		return 86400
	}
}

// point is a metric value on the wire.
type point struct {
	Time  int64   `json:"time"`
	Value float64 `json:"value"`
}

// values computes the points of sr in [from, to], none after now.
func (m *metricModel) values(sr series, from, to, now int64) []point {
	step := resolution(to - from)
	if sr.step > step {
		step = sr.step
	}
	if to > now {
		to = now
	}
	start, since := from, m.from
	if sr.from != 0 {
		since = sr.from
	}
	if start < since {
		start = since
	}
	first := (start + step - 1) / step * step
	pts := make([]point, 0, max(0, (to-first)/step+1))
	for t := first; t <= to; t += step {
		v := sr.fn(t)
		if sr.step == 0 && step > 60 {
			// a rolled-up point is the mean of the minutes before it, so a
			// short spike still shows on a month's graph; minutes without
			// a point are left out, a span without any has no point
			sum, n := 0.0, 0
			for m := t - step + 60; m <= t; m += 60 {
				if x := sr.fn(m); !math.IsNaN(x) {
					sum += x
					n++
				}
			}
			v = math.NaN()
			if n > 0 {
				v = sum / float64(n)
			}
		}
		if math.IsNaN(v) {
			continue
		}
		pts = append(pts, point{Time: t, Value: round2(v)})
	}
	return pts
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// noise returns a deterministic value in [-1, 1] for a series and a time.
func noise(key string, t int64) float64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	var b [8]byte
	for i := range b {
		b[i] = byte(t >> (8 * i))
	}
	h.Write(b[:])
	return float64(h.Sum64()%20001)/10000 - 1
}

// scenario holds the moments of the seeded month.
type scenario struct {
	end       time.Time
	start     time.Time // end - 30 days
	release13 time.Time // v2.13.0
	deploy    time.Time // v2.14.0: the regression starts
	incident  time.Time // DB connection pool exhausted
	incEnd    time.Time
	fix       time.Time // v2.14.2: the regression ends
	campaign  time.Time
	campEnd   time.Time
}

func newScenario(end time.Time) scenario {
	day := func(daysBack int) time.Time {
		return end.Add(-time.Duration(daysBack) * 24 * time.Hour).UTC().Truncate(24 * time.Hour)
	}
	return scenario{
		end:       end,
		start:     end.Add(-30 * 24 * time.Hour),
		release13: day(25).Add(5 * time.Hour),
		deploy:    day(18).Add(5 * time.Hour),
		incident:  day(10).Add(9*time.Hour + 10*time.Minute),
		incEnd:    day(10).Add(9*time.Hour + 55*time.Minute),
		fix:       day(6).Add(5 * time.Hour),
		campaign:  day(4),
		campEnd:   day(2),
	}
}

func (sc scenario) in(t int64, a, b time.Time) bool { return t >= a.Unix() && t < b.Unix() }

// diurnal is the traffic shape of a day: 1 at 12:00 UTC (21:00 JST), 0.1 at
// midnight UTC.
func diurnal(t int64) float64 {
	h := float64(t%86400) / 3600
	return 0.55 + 0.45*math.Sin(2*math.Pi*(h-6)/24)
}

func (sc scenario) regressed(t int64) bool { return sc.in(t, sc.deploy, sc.fix) }
func (sc scenario) incidentAt(t int64) bool {
	return sc.in(t, sc.incident, sc.incEnd)
}

func (sc scenario) traffic(t int64) float64 {
	d := diurnal(t)
	if sc.in(t, sc.campaign, sc.campEnd) {
		d *= 1.4
	}
	return d
}

// nightlyBatch is the nightly batch's intensity: 1 between 18:00 and 18:40
// UTC (03:00 JST), 0 otherwise, with a per-night peak in [0.8, 1.2].
func nightlyBatch(host string, t int64) float64 {
	sec := t % 86400
	start := int64(18*3600) + int64(5*60*(1+noise(host+"batch-start", t/86400)))
	if sec < start || sec >= start+40*60 {
		return 0
	}
	return 1 + 0.2*noise(host+"batch-peak", t/86400)
}

func (sc scenario) seedMetrics(m *metricModel, app []string, db string, batch []string) {
	m.from = sc.start.Add(-5 * 24 * time.Hour).Unix()
	m.addService("web", "app.requests.total", series{fn: func(t int64) float64 {
		return 800*sc.traffic(t) + 40*noise("rps", t)
	}})
	m.addService("web", "app.latency.p50", series{fn: func(t int64) float64 {
		v := 60 + 20*sc.traffic(t) + 4*noise("p50", t)
		if sc.regressed(t) {
			v += 15
		}
		if sc.incidentAt(t) {
			v = 900
		}
		return v
	}})
	m.addService("web", "app.latency.p95", series{fn: func(t int64) float64 {
		d := sc.traffic(t)
		v := 180 + 60*d + 12*noise("p95", t)
		if sc.regressed(t) {
			v += 150 * (0.5 + d)
		}
		if sc.incidentAt(t) {
			v = 2480 + 100*noise("p95i", t)
		}
		return v
	}})
	m.addService("web", "app.errors.5xx", series{fn: func(t int64) float64 {
		v := 0.5 + 0.5*noise("5xx", t)
		if sc.regressed(t) {
			v += 2 * sc.traffic(t)
		}
		if sc.incidentAt(t) {
			v = 118 + 10*noise("5xxi", t)
		}
		return v
	}})
	sc.seedReviewMetrics(m) // requests by outcome and cost: slo.go
	for i, h := range app {
		key := h
		off := float64(i) * 2
		m.addHost(h, "cpu.user.percentage", series{fn: func(t int64) float64 {
			d := sc.traffic(t)
			v := 18 + off + 32*d + 3*noise(key+"cpu", t)
			if sc.regressed(t) {
				v += 28 * d
			}
			return math.Min(v, 100)
		}})
		m.addHost(h, "cpu.system.percentage", series{fn: func(t int64) float64 {
			return 4 + 5*sc.traffic(t) + noise(key+"sys", t)
		}})
		m.addHost(h, "loadavg5", series{fn: func(t int64) float64 {
			v := 0.4 + 2.2*sc.traffic(t) + 0.2*noise(key+"load", t)
			if sc.regressed(t) {
				v *= 1.6
			}
			return v
		}})
		m.addHost(h, "memory.used", series{fn: func(t int64) float64 {
			// a slow leak, reset by each deploy
			since := t - sc.lastRelease(t)
			return 3.1e9 + 0.3e9*sc.traffic(t) + float64(since)*400 + 5e7*noise(key+"mem", t)
		}})
	}
	m.addHost(db, "cpu.user.percentage", series{fn: func(t int64) float64 {
		v := 12 + 25*sc.traffic(t) + 2*noise("dbcpu", t)
		if sc.incidentAt(t) {
			v = 96
		}
		return v
	}})
	m.addHost(db, "loadavg5", series{fn: func(t int64) float64 {
		v := 0.8 + 3*sc.traffic(t) + 0.3*noise("dbload", t)
		if sc.incidentAt(t) {
			v = 14 + noise("dbloadi", t)
		}
		return v
	}})
	m.addHost(db, "memory.used", series{fn: func(t int64) float64 {
		return 12.4e9 + 1e8*noise("dbmem", t)
	}})
	for _, b := range batch {
		key := b
		m.addHost(b, "disk.xvda.writes.delta", series{fn: func(t int64) float64 {
			return 1800 + 300*noise(key+"bw", t) + 40000*nightlyBatch(key, t)
		}})
		m.addHost(b, "cpu.user.percentage", series{fn: func(t int64) float64 {
			return 3 + 2*noise(key+"bcpu", t) + 70*nightlyBatch(key, t)
		}})
		m.addHost(b, "loadavg5", series{fn: func(t int64) float64 {
			return 0.1 + 0.05*noise(key+"bload", t) + 3*nightlyBatch(key, t)
		}})
	}
}

func (sc scenario) lastRelease(t int64) int64 {
	last := sc.start.Add(-5 * 24 * time.Hour).Unix()
	for _, r := range []time.Time{sc.release13, sc.deploy, sc.fix} {
		if t >= r.Unix() {
			last = r.Unix()
		}
	}
	return last
}
