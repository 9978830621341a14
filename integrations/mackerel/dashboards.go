package mackerel

import (
	"context"
	"fmt"
	"time"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// GridColumns is the width of Mackerel's dashboard grid.
const GridColumns = 24

// Dashboard is a custom dashboard; the list of dashboards leaves Widgets empty.
type Dashboard struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	URLPath   string    `json:"urlPath"`
	Memo      string    `json:"memo,omitempty"`
	UpdatedAt time.Time `json:"updatedAt"`
	Widgets   []Widget  `json:"widgets,omitempty"`
}

// Widget is one widget of a dashboard.
type Widget struct {
	Type   string `json:"type"` // graph, value, markdown, alertStatus
	Title  string `json:"title"`
	Layout Layout `json:"layout"`
	// Graph is what a graph widget draws; Metric what a value widget shows.
	Graph          GraphSpec       `json:"graph"`
	Metric         GraphSpec       `json:"metric"`
	Markdown       string          `json:"markdown,omitempty"`
	Suffix         string          `json:"suffix,omitempty"`
	FractionSize   *int64          `json:"fractionSize,omitempty"`
	RoleFullName   string          `json:"roleFullname,omitempty"` // alertStatus
	ReferenceLines []ReferenceLine `json:"referenceLines,omitempty"`
}

// Layout is a widget's place on the 24-column grid, in grid units.
type Layout struct {
	X      int `json:"x"`
	Y      int `json:"y"`
	Width  int `json:"width"`
	Height int `json:"height"`
}

// ReferenceLine is a horizontal line drawn on a graph.
type ReferenceLine struct {
	Label string  `json:"label"`
	Value float64 `json:"value"`
}

// GraphSpec says what a graph or value widget shows.
type GraphSpec struct {
	Type         string `json:"type"` // host, role, service, expression, query (or unknown)
	HostID       string `json:"hostId,omitempty"`
	RoleFullName string `json:"roleFullname,omitempty"` // service:role
	ServiceName  string `json:"serviceName,omitempty"`
	Name         string `json:"name,omitempty"` // graph or metric name
	Expression   string `json:"expression,omitempty"`
	Query        string `json:"query,omitempty"`
}

// Drawable reports whether pwg can draw the graph from metric values; the
// API cannot evaluate expression and query graphs.
func (g GraphSpec) Drawable() bool {
	switch g.Type {
	case "host":
		return g.HostID != "" && g.Name != ""
	case "service":
		return g.ServiceName != "" && g.Name != ""
	case "role":
		return g.RoleFullName != "" && g.Name != ""
	}
	return false
}

// Key identifies the graph in the cache.
func (g GraphSpec) Key() string {
	return g.Type + "|" + g.HostID + "|" + g.RoleFullName + "|" + g.ServiceName + "|" + g.Name
}

func specFromGraph(g mkr.Graph) GraphSpec {
	return GraphSpec{Type: g.Type, HostID: g.HostID, RoleFullName: g.RoleFullName, ServiceName: g.ServiceName,
		Name: g.Name, Expression: g.Expression, Query: g.Query}
}

func specFromMetric(m mkr.Metric) GraphSpec {
	return GraphSpec{Type: m.Type, HostID: m.HostID, ServiceName: m.ServiceName, Name: m.Name,
		Expression: m.Expression, Query: m.Query}
}

func dashboardFromAPI(d *mkr.Dashboard) Dashboard {
	out := Dashboard{ID: d.ID, Title: d.Title, URLPath: d.URLPath, Memo: d.Memo, UpdatedAt: time.Unix(d.UpdatedAt, 0)}
	for _, w := range d.Widgets {
		rl := make([]ReferenceLine, 0, len(w.ReferenceLines))
		for _, r := range w.ReferenceLines {
			rl = append(rl, ReferenceLine{Label: r.Label, Value: r.Value})
		}
		out.Widgets = append(out.Widgets, Widget{
			Type: w.Type, Title: w.Title,
			Layout: Layout{X: int(w.Layout.X), Y: int(w.Layout.Y), Width: int(w.Layout.Width), Height: int(w.Layout.Height)},
			Graph:  specFromGraph(w.Graph), Metric: specFromMetric(w.Metric),
			Markdown: w.Markdown, Suffix: w.Suffix, FractionSize: w.FractionSize, RoleFullName: w.RoleFullName,
			ReferenceLines: rl,
		})
	}
	return out
}

// Dashboards lists the custom dashboards (without widgets).
func (c *Client) Dashboards(ctx context.Context) (Fetched[[]Dashboard], error) {
	return read(ctx, c, "dashboards", func(ctx context.Context) ([]Dashboard, error) {
		ds, err := c.api.FindDashboardsContext(ctx)
		if err != nil {
			return nil, fmt.Errorf("list dashboards: %w", classify(err))
		}
		out := make([]Dashboard, 0, len(ds))
		for _, d := range ds {
			out = append(out, dashboardFromAPI(d))
		}
		return out, nil
	})
}

// Dashboard reads one dashboard with its widgets.
func (c *Client) Dashboard(ctx context.Context, id string) (Fetched[Dashboard], error) {
	return read(ctx, c, "dashboard:"+id, func(ctx context.Context) (Dashboard, error) {
		d, err := c.api.FindDashboardContext(ctx, id)
		if err != nil {
			return Dashboard{}, fmt.Errorf("read dashboard %s: %w", id, classify(err))
		}
		return dashboardFromAPI(d), nil
	})
}

// DashboardByTitle finds a dashboard by title in a list, e.g. "PWG".
func DashboardByTitle(list []Dashboard, title string) (Dashboard, bool) {
	for _, d := range list {
		if d.Title == title {
			return d, true
		}
	}
	return Dashboard{}, false
}
