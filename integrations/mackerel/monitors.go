package mackerel

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// Monitor is a Mackerel monitor, flattened to the fields pwg shows.
type Monitor struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Type     string   `json:"type"` // host, service, external, expression, query, connectivity, anomalyDetection
	Memo     string   `json:"memo,omitempty"`
	Target   string   `json:"target,omitempty"` // metric, expression, query or URL
	Service  string   `json:"service,omitempty"`
	Operator string   `json:"operator,omitempty"`
	Warning  *float64 `json:"warning,omitempty"`
	Critical *float64 `json:"critical,omitempty"`
	// Duration is minutes (host), points (service) or the response-time
	// duration (external); 0 when the type has none.
	Duration uint64   `json:"duration,omitempty"`
	Scopes   []string `json:"scopes,omitempty"`
	IsMute   bool     `json:"isMute,omitempty"`
}

// HasThresholds reports whether warning/critical/duration can be changed.
func (m Monitor) HasThresholds() bool {
	switch m.Type {
	case "host", "service", "external", "expression", "query":
		return true
	}
	return false
}

// HasDuration reports whether the monitor type has a duration.
func (m Monitor) HasDuration() bool {
	return m.Type == "host" || m.Type == "service" || m.Type == "external"
}

// ThresholdText describes thresholds and duration, e.g.
// "> warning 70 / critical 85, duration 5".
func (m Monitor) ThresholdText() string {
	if !m.HasThresholds() {
		return ""
	}
	var b strings.Builder
	if m.Operator != "" {
		b.WriteString(m.Operator + " ")
	}
	b.WriteString("warning " + FormatThreshold(m.Warning) + " / critical " + FormatThreshold(m.Critical))
	if m.HasDuration() {
		fmt.Fprintf(&b, ", duration %d", m.Duration)
	}
	return b.String()
}

