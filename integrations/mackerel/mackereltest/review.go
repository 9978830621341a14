package mackereltest

import (
	"net/http"
	"strconv"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// reviewState is what the alert review needs beyond the alerts themselves:
// the status an alert opened with, its swings between warning and critical,
// how it was closed, and the downtimes. Callers hold s.mu.
type reviewState struct {
	opened    map[string]string         // alert id → status at opening
	swings    map[string][]mkr.AlertLog // alert id → status changes while open, oldest first
	manual    map[string]string         // alert id → reason of a close through the API
	downtimes []*mkr.Downtime
}

func (s *Server) review() *reviewState {
	if s.rv == nil {
		s.rv = &reviewState{opened: map[string]string{}, swings: map[string][]mkr.AlertLog{}, manual: map[string]string{}}
	}
	return s.rv
}

func (s *Server) routesReview(m *http.ServeMux) {
	m.HandleFunc("GET /api/v0/alerts/{id}/logs", s.alertLogs)
	m.HandleFunc("GET /api/v0/downtimes", s.listDowntimes)
	m.HandleFunc("POST /api/v0/downtimes", s.createDowntime)
	m.HandleFunc("PUT /api/v0/downtimes/{id}", s.updateDowntime)
	m.HandleFunc("DELETE /api/v0/downtimes/{id}", s.deleteDowntime)
}

// AddSwing records a status change of an open alert (WARNING ↔ CRITICAL) at
// epoch second at, shown in the alert's logs.
func (s *Server) AddSwing(alertID, status string, at int64, value float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addSwing(alertID, status, at, value)
}

func (s *Server) addSwing(alertID, status string, at int64, value float64) {
	rv := s.review()
	v := value
	rv.swings[alertID] = append(rv.swings[alertID], mkr.AlertLog{CreatedAt: at, Status: status, Trigger: "monitoring", TargetValue: &v})
}

// logsOf builds the logs of an alert, newest first, as Mackerel lists them:
// the opening, each change of status, and the close (trigger "monitoring"
// when the value recovered, "manual" when closed by a person).
func (s *Server) logsOf(a *mkr.Alert) []*mkr.AlertLog {
	rv := s.review()
	mid := a.MonitorID
	first := rv.opened[a.ID]
	if first == "" {
		first = a.Status
		if first == "OK" {
			first = "WARNING"
		}
	}
	var out []*mkr.AlertLog
	add := func(l mkr.AlertLog, n int) {
		l.ID = makeID("alertlog/" + a.ID + "/" + strconv.Itoa(n))
		l.MonitorID = &mid
		out = append(out, &l)
	}
	var v *float64
	if a.Value != 0 {
		x := a.Value
		v = &x
	}
	add(mkr.AlertLog{CreatedAt: a.OpenedAt, Status: first, Trigger: "monitoring", TargetValue: v}, 0)
	for i, sw := range rv.swings[a.ID] {
		add(sw, i+1)
	}
	if a.Status == "OK" {
		l := mkr.AlertLog{CreatedAt: a.ClosedAt, Status: "OK", Trigger: "monitoring"}
		if reason, ok := rv.manual[a.ID]; ok {
			l.Trigger = "manual"
			l.StatusDetail = &struct {
				Type   string `json:"type"`
				Detail struct {
					Message string `json:"message"`
					Memo    string `json:"memo"`
				} `json:"detail"`
			}{Type: "manual"}
			l.StatusDetail.Detail.Message = reason
		}
		add(l, len(out))
	}
	// newest first
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// alertLogs answers GET /alerts/{id}/logs: {"logs":[...],"nextId"} newest
// first, limit (default and maximum 100) a page, nextId the id of the last
// log of the page.
func (s *Server) alertLogs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := maxAlertsPage
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxAlertsPage {
			writeError(w, http.StatusBadRequest, "limit must be between 1 and 100")
			return
		}
		limit = n
	}
	s.mu.Lock()
	a := s.findAlert(r.PathValue("id"))
	var logs []*mkr.AlertLog
	if a != nil {
		logs = s.logsOf(a)
	}
	s.mu.Unlock()
	if a == nil {
		writeError(w, http.StatusNotFound, "Alert not found")
		return
	}
	if next := q.Get("nextId"); next != "" {
		i := 0
		for i < len(logs) && logs[i].ID != next {
			i++
		}
		if i == len(logs) {
			writeError(w, http.StatusBadRequest, "nextId is invalid")
			return
		}
		logs = logs[i+1:]
	}
	resp := mkr.FindAlertLogsResp{AlertLogs: []*mkr.AlertLog{}}
	for i := range logs {
		if i == limit {
			resp.NextID = logs[i-1].ID
			break
		}
		resp.AlertLogs = append(resp.AlertLogs, logs[i])
	}
	writeJSON(w, http.StatusOK, resp)
}

// AddMonitor adds a monitor (an id is made when it has none) and returns its id.
func (s *Server) AddMonitor(m mkr.Monitor) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	obj := toObject(m)
	id, _ := obj["id"].(string)
	if id == "" {
		id = s.newID("monitor")
		obj["id"] = id
	}
	s.monitors = append(s.monitors, obj)
	return id
}
