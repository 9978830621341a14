package mackereltest

import (
	"net/http"
	"slices"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// Downtimes returns a copy of the downtimes, in creation order.
func (s *Server) Downtimes() []mkr.Downtime {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]mkr.Downtime, 0, len(s.review().downtimes))
	for _, d := range s.review().downtimes {
		out = append(out, *d)
	}
	return out
}

func (s *Server) listDowntimes(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	list := append([]*mkr.Downtime{}, s.review().downtimes...)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"downtimes": list})
}

// validateDowntime checks what Mackerel checks of a downtime; callers hold s.mu.
func (s *Server) validateDowntime(d *mkr.Downtime) (int, string) {
	switch {
	case d.Name == "":
		return http.StatusBadRequest, "name is required"
	case len([]rune(d.Name)) > 250:
		return http.StatusBadRequest, "name must be at most 250 characters"
	case d.Start <= 0:
		return http.StatusBadRequest, "start is required"
	case d.Duration <= 0:
		return http.StatusBadRequest, "duration must be positive (minutes)"
	}
	if rc := d.Recurrence; rc != nil {
		if rc.Type < mkr.DowntimeRecurrenceTypeHourly || rc.Type > mkr.DowntimeRecurrenceTypeYearly {
			return http.StatusBadRequest, "recurrence type is invalid"
		}
		if rc.Interval < 1 {
			return http.StatusBadRequest, "recurrence interval must be at least 1"
		}
		if rc.Until != 0 && rc.Until < d.Start {
			return http.StatusBadRequest, "recurrence until must not be before start"
		}
	}
	for _, sv := range append(slices.Clone(d.ServiceScopes), d.ServiceExcludeScopes...) {
		if !s.hasService(sv) {
			return http.StatusBadRequest, "service not found: " + sv
		}
	}
	for _, rf := range append(slices.Clone(d.RoleScopes), d.RoleExcludeScopes...) {
		if !s.hasRoleFullname(rf) {
			return http.StatusBadRequest, "role not found: " + rf
		}
	}
	for _, id := range append(slices.Clone(d.MonitorScopes), d.MonitorExcludeScopes...) {
		if s.monitor(id) < 0 {
			return http.StatusBadRequest, "monitor not found: " + id
		}
	}
	return 0, ""
}

func (s *Server) hasRoleFullname(full string) bool {
	for svc, roles := range s.roles {
		for _, r := range roles {
			if svc+":"+r.Name == full {
				return true
			}
		}
	}
	return false
}

func (s *Server) createDowntime(w http.ResponseWriter, r *http.Request) {
	var d mkr.Downtime
	if !decodeBody(w, r, &d) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if code, msg := s.validateDowntime(&d); code != 0 {
		writeError(w, code, msg)
		return
	}
	d.ID = s.newID("downtime")
	s.review().downtimes = append(s.review().downtimes, &d)
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) downtimeIndex(id string) int {
	return slices.IndexFunc(s.review().downtimes, func(d *mkr.Downtime) bool { return d.ID == id })
}

func (s *Server) updateDowntime(w http.ResponseWriter, r *http.Request) {
	var d mkr.Downtime
	if !decodeBody(w, r, &d) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.downtimeIndex(r.PathValue("id"))
	if i < 0 {
		writeError(w, http.StatusNotFound, "Downtime not found")
		return
	}
	if code, msg := s.validateDowntime(&d); code != 0 {
		writeError(w, code, msg)
		return
	}
	d.ID = r.PathValue("id")
	s.review().downtimes[i] = &d
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) deleteDowntime(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.downtimeIndex(r.PathValue("id"))
	if i < 0 {
		writeError(w, http.StatusNotFound, "Downtime not found")
		return
	}
	d := s.review().downtimes[i]
	s.review().downtimes = slices.Delete(s.review().downtimes, i, i+1)
	writeJSON(w, http.StatusOK, d)
}
