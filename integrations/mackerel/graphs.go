package mackerel

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// Point is a metric value at a time (epoch seconds).
type Point struct {
	T int64   `json:"t"`
	V float64 `json:"v"`
}

// Series is one line of a graph.
type Series struct {
	Label  string  `json:"label"`
	Points []Point `json:"points"`
}

// GraphData is what a graph draws over a period.
type GraphData struct {
	Spec        GraphSpec    `json:"spec"`
	From        time.Time    `json:"from"`
	To          time.Time    `json:"to"`
	Series      []Series     `json:"series"`
	Annotations []Annotation `json:"annotations,omitempty"`
}

// graphName reports whether metric belongs to a graph called name: the
// metric itself, name + one more dotted segment, or a glob where '*'
// matches one segment.
func graphName(name, metric string) bool {
	if name == metric {
		return true
	}
	ns, ms := strings.Split(name, "."), strings.Split(metric, ".")
	if strings.Contains(name, "*") {
		if len(ns) != len(ms) {
			return false
		}
		for i := range ns {
			if ns[i] != "*" && ns[i] != ms[i] {
				return false
			}
		}
		return true
	}
	return len(ms) == len(ns)+1 && strings.HasPrefix(metric, name+".")
}

func matching(name string, metrics []string) []string {
	var out []string
	for _, m := range metrics {
		if graphName(name, m) {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}

func toPoints(vs []mkr.MetricValue) []Point {
	out := make([]Point, 0, len(vs))
	for _, v := range vs {
		if f, ok := number(v.Value); ok {
			out = append(out, Point{T: v.Time, V: f})
		}
	}
	return out
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	}
	return 0, false
}

func splitRole(full string) (service, role string, err error) {
	service, role, ok := strings.Cut(full, ":")
	if !ok || service == "" || role == "" {
		return "", "", fmt.Errorf("%w: role %q is not service:role", ErrRejected, full)
	}
	return service, role, nil
}

// Graph reads the metric values of a host, role or service graph for
// [from, to], with the graph annotations that Mackerel draws on it (service
// and role graphs).
func (c *Client) Graph(ctx context.Context, g GraphSpec, from, to time.Time) (Fetched[GraphData], error) {
	if !g.Drawable() {
		return Fetched[GraphData]{}, fmt.Errorf("graph %s: %w: the API cannot evaluate %s graphs", g.Name, ErrUnsupported, g.Type)
	}
	key := fmt.Sprintf("graph:%s:%d:%d", g.Key(), from.Unix(), to.Unix())
	return read(ctx, c, key, func(ctx context.Context) (GraphData, error) {
		data := GraphData{Spec: g, From: from, To: to}
		f, t := from.Unix(), to.Unix()
		switch g.Type {
		case "host":
			names, err := c.api.ListHostMetricNamesContext(ctx, g.HostID)
			if err != nil {
				return data, fmt.Errorf("metric names of host %s: %w", g.HostID, classify(err))
			}
			for _, n := range matching(g.Name, names) {
				vs, err := c.api.FetchHostMetricValuesContext(ctx, g.HostID, n, f, t)
				if err != nil {
					return data, fmt.Errorf("%s of host %s: %w", n, g.HostID, classify(err))
				}
				data.Series = append(data.Series, Series{Label: n, Points: toPoints(vs)})
			}
		case "service":
			names, err := c.api.ListServiceMetricNamesContext(ctx, g.ServiceName)
			if err != nil {
				return data, fmt.Errorf("metric names of service %s: %w", g.ServiceName, classify(err))
			}
			for _, n := range matching(g.Name, names) {
				vs, err := c.api.FetchServiceMetricValuesContext(ctx, g.ServiceName, n, f, t)
				if err != nil {
					return data, fmt.Errorf("%s of service %s: %w", n, g.ServiceName, classify(err))
				}
				data.Series = append(data.Series, Series{Label: n, Points: toPoints(vs)})
			}
			anns, err := c.findAnnotations(ctx, g.ServiceName, from, to)
			if err != nil {
				return data, err
			}
			data.Annotations = anns
		case "role":
			svc, role, err := splitRole(g.RoleFullName)
			if err != nil {
				return data, err
			}
			hosts, err := c.api.FindHostsContext(ctx, &mkr.FindHostsParam{Service: svc, Roles: []string{role}})
			if err != nil {
				return data, fmt.Errorf("hosts of %s: %w", g.RoleFullName, classify(err))
			}
			slices.SortFunc(hosts, func(a, b *mkr.Host) int { return strings.Compare(a.Name, b.Name) })
			for _, h := range hosts {
				names, err := c.api.ListHostMetricNamesContext(ctx, h.ID)
				if err != nil {
					return data, fmt.Errorf("metric names of host %s: %w", h.Name, classify(err))
				}
				ms := matching(g.Name, names)
				for _, n := range ms {
					vs, err := c.api.FetchHostMetricValuesContext(ctx, h.ID, n, f, t)
					if err != nil {
						return data, fmt.Errorf("%s of host %s: %w", n, h.Name, classify(err))
					}
					label := h.Name
					if len(ms) > 1 {
						label += " " + n
					}
					data.Series = append(data.Series, Series{Label: label, Points: toPoints(vs)})
				}
			}
			anns, err := c.findAnnotations(ctx, svc, from, to)
			if err != nil {
				return data, err
			}
			for _, a := range anns {
				if len(a.Roles) == 0 || slices.Contains(a.Roles, role) {
					data.Annotations = append(data.Annotations, a)
				}
			}
		}
		return data, nil
	})
}

// Value is what a value widget shows: the latest value of a metric.
type Value struct {
	Value float64   `json:"value"`
	Time  time.Time `json:"time"`
	Known bool      `json:"known"` // false when there is no value
}

// LatestValue reads the latest value of a host or service metric.
func (c *Client) LatestValue(ctx context.Context, m GraphSpec) (Fetched[Value], error) {
	if m.Type != "host" && m.Type != "service" {
		return Fetched[Value]{}, fmt.Errorf("value %s: %w: the API cannot evaluate %s metrics", m.Name, ErrUnsupported, m.Type)
	}
	return read(ctx, c, "value:"+m.Key(), func(ctx context.Context) (Value, error) {
		if m.Type == "host" {
			latest, err := c.api.FetchLatestMetricValuesContext(ctx, []string{m.HostID}, []string{m.Name})
			if err != nil {
				return Value{}, fmt.Errorf("latest %s of host %s: %w", m.Name, m.HostID, classify(err))
			}
			if mv := latest[m.HostID][m.Name]; mv != nil {
				if f, ok := number(mv.Value); ok {
					return Value{Value: f, Time: time.Unix(mv.Time, 0), Known: true}, nil
				}
			}
			return Value{}, nil
		}
		now := c.now()
		vs, err := c.api.FetchServiceMetricValuesContext(ctx, m.ServiceName, m.Name, now.Add(-3*time.Hour).Unix(), now.Unix())
		if err != nil {
			return Value{}, fmt.Errorf("latest %s of service %s: %w", m.Name, m.ServiceName, classify(err))
		}
		pts := toPoints(vs)
		if len(pts) == 0 {
			return Value{}, nil
		}
		p := pts[len(pts)-1]
		return Value{Value: p.V, Time: time.Unix(p.T, 0), Known: true}, nil
	})
}