// FormatThreshold formats a threshold; nil is "none".
func FormatThreshold(v *float64) string {
	if v == nil {
		return "none"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func monitorFromAPI(m mkr.Monitor) Monitor {
	out := Monitor{ID: m.MonitorID(), Name: m.MonitorName(), Type: m.MonitorType()}
	switch v := m.(type) {
	case *mkr.MonitorHostMetric:
		out.Memo, out.Target, out.Operator, out.Warning, out.Critical, out.Duration = v.Memo, v.Metric, v.Operator, v.Warning, v.Critical, v.Duration
		out.Scopes, out.IsMute = v.Scopes, v.IsMute
	case *mkr.MonitorServiceMetric:
		out.Memo, out.Target, out.Operator, out.Warning, out.Critical, out.Duration = v.Memo, v.Metric, v.Operator, v.Warning, v.Critical, v.Duration
		out.Service, out.IsMute = v.Service, v.IsMute
	case *mkr.MonitorExternalHTTP:
		out.Memo, out.Target, out.Service, out.IsMute = v.Memo, v.URL, v.Service, v.IsMute
		out.Warning, out.Critical = v.ResponseTimeWarning, v.ResponseTimeCritical
		if v.ResponseTimeDuration != nil {
			out.Duration = *v.ResponseTimeDuration
		}
		out.Operator = ">"
	case *mkr.MonitorExpression:
		out.Memo, out.Target, out.Operator, out.Warning, out.Critical, out.IsMute = v.Memo, v.Expression, v.Operator, v.Warning, v.Critical, v.IsMute
	case *mkr.MonitorQuery:
		out.Memo, out.Target, out.Operator, out.Warning, out.Critical, out.IsMute = v.Memo, v.Query, v.Operator, v.Warning, v.Critical, v.IsMute
	case *mkr.MonitorConnectivity:
		out.Memo, out.Scopes, out.IsMute = v.Memo, v.Scopes, v.IsMute
	case *mkr.MonitorAnomalyDetection:
		out.Memo, out.Scopes, out.IsMute = v.Memo, v.Scopes, v.IsMute
	}
	return out
}

// Monitors lists the monitors of the organisation.
func (c *Client) Monitors(ctx context.Context) (Fetched[[]Monitor], error) {
	return read(ctx, c, "monitors", func(ctx context.Context) ([]Monitor, error) {
		ms, err := c.api.FindMonitorsContext(ctx)
		if err != nil {
			return nil, fmt.Errorf("list monitors: %w", classify(err))
		}
		out := make([]Monitor, 0, len(ms))
		for _, m := range ms {
			out = append(out, monitorFromAPI(m))
		}
		return out, nil
	})
}

// Monitor reads one monitor.
func (c *Client) Monitor(ctx context.Context, id string) (Fetched[Monitor], error) {
	return read(ctx, c, "monitor:"+id, func(ctx context.Context) (Monitor, error) {
		m, err := c.api.GetMonitorContext(ctx, id)
		if err != nil {
			return Monitor{}, fmt.Errorf("read monitor %s: %w", id, classify(err))
		}
		return monitorFromAPI(m), nil
	})
}

// ThresholdChange is a change of a monitor's thresholds. Nil fields stay
// as they are; Clear* removes a threshold.
type ThresholdChange struct {
	Warning       *float64
	Critical      *float64
	ClearWarning  bool
	ClearCritical bool
	Duration      *uint64
}

// UpdateThresholds reads the monitor, applies ch and writes the whole
// monitor back (Mackerel's PUT replaces the object). It returns the monitor
// before and after.
func (c *Client) UpdateThresholds(ctx context.Context, id string, ch ThresholdChange) (before, after Monitor, err error) {
	if c.Offline() {
		return Monitor{}, Monitor{}, fmt.Errorf("update monitor %s: %w", id, ErrOffline)
	}
	m, err := c.monitorForWrite(ctx, id)
	if err != nil {
		return Monitor{}, Monitor{}, fmt.Errorf("read monitor %s: %w", id, err)
	}
	before = monitorFromAPI(m)
	set := func(dst **float64, v *float64, clear bool) {
		switch {
		case clear:
			*dst = nil
		case v != nil:
			x := *v
			*dst = &x
		}
	}
	switch v := m.(type) {
	case *mkr.MonitorHostMetric:
		set(&v.Warning, ch.Warning, ch.ClearWarning)
		set(&v.Critical, ch.Critical, ch.ClearCritical)
		if ch.Duration != nil {
			v.Duration = *ch.Duration
		}
	case *mkr.MonitorServiceMetric:
		set(&v.Warning, ch.Warning, ch.ClearWarning)
		set(&v.Critical, ch.Critical, ch.ClearCritical)
		if ch.Duration != nil {
			v.Duration = *ch.Duration
		}
	case *mkr.MonitorExternalHTTP:
		set(&v.ResponseTimeWarning, ch.Warning, ch.ClearWarning)
		set(&v.ResponseTimeCritical, ch.Critical, ch.ClearCritical)
		if ch.Duration != nil {
			d := *ch.Duration
			v.ResponseTimeDuration = &d
		}
	case *mkr.MonitorExpression:
		set(&v.Warning, ch.Warning, ch.ClearWarning)
		set(&v.Critical, ch.Critical, ch.ClearCritical)
	case *mkr.MonitorQuery:
		set(&v.Warning, ch.Warning, ch.ClearWarning)
		set(&v.Critical, ch.Critical, ch.ClearCritical)
	default:
		return before, Monitor{}, fmt.Errorf("change thresholds of %q: %w (%s)", before.Name, ErrUnsupported, before.Type)
	}
	if ch.Duration != nil && !before.HasDuration() {
		return before, Monitor{}, fmt.Errorf("change duration of %q: %w (%s)", before.Name, ErrUnsupported, before.Type)
	}
	after, err = c.writeMonitor(ctx, id, m)
	if err != nil {
		return before, Monitor{}, fmt.Errorf("update monitor %q: %w", before.Name, err)
	}
	return before, after, nil
}

// DeleteMonitor deletes a monitor and returns it as it was.
func (c *Client) DeleteMonitor(ctx context.Context, id string) (Monitor, error) {
	if c.Offline() {
		return Monitor{}, fmt.Errorf("delete monitor %s: %w", id, ErrOffline)
	}
	m, err := retryDo(ctx, c.retry, true, func(ctx context.Context) (mkr.Monitor, error) {
		m, err := c.api.DeleteMonitorContext(ctx, id)
		return m, classify(err)
	})
	if err != nil {
		return Monitor{}, fmt.Errorf("delete monitor %s: %w", id, err)
	}
	out := monitorFromAPI(m)
	c.refreshMonitorCache(ctx, out, true)
	return out, nil
}

// monitorForWrite reads a monitor as the library has it, with retries, for
// a read-change-write (Mackerel's PUT replaces the whole monitor).
func (c *Client) monitorForWrite(ctx context.Context, id string) (mkr.Monitor, error) {
	return retryDo(ctx, c.retry, true, func(ctx context.Context) (mkr.Monitor, error) {
		m, err := c.api.GetMonitorContext(ctx, id)
		return m, classify(err)
	})
}

// writeMonitor writes the whole monitor m back, with retries, and keeps
// the cache in step; it returns the monitor as Mackerel now has it.
func (c *Client) writeMonitor(ctx context.Context, id string, m mkr.Monitor) (Monitor, error) {
	res, err := retryDo(ctx, c.retry, true, func(ctx context.Context) (mkr.Monitor, error) {
		r, err := c.api.UpdateMonitorContext(ctx, id, m)
		return r, classify(err)
	})
	if err != nil {
		return Monitor{}, err
	}
	after := monitorFromAPI(res)
	c.refreshMonitorCache(ctx, after, false)
	return after, nil
}

// refreshMonitorCache keeps the cached monitor list in step with a write.
func (c *Client) refreshMonitorCache(ctx context.Context, m Monitor, deleted bool) {
	if c.cache == nil {
		return
	}
	var list []Monitor
	at, ok, err := c.cache.get(ctx, "monitors", &list)
	if err != nil || !ok {
		return
	}
	out := list[:0]
	for _, x := range list {
		switch {
		case x.ID != m.ID:
			out = append(out, x)
		case !deleted:
			out = append(out, m)
		}
	}
	_ = c.cache.put(ctx, "monitors", out, at)
	if deleted {
		_ = c.cache.delete(ctx, "monitor:"+m.ID)
	} else {
		_ = c.cache.put(ctx, "monitor:"+m.ID, m, c.now())
	}
}
