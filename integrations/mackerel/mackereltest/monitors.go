package mackereltest

import (
	"net/http"
)

// monitor returns the index of the monitor with id; callers hold s.mu.
func (s *Server) monitor(id string) int {
	for i, m := range s.monitors {
		if m["id"] == id {
			return i
		}
	}
	return -1
}

func (s *Server) listMonitors(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	list := append([]map[string]any{}, s.monitors...)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"monitors": list})
}

func (s *Server) getMonitor(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	i := s.monitor(r.PathValue("id"))
	var m map[string]any
	if i >= 0 {
		m = s.monitors[i]
	}
	s.mu.Unlock()
	if m == nil {
		writeError(w, http.StatusNotFound, "Monitor not found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"monitor": m})
}

func (s *Server) updateMonitor(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if !decodeBody(w, r, &body) {
		return
	}
	id := r.PathValue("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.monitor(id)
	if i < 0 {
		writeError(w, http.StatusNotFound, "Monitor not found")
		return
	}
	if t, _ := body["type"].(string); t != s.monitors[i]["type"] {
		writeErrorf(w, http.StatusBadRequest, "the type of a monitor cannot be changed (is %v)", s.monitors[i]["type"])
		return
	}
	if msg := validateMonitor(body); msg != "" {
		writeError(w, http.StatusBadRequest, msg)
		return
	}
	body["id"] = id
	s.monitors[i] = body
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) deleteMonitor(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.monitor(r.PathValue("id"))
	if i < 0 {
		writeError(w, http.StatusNotFound, "Monitor not found")
		return
	}
	m := s.monitors[i]
	s.monitors = append(s.monitors[:i:i], s.monitors[i+1:]...)
	writeJSON(w, http.StatusOK, m)
}

// validateMonitor checks the fields Mackerel requires of a monitor and
// returns a message, or "" when the monitor is valid.
func validateMonitor(m map[string]any) string {
	str := func(k string) string { v, _ := m[k].(string); return v }
	num := func(k string) (float64, bool) { v, ok := m[k].(float64); return v, ok }
	if str("name") == "" {
		return "name is required"
	}
	switch t := str("type"); t {
	case "host", "service", "expression", "query":
		if op := str("operator"); op != ">" && op != "<" {
			return `operator must be ">" or "<"`
		}
		_, hasW := num("warning")
		_, hasC := num("critical")
		if !hasW && !hasC {
			return "at least one of warning and critical is required"
		}
		if t == "host" || t == "service" {
			if str("metric") == "" {
				return "metric is required"
			}
			d, ok := num("duration")
			if !ok || d < 1 || d > 10 {
				return "duration must be between 1 and 10"
			}
		}
		if t == "service" && str("service") == "" {
			return "service is required"
		}
		if t == "expression" && str("expression") == "" {
			return "expression is required"
		}
	case "external":
		if str("url") == "" {
			return "url is required"
		}
	case "connectivity", "anomalyDetection":
	default:
		return "unknown monitor type"
	}
	return ""
}
