package review_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
	"github.com/pwg-team/pwg/integrations/review"
)

// TestCostHandComputed: two components with daily points, one day missing
// in the month under review, over HTTP.
func TestCostHandComputed(t *testing.T) {
	end := time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC) // Nov 1–10: 10 days
	fake := mackereltest.New(mackereltest.Options{Empty: true, Now: end})
	since := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	day := func(t int64) time.Time { return time.Unix(t, 0).UTC() }
	// compute: 10 a day a year ago (Nov 2025), 20 a day in Oct 2026, 30 a day in Nov 2026
	fake.SetServiceMetric("shop", "cost.compute", 86400, since, func(t int64) (float64, bool) {
		switch d := day(t); {
		case d.Year() == 2026 && d.Month() == 11:
			return 30, d.Day() != 5 // Nov 5 missing
		case d.Year() == 2026 && d.Month() == 10:
			return 20, true
		}
		return 10, true
	})
	// storage: 5 a day throughout
	fake.SetServiceMetric("shop", "cost.storage", 86400, since, func(int64) (float64, bool) { return 5, true })
	c := newClient(t, fake, false)
	cfg, err := review.ParseCostConfig("shop:cost.storage,\nshop:cost.compute")
	if err != nil {
		t.Fatal(err)
	}
	r := review.FetchCost(context.Background(), c, cfg, end, time.UTC)
	if r.Error != "" {
		t.Fatal(r.Error)
	}
	if len(r.Months) != 12 || r.Months[0].Month != "2025-12" || r.Month != "2026-11" || r.Months[11].Month != "2026-11" {
		t.Fatalf("months %+v", r.Months)
	}
	nov := r.Months[11]
	// storage 10 days × 5 = 50 → 150 projected; compute 9 days × 30 = 270 → 900 projected
	if nov.Cost != 320 || nov.Days != 10 || math.Abs(nov.Projected-1050) > 1e-9 {
		t.Errorf("November %+v, want cost 320 over 10 days, projected 1050", nov)
	}
	oct := r.Months[10] // 31 × 25
	if oct.Cost != 775 || oct.Projected != 775 {
		t.Errorf("October %+v", oct)
	}
	if math.Abs(float64(r.VsLastMonth)-275) > 1e-9 || math.Abs(float64(r.VsLastMonthPct)-275.0/775) > 1e-9 {
		t.Errorf("vs last month %v (%v)", r.VsLastMonth, r.VsLastMonthPct)
	}
	// Nov 2025: 30 × 15 = 450
	if math.Abs(float64(r.VsLastYear)-600) > 1e-9 {
		t.Errorf("vs last year %v", r.VsLastYear)
	}
	if len(r.Components) != 2 || r.Components[0].Metric != "shop:cost.compute" || r.Components[0].Change != 900-620 {
		t.Errorf("components %+v", r.Components)
	}
}

// TestCostDemoJump: the seeded database upsize shows as the largest move.
func TestCostDemoJump(t *testing.T) {
	end := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	fake := mackereltest.New(mackereltest.Options{Now: end})
	c := newClient(t, fake, false)
	refs := []string{"total=web:" + mackereltest.MetricCostTotal}
	for _, n := range mackereltest.CostComponents {
		refs = append(refs, "web:"+n)
	}
	cfg, err := review.ParseCostConfig(strings.Join(refs, ","))
	if err != nil {
		t.Fatal(err)
	}
	r := review.FetchCost(context.Background(), c, cfg, end, time.UTC)
	if r.Error != "" {
		t.Fatal(r.Error)
	}
	t.Logf("%s: %+v vs last month %.0f (%.1f%%), vs last year %.0f (%.1f%%)", r.Month, r.Months[11],
		float64(r.VsLastMonth), 100*float64(r.VsLastMonthPct), float64(r.VsLastYear), 100*float64(r.VsLastYearPct))
	if r.Components[0].Metric != "web:cost.component.database" || float64(r.Components[0].ChangePct) < 0.15 {
		t.Errorf("largest move %+v, want the database upsize", r.Components[0])
	}
	if float64(r.VsLastMonthPct) < 0.05 || float64(r.VsLastYearPct) < 0.15 {
		t.Errorf("no jump: %v, %v", r.VsLastMonthPct, r.VsLastYearPct)
	}
}

func TestCostConfig(t *testing.T) {
	c, err := review.ParseCostConfig("web:cost.daily.usd")
	if err != nil || c.Total.Name != "cost.daily.usd" || len(c.Components) != 0 {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := review.ParseCostConfig("cost.daily.usd"); err == nil {
		t.Error("a metric without service accepted")
	}
	if c, _ := review.ParseCostConfig(""); !c.IsZero() {
		t.Error("empty setting names metrics")
	}
}
