package mackerel

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// Alert is one Mackerel alert.
type Alert struct {
	ID        string    `json:"id"`
	Status    string    `json:"status"` // OK (closed), WARNING, CRITICAL, UNKNOWN
	MonitorID string    `json:"monitorId"`
	Type      string    `json:"type"` // monitor type
	HostID    string    `json:"hostId,omitempty"`
	Value     float64   `json:"value,omitempty"`
	Message   string    `json:"message,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	OpenedAt  time.Time `json:"openedAt"`
	ClosedAt  time.Time `json:"closedAt"` // zero while open
}

// Open reports whether the alert is still open.
func (a Alert) Open() bool { return a.Status != "OK" }

func alertFromAPI(a *mkr.Alert) Alert {
	out := Alert{ID: a.ID, Status: a.Status, MonitorID: a.MonitorID, Type: a.Type, HostID: a.HostID,
		Value: a.Value, Message: a.Message, Reason: a.Reason, OpenedAt: time.Unix(a.OpenedAt, 0)}
	if a.ClosedAt != 0 {
		out.ClosedAt = time.Unix(a.ClosedAt, 0)
	}
	return out
}

const alertsCoverageKey = "alerts.coverage"

type coverage struct {
	From int64 `json:"from"`
}

// AlertsOfPeriod returns the alerts opened in [from, to] and the alerts
// still open, newest first. It follows nextId pages until the period is
// covered. progress, when not nil, is called with the number of alerts read
// so far after each page.
func (c *Client) AlertsOfPeriod(ctx context.Context, from, to time.Time, progress func(read int)) (Fetched[[]Alert], error) {
	live := func(ctx context.Context) ([]Alert, error) {
		var out []Alert
		seen := map[string]bool{}
		read := 0
		// each page is one read, bounded by the read timeout
		page := func(op func(context.Context) (*mkr.AlertsResp, error)) (*mkr.AlertsResp, error) {
			rctx, cancel := context.WithTimeout(ctx, c.readTO)
			defer cancel()
			return retryDo(rctx, c.retry, true, op)
		}
		resp, err := page(func(ctx context.Context) (*mkr.AlertsResp, error) {
			r, err := c.api.FindWithClosedAlertsContext(ctx)
			return r, classify(err)
		})
		for {
			if err != nil {
				return nil, fmt.Errorf("list alerts: %w", err)
			}
			oldest := int64(1<<62 - 1)
			for _, a := range resp.Alerts {
				read++
				oldest = min(oldest, a.OpenedAt)
				al := alertFromAPI(a)
				if (!al.OpenedAt.Before(from) && !al.OpenedAt.After(to)) || al.Open() {
					out = append(out, al)
					seen[al.ID] = true
				}
			}
			if progress != nil {
				progress(read)
			}
			if resp.NextID == "" || oldest < from.Unix() {
				break
			}
			next := resp.NextID
			resp, err = page(func(ctx context.Context) (*mkr.AlertsResp, error) {
				r, err := c.api.FindWithClosedAlertsByNextIDContext(ctx, next)
				return r, classify(err)
			})
		}
		// alerts opened before the period and still open are on later pages
		open, err := page(func(ctx context.Context) (*mkr.AlertsResp, error) {
			r, err := c.api.FindAlertsContext(ctx)
			return r, classify(err)
		})
		if err != nil {
			return nil, fmt.Errorf("list open alerts: %w", err)
		}
		for _, a := range open.Alerts {
			if !seen[a.ID] {
				out = append(out, alertFromAPI(a))
			}
		}
		sortAlerts(out)
		return out, nil
	}
	var alerts []Alert
	err := ErrOffline
	if !c.Offline() {
		alerts, err = live(ctx)
	}
	now := c.now()
	if err == nil {
		if c.cache != nil {
			if cerr := c.cache.putAlerts(ctx, alerts, now); cerr == nil {
				_ = c.cache.forgetOpenExcept(ctx, alerts)
				_ = c.cache.put(ctx, alertsCoverageKey, coverage{From: from.Unix()}, now)
			}
		}
		return Fetched[[]Alert]{Value: alerts, FetchedAt: now}, nil
	}
	err = plainTimeout(err)
	if errors.Is(err, context.Canceled) || c.cache == nil {
		return Fetched[[]Alert]{}, err
	}
	ctx = context.WithoutCancel(ctx) // the cache is local: read past the deadline too
	var cov coverage
	at, ok, cerr := c.cache.get(ctx, alertsCoverageKey, &cov)
	if cerr != nil || !ok {
		return Fetched[[]Alert]{}, fmt.Errorf("%w (%w)", err, ErrNotCached)
	}
	cached, cerr := c.cache.alerts(ctx, from, to)
	if cerr != nil {
		return Fetched[[]Alert]{}, fmt.Errorf("%w; %w", err, cerr)
	}
	if cov.From > from.Unix() {
		err = fmt.Errorf("%w; the cache holds alerts since %s only", err, time.Unix(cov.From, 0).Format(time.DateOnly))
	}
	return Fetched[[]Alert]{Value: cached, FetchedAt: at, Stale: true, Cause: err}, nil
}

func sortAlerts(as []Alert) {
	sort.SliceStable(as, func(i, j int) bool {
		if !as[i].OpenedAt.Equal(as[j].OpenedAt) {
			return as[i].OpenedAt.After(as[j].OpenedAt)
		}
		return as[i].ID > as[j].ID
	})
}

// CloseAlert closes an open alert with a reason and returns the closed alert.
func (c *Client) CloseAlert(ctx context.Context, alertID, reason string) (Alert, error) {
	if c.Offline() {
		return Alert{}, fmt.Errorf("close alert %s: %w", alertID, ErrOffline)
	}
	if strings.TrimSpace(reason) == "" {
		return Alert{}, fmt.Errorf("close alert %s: %w: a reason is required", alertID, ErrRejected)
	}
	a, err := retryDo(ctx, c.retry, true, func(ctx context.Context) (*mkr.Alert, error) {
		a, err := c.api.CloseAlertContext(ctx, alertID, reason)
		return a, classify(err)
	})
	if err != nil {
		return Alert{}, fmt.Errorf("close alert %s: %w", alertID, err)
	}
	out := alertFromAPI(a)
	if c.cache != nil {
		_ = c.cache.putAlerts(ctx, []Alert{out}, c.now())
	}
	return out, nil
}

// AlertGroup is the alerts of one monitor in a period.
type AlertGroup struct {
	MonitorID   string
	MonitorName string // the monitor's name, or "(deleted monitor …)"
	MonitorType string
	Monitor     *Monitor // nil when the monitor is unknown (deleted)
	Count       int
	Open        int
	Closed      int
	First, Last time.Time
	Alerts      []Alert // newest first
}

// GroupAlerts groups alerts by monitor, most alerts first (then by name).
func GroupAlerts(alerts []Alert, monitors []Monitor) []AlertGroup {
	byID := map[string]*Monitor{}
	for i := range monitors {
		byID[monitors[i].ID] = &monitors[i]
	}
	groups := map[string]*AlertGroup{}
	var order []string
	for _, a := range alerts {
		g := groups[a.MonitorID]
		if g == nil {
			g = &AlertGroup{MonitorID: a.MonitorID, MonitorType: a.Type, First: a.OpenedAt, Last: a.OpenedAt}
			if m := byID[a.MonitorID]; m != nil {
				g.Monitor, g.MonitorName = m, m.Name
			} else {
				g.MonitorName = fmt.Sprintf("(deleted monitor %s)", a.MonitorID)
			}
			groups[a.MonitorID] = g
			order = append(order, a.MonitorID)
		}
		g.Count++
		if a.Open() {
			g.Open++
		} else {
			g.Closed++
		}
		if a.OpenedAt.Before(g.First) {
			g.First = a.OpenedAt
		}
		if a.OpenedAt.After(g.Last) {
			g.Last = a.OpenedAt
		}
		g.Alerts = append(g.Alerts, a)
	}
	out := make([]AlertGroup, 0, len(order))
	for _, id := range order {
		sortAlerts(groups[id].Alerts)
		out = append(out, *groups[id])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].MonitorName < out[j].MonitorName
	})
	return out
}
