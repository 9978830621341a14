package mackereltest

import (
	"math"
	"net/http"
	"slices"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// Services, roles, hosts, dashboards and metric values.

func (s *Server) listServices(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	list := append([]*mkr.Service{}, s.services...)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"services": list})
}

// hasService reports whether the service exists; callers hold s.mu.
func (s *Server) hasService(name string) bool {
	return slices.ContainsFunc(s.services, func(sv *mkr.Service) bool { return sv.Name == name })
}

func (s *Server) listRoles(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	s.mu.Lock()
	ok := s.hasService(name)
	list := append([]*mkr.Role{}, s.roles[name]...)
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "Service not found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"roles": list})
}

func (s *Server) listHosts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	service, roles, name, statuses := q.Get("service"), q["role"], q.Get("name"), q["status"]
	if len(roles) > 0 && service == "" {
		writeError(w, http.StatusBadRequest, "role requires service")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list := []*mkr.Host{}
	for _, h := range s.hosts {
		if name != "" && h.Name != name {
			continue
		}
		if len(statuses) > 0 && !slices.Contains(statuses, h.Status) {
			continue
		}
		if service != "" {
			hr, ok := h.Roles[service]
			if !ok {
				continue
			}
			if len(roles) > 0 && !slices.ContainsFunc(roles, func(r string) bool { return slices.Contains(hr, r) }) {
				continue
			}
		}
		list = append(list, h)
	}
	writeJSON(w, http.StatusOK, map[string]any{"hosts": list})
}

// host returns the host with id; callers hold s.mu.
func (s *Server) host(id string) *mkr.Host {
	for _, h := range s.hosts {
		if h.ID == id {
			return h
		}
	}
	return nil
}

func (s *Server) getHost(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	h := s.host(r.PathValue("id"))
	s.mu.Unlock()
	if h == nil {
		writeError(w, http.StatusNotFound, "Host not found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"host": h})
}

func (s *Server) hostMetricNames(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	h := s.host(id)
	list := names(s.model.host[id])
	s.mu.Unlock()
	if h == nil {
		writeError(w, http.StatusNotFound, "Host not found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"names": list})
}

func (s *Server) serviceMetricNames(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	s.mu.Lock()
	ok := s.hasService(name)
	list := names(s.model.service[name])
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "Service not found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"names": list})
}

// metricRange reads name, from and to, answering 400 when they are wrong.
func metricRange(w http.ResponseWriter, r *http.Request) (name string, from, to int64, ok bool) {
	name = r.URL.Query().Get("name")
	if name == "" {
		writeError(w, http.StatusBadRequest, "name is required")
		return "", 0, 0, false
	}
	var err error
	if from, err = epochParam(r, "from"); err == nil {
		to, err = epochParam(r, "to")
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return "", 0, 0, false
	}
	if from > to {
		writeError(w, http.StatusBadRequest, "from must not be after to")
		return "", 0, 0, false
	}
	return name, from, to, true
}

func (s *Server) hostMetrics(w http.ResponseWriter, r *http.Request) {
	name, from, to, ok := metricRange(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	s.mu.Lock()
	h := s.host(id)
	sr, has := s.model.host[id][name]
	s.mu.Unlock()
	if h == nil {
		writeError(w, http.StatusNotFound, "Host not found")
		return
	}
	pts := []point{}
	if has {
		pts = s.model.values(sr, from, to, s.Now().Unix())
	}
	writeJSON(w, http.StatusOK, map[string]any{"metrics": pts})
}

func (s *Server) serviceMetrics(w http.ResponseWriter, r *http.Request) {
	name, from, to, ok := metricRange(w, r)
	if !ok {
		return
	}
	svc := r.PathValue("name")
	s.mu.Lock()
	exists := s.hasService(svc)
	sr, has := s.model.service[svc][name]
	s.mu.Unlock()
	if !exists {
		writeError(w, http.StatusNotFound, "Service not found")
		return
	}
	pts := []point{}
	if has {
		pts = s.model.values(sr, from, to, s.Now().Unix())
	}
	writeJSON(w, http.StatusOK, map[string]any{"metrics": pts})
}

func (s *Server) latestMetrics(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	hosts, metricNames := q["hostId"], q["name"]
	if len(hosts) == 0 || len(metricNames) == 0 {
		writeError(w, http.StatusBadRequest, "hostId and name are required")
		return
	}
	now := s.Now().Unix()
	out := map[string]map[string]*mkr.MetricValue{}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range hosts {
		if s.host(h) == nil {
			writeError(w, http.StatusNotFound, "Host not found")
			return
		}
		out[h] = map[string]*mkr.MetricValue{}
		for _, n := range metricNames {
			sr, ok := s.model.host[h][n]
			if !ok {
				out[h][n] = nil
				continue
			}
			t := now / 60 * 60
			if v := sr.fn(t); !math.IsNaN(v) {
				out[h][n] = &mkr.MetricValue{Name: n, Time: t, Value: round2(v)}
			} else {
				out[h][n] = nil
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"tsdbLatest": out})
}

func (s *Server) listDashboards(w http.ResponseWriter, r *http.Request) {
	type summary struct {
		ID        string `json:"id"`
		Title     string `json:"title"`
		URLPath   string `json:"urlPath"`
		CreatedAt int64  `json:"createdAt"`
		UpdatedAt int64  `json:"updatedAt"`
		Memo      string `json:"memo"`
	}
	s.mu.Lock()
	list := []summary{}
	for _, d := range s.dashboards {
		list = append(list, summary{d.ID, d.Title, d.URLPath, d.CreatedAt, d.UpdatedAt, d.Memo})
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"dashboards": list})
}

func (s *Server) getDashboard(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	var d *mkr.Dashboard
	for _, x := range s.dashboards {
		if x.ID == id {
			d = x
		}
	}
	s.mu.Unlock()
	if d == nil {
		writeError(w, http.StatusNotFound, "Dashboard not found")
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// AddDashboard adds a custom dashboard (an id and URL path are made when
// empty) and returns its id.
func (s *Server) AddDashboard(d mkr.Dashboard) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d.ID == "" {
		d.ID = s.newID("dashboard")
	}
	if d.URLPath == "" {
		d.URLPath = s.newID("dashboard-url")
	}
	s.dashboards = append(s.dashboards, &d)
	return d.ID
}

// HostID returns the id of the seeded host called name, "" if none.
func (s *Server) HostID(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.hosts {
		if h.Name == name {
			return h.ID
		}
	}
	return ""
}
