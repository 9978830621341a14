package mackerel

import (
	"context"
	"fmt"
	"net/url"
	"slices"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// Service is a Mackerel service with its role names.
type Service struct {
	Name  string   `json:"name"`
	Memo  string   `json:"memo,omitempty"`
	Roles []string `json:"roles"`
}

// Host is a Mackerel host.
type Host struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	DisplayName string   `json:"displayName,omitempty"`
	Status      string   `json:"status"`
	Roles       []string `json:"roles"` // service:role
}

// Services lists the services.
func (c *Client) Services(ctx context.Context) (Fetched[[]Service], error) {
	return read(ctx, c, "services", func(ctx context.Context) ([]Service, error) {
		ss, err := c.api.FindServicesContext(ctx)
		if err != nil {
			return nil, fmt.Errorf("list services: %w", classify(err))
		}
		out := make([]Service, 0, len(ss))
		for _, s := range ss {
			out = append(out, Service{Name: s.Name, Memo: s.Memo, Roles: s.Roles})
		}
		return out, nil
	})
}

// Roles lists the role names of a service.
func (c *Client) Roles(ctx context.Context, service string) (Fetched[[]string], error) {
	return read(ctx, c, "roles:"+service, func(ctx context.Context) ([]string, error) {
		rs, err := c.api.FindRolesContext(ctx, service)
		if err != nil {
			return nil, fmt.Errorf("roles of %s: %w", service, classify(err))
		}
		out := make([]string, 0, len(rs))
		for _, r := range rs {
			out = append(out, r.Name)
		}
		return out, nil
	})
}

// Hosts lists the hosts of a service (all hosts when service is ""),
// limited to roles when given.
func (c *Client) Hosts(ctx context.Context, service string, roles ...string) (Fetched[[]Host], error) {
	key := "hosts:" + service + ":" + fmt.Sprint(roles)
	return read(ctx, c, key, func(ctx context.Context) ([]Host, error) {
		hs, err := c.api.FindHostsContext(ctx, &mkr.FindHostsParam{Service: service, Roles: roles})
		if err != nil {
			return nil, fmt.Errorf("list hosts: %w", classify(err))
		}
		out := make([]Host, 0, len(hs))
		for _, h := range hs {
			rs := h.GetRoleFullnames()
			slices.Sort(rs)
			out = append(out, Host{ID: h.ID, Name: h.Name, DisplayName: h.DisplayName, Status: h.Status, Roles: rs})
		}
		slices.SortFunc(out, func(a, b Host) int {
			if a.Name < b.Name {
				return -1
			}
			if a.Name > b.Name {
				return 1
			}
			return 0
		})
		return out, nil
	})
}

// Links builds URLs into Mackerel's web UI for an organisation.
type Links struct {
	Web string // e.g. https://mackerel.io
	Org string
}

// Links returns the link builder for org.
func (c *Client) Links(org string) Links { return Links{Web: c.webURL, Org: org} }

func (l Links) base() string { return l.Web + "/orgs/" + url.PathEscape(l.Org) }

// Alert is the page of an alert.
func (l Links) Alert(id string) string { return l.base() + "/alerts/" + url.PathEscape(id) }

// Monitor is the page of a monitor.
func (l Links) Monitor(id string) string { return l.base() + "/monitors/" + url.PathEscape(id) }

// Dashboard is the page of a custom dashboard.
func (l Links) Dashboard(urlPath string) string {
	return l.base() + "/dashboards/" + url.PathEscape(urlPath)
}

// Graph is the page where Mackerel shows a graph: the host, role or service
// page; for expression and query graphs, dashboardURLPath's dashboard.
func (l Links) Graph(g GraphSpec, dashboardURLPath string) string {
	switch g.Type {
	case "host":
		return l.base() + "/hosts/" + url.PathEscape(g.HostID)
	case "service":
		return l.base() + "/services/" + url.PathEscape(g.ServiceName)
	case "role":
		if svc, role, err := splitRole(g.RoleFullName); err == nil {
			return l.base() + "/services/" + url.PathEscape(svc) + "/" + url.PathEscape(role)
		}
	}
	return l.Dashboard(dashboardURLPath)
}
