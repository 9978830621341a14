package mackerel_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

// TestHangingMackerelServesCache: when Mackerel answers too slowly — past
// the caller's deadline, the read's own timeout, or the HTTP client's — each
// graph, value and the alerts come from the cache marked stale, and the cause
// reads "Mackerel did not answer in time", not a raw Go error.
func TestHangingMackerelServesCache(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	dl, err := e.c.Dashboards(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	pwg, _ := mackerel.DashboardByTitle(dl.Value, mackereltest.PWGDashboard)
	d, err := e.c.Dashboard(e.ctx, pwg.ID)
	if err != nil {
		t.Fatal(err)
	}
	from, to := e.period()
	var graphs []mackerel.GraphSpec
	for _, w := range d.Value.Widgets {
		if w.Type == "graph" && w.Graph.Drawable() {
			if _, err := e.c.Graph(e.ctx, w.Graph, from, to); err == nil {
				graphs = append(graphs, w.Graph)
			}
		}
	}
	if len(graphs) < 3 {
		t.Fatalf("only %d drawable graphs", len(graphs))
	}
	if _, err := e.c.AlertsOfPeriod(e.ctx, from, to, nil); err != nil {
		t.Fatal(err)
	}

	e.fake.SetLatency(time.Minute) // hangs (each request honours its context)
	httpTimeout := &http.Client{Timeout: 100 * time.Millisecond}
	short := func(c mackerel.Config) mackerel.Config { c.ReadTimeout = 150 * time.Millisecond; return c }
	clients := map[string]*mackerel.Client{
		"caller deadline": e.c,
		"read timeout":    e.clientWith(t, short),
		"HTTP timeout": e.clientWith(t, func(c mackerel.Config) mackerel.Config {
			c.HTTPClient = httpTimeout
			return c
		}),
	}
	for name, c := range clients {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if name == "caller deadline" {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, 200*time.Millisecond)
				defer cancel()
			}
			for _, g := range graphs {
				res, err := c.Graph(ctx, g, from, to)
				if err != nil || !res.Stale || len(res.Value.Series) == 0 {
					t.Fatalf("graph %s: stale=%v %d series, err %v; want the cached graph", g.Key(), res.Stale, len(res.Value.Series), err)
				}
				wantPlain(t, res.Cause, res.StaleNote(e.fake.Now()))
			}
			al, err := c.AlertsOfPeriod(ctx, from, to, nil)
			if err != nil || !al.Stale || len(al.Value) == 0 {
				t.Fatalf("alerts: stale=%v %d, err %v; want the cached alerts", al.Stale, len(al.Value), err)
			}
			wantPlain(t, al.Cause, al.StaleNote(e.fake.Now()))
		})
	}
}

func wantPlain(t *testing.T, cause error, note string) {
	t.Helper()
	if !errors.Is(cause, mackerel.ErrTimeout) || !errors.Is(cause, mackerel.ErrUnavailable) {
		t.Fatalf("cause %v: want ErrTimeout", cause)
	}
	for _, raw := range []string{"deadline exceeded", "Client.Timeout", "context"} {
		if strings.Contains(note, raw) {
			t.Fatalf("banner %q shows a raw error (%q)", note, raw)
		}
	}
	if !strings.Contains(note, "did not answer in time") {
		t.Fatalf("banner %q does not say Mackerel was too slow", note)
	}
}
