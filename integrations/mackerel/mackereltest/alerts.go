package mackereltest

import (
	"net/http"
	"sort"
	"strconv"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// maxAlertsPage is the default and maximum page size of GET /alerts.
const maxAlertsPage = 100

// sortAlerts orders alerts newest first, ties by id.
func sortAlerts(as []*mkr.Alert) {
	sort.SliceStable(as, func(i, j int) bool {
		if as[i].OpenedAt != as[j].OpenedAt {
			return as[i].OpenedAt > as[j].OpenedAt
		}
		return as[i].ID > as[j].ID
	})
}

// AddAlert adds an alert (an id is made when a.ID is empty) and returns its id.
func (s *Server) AddAlert(a mkr.Alert) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.ID == "" {
		a.ID = s.newID("alert")
	}
	if a.Status != "OK" {
		s.review().opened[a.ID] = a.Status
	}
	s.alerts = append(s.alerts, &a)
	sortAlerts(s.alerts)
	return a.ID
}

func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := maxAlertsPage
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "limit must be a positive number")
			return
		}
		if n > maxAlertsPage {
			writeError(w, http.StatusBadRequest, "limit must not exceed 100")
			return
		}
		limit = n
	}
	withClosed := q.Get("withClosed") == "true"

	s.mu.Lock()
	var list []mkr.Alert
	for _, a := range s.alerts {
		if withClosed || a.Status != "OK" {
			list = append(list, *a)
		}
	}
	s.mu.Unlock()

	if next := q.Get("nextId"); next != "" {
		i := 0
		for i < len(list) && list[i].ID != next {
			i++
		}
		if i == len(list) {
			writeError(w, http.StatusBadRequest, "nextId is invalid")
			return
		}
		list = list[i+1:]
	}
	resp := mkr.AlertsResp{Alerts: []*mkr.Alert{}}
	for i := range list {
		if i == limit {
			resp.NextID = list[i-1].ID
			break
		}
		resp.Alerts = append(resp.Alerts, &list[i])
	}
	writeJSON(w, http.StatusOK, resp)
}

// findAlert returns the alert with id; callers hold s.mu.
func (s *Server) findAlert(id string) *mkr.Alert {
	for _, a := range s.alerts {
		if a.ID == id {
			return a
		}
	}
	return nil
}

func (s *Server) getAlert(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	a := s.findAlert(r.PathValue("id"))
	var out mkr.Alert
	if a != nil {
		out = *a
	}
	s.mu.Unlock()
	if a == nil {
		writeError(w, http.StatusNotFound, "Alert not found")
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) closeAlert(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Reason *string `json:"reason"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	if body.Reason == nil {
		writeError(w, http.StatusBadRequest, "reason is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findAlert(r.PathValue("id"))
	if a == nil {
		writeError(w, http.StatusNotFound, "Alert not found")
		return
	}
	if a.Status != "OK" {
		a.Status = "OK"
		a.ClosedAt = s.Now().Unix()
		a.Reason = *body.Reason
		s.review().manual[a.ID] = a.Reason
	}
	writeJSON(w, http.StatusOK, *a)
}
