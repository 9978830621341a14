package review_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
	"github.com/pwg-team/pwg/integrations/review"
)

// BenchmarkSLOCompute computes 10 ratio SLOs over a 30-day period with a
// 28-day window of 1-minute points (58 days × 1440 minutes × 2 metrics each).
func BenchmarkSLOCompute(b *testing.B) {
	end := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	p := review.Period{From: end.AddDate(0, 0, -30), To: end}
	window := 28 * 24 * time.Hour
	var good, total []mackerel.Point
	for t := p.From.Add(-window).Unix(); t < end.Unix(); t += 60 {
		total = append(total, mackerel.Point{T: t, V: 400})
		good = append(good, mackerel.Point{T: t, V: 399 + float64(t%7)/7})
	}
	sli, _ := review.ParseSLI("web: good / total")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := 0; j < 10; j++ {
			r := review.Compute(review.Definition{Name: fmt.Sprint(j), SLI: sli, Objective: 0.999, Window: window},
				p, review.Input{Good: good, Total: total}, time.UTC)
			if !r.Attainment.Valid() {
				b.Fatal(r.Error)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/10slos")
}

// BenchmarkSLOEvaluateHTTP reads and computes 10 SLOs of the seeded month
// over HTTP from the fake (5 pairs of metrics, each read a day at a time
// for 58 days, shared between two SLOs), without a cache.
func BenchmarkSLOEvaluateHTTP(b *testing.B) {
	end := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	fake := mackereltest.New(mackereltest.Options{Now: end})
	c := newClient(b, fake, false)
	var defs []review.Definition
	for i := 0; i < 10; i++ {
		sli, _ := review.ParseSLI("web: app.requests.fast / app.requests.total")
		if i%2 == 1 {
			sli, _ = review.ParseSLI("web: app.latency.p95 <= 300")
		}
		defs = append(defs, review.Definition{Name: fmt.Sprint(i), SLI: sli, Objective: 0.99 - float64(i)/1000,
			Window: time.Duration(28+i/2) * 24 * time.Hour})
	}
	p := review.Period{From: end.AddDate(0, 0, -30), To: end}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rs := review.Evaluate(context.Background(), c, defs, p, end, time.UTC)
		if rs[9].Error != "" {
			b.Fatal(rs[9].Error)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/10slos")
}
