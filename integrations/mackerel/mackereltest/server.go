package mackereltest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"sync"
	"time"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// DefaultAPIKey is the read-write API key accepted when Options.APIKey is empty.
const DefaultAPIKey = "pwg-test-api-key"

// Options configure a Server.
type Options struct {
	// APIKey is the read-write key; DefaultAPIKey when empty.
	APIKey string
	// ReadOnlyKey, when set, is a key accepted for GET only (writes: 403).
	ReadOnlyKey string
	// Now is the end of the seeded month; time.Now() when zero. The
	// server's clock (closedAt of closed alerts) keeps running from it.
	Now time.Time
	// Empty leaves the server without seeded data.
	Empty bool
	// ReviewHistory adds to the seed what the alert review's hygiene board
	// needs: 180 days of alert history, a monitor of each hygiene flag and
	// earlier PWG decisions in monitor memos (see seed_history.go). The
	// demo (StartDemo) has it.
	ReviewHistory bool
}

// Server is the fake Mackerel API. It is safe for concurrent use.
type Server struct {
	mux *http.ServeMux

	mu          sync.Mutex
	apiKey      string
	readOnlyKey string
	start       time.Time // wall clock at New
	now         time.Time // Options.Now
	seq         int

	org         mkr.Org
	services    []*mkr.Service
	roles       map[string][]*mkr.Role // by service
	hosts       []*mkr.Host
	monitors    []map[string]any // in creation order
	alerts      []*mkr.Alert
	dashboards  []*mkr.Dashboard
	annotations []*mkr.GraphAnnotation
	model       *metricModel

	latency    time.Duration
	failStatus int
	failCount  int // <0: until cleared
	requests   []string

	rv *reviewState // alert logs and downtimes (review.go)
}

// New returns a fake seeded with the demo team (unless opts.Empty).
func New(opts Options) *Server {
	s := &Server{
		apiKey:      opts.APIKey,
		readOnlyKey: opts.ReadOnlyKey,
		start:       time.Now(),
		now:         opts.Now,
		roles:       map[string][]*mkr.Role{},
	}
	if s.apiKey == "" {
		s.apiKey = DefaultAPIKey
	}
	if s.now.IsZero() {
		s.now = s.start
	}
	s.now = s.now.Truncate(time.Minute)
	s.model = &metricModel{}
	if !opts.Empty {
		seed(s)
		if opts.ReviewHistory {
			seedHistory(s)
		}
	}
	s.routes()
	return s
}

// APIKey returns the read-write key the server accepts.
func (s *Server) APIKey() string { return s.apiKey }

// Now returns the server's current time: Options.Now plus the wall-clock
// time elapsed since New.
func (s *Server) Now() time.Time { return s.now.Add(time.Since(s.start)) }

// SeedEnd returns the end of the seeded month (Options.Now, to the minute).
func (s *Server) SeedEnd() time.Time { return s.now }

// SetLatency delays every answer by d.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// Fail makes the next n requests answer status (e.g. 429 or 500) before any
// other processing. n < 0 fails every request until Fail(0, 0).
func (s *Server) Fail(status, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failStatus, s.failCount = status, n
	if n == 0 {
		s.failStatus = 0
	}
}

// Requests returns "METHOD /path" of every request received so far,
// including rejected ones.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path)
	latency := s.latency
	status := 0
	if s.failCount != 0 {
		status = s.failStatus
		if s.failCount > 0 {
			s.failCount--
		}
	}
	s.mu.Unlock()

	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	switch {
	case status == http.StatusTooManyRequests:
		w.Header().Set("Retry-After", "1")
		writeError(w, status, "Too many requests. Please retry later.")
		return
	case status != 0:
		writeError(w, status, http.StatusText(status))
		return
	}
	key := r.Header.Get("X-Api-Key")
	switch {
	case key != "" && key == s.apiKey:
	case key != "" && key == s.readOnlyKey:
		if r.Method != http.MethodGet {
			writeError(w, http.StatusForbidden, "This API key does not have write permission.")
			return
		}
	default:
		writeError(w, http.StatusUnauthorized, "Authentication failed. Please try again.")
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /api/v0/org", s.getOrg)
	m.HandleFunc("GET /api/v0/alerts", s.listAlerts)
	m.HandleFunc("GET /api/v0/alerts/{id}", s.getAlert)
	m.HandleFunc("POST /api/v0/alerts/{id}/close", s.closeAlert)
	m.HandleFunc("GET /api/v0/monitors", s.listMonitors)
	m.HandleFunc("GET /api/v0/monitors/{id}", s.getMonitor)
	m.HandleFunc("PUT /api/v0/monitors/{id}", s.updateMonitor)
	m.HandleFunc("DELETE /api/v0/monitors/{id}", s.deleteMonitor)
	m.HandleFunc("GET /api/v0/dashboards", s.listDashboards)
	m.HandleFunc("GET /api/v0/dashboards/{id}", s.getDashboard)
	m.HandleFunc("GET /api/v0/services", s.listServices)
	m.HandleFunc("GET /api/v0/services/{name}/roles", s.listRoles)
	m.HandleFunc("GET /api/v0/services/{name}/metric-names", s.serviceMetricNames)
	m.HandleFunc("GET /api/v0/services/{name}/metrics", s.serviceMetrics)
	m.HandleFunc("GET /api/v0/hosts", s.listHosts)
	m.HandleFunc("GET /api/v0/hosts/{id}", s.getHost)
	m.HandleFunc("GET /api/v0/hosts/{id}/metric-names", s.hostMetricNames)
	m.HandleFunc("GET /api/v0/hosts/{id}/metrics", s.hostMetrics)
	m.HandleFunc("GET /api/v0/tsdb/latest", s.latestMetrics)
	m.HandleFunc("GET /api/v0/graph-annotations", s.listAnnotations)
	m.HandleFunc("POST /api/v0/graph-annotations", s.createAnnotation)
	m.HandleFunc("PUT /api/v0/graph-annotations/{id}", s.updateAnnotation)
	m.HandleFunc("DELETE /api/v0/graph-annotations/{id}", s.deleteAnnotation)
	s.routesReview(m)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "Not Found")
	})
	s.mux = m
}

func (s *Server) getOrg(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	org := s.org
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, org)
}

// newID returns a fresh Mackerel-looking id (11 characters of base58).
// Callers hold s.mu.
func (s *Server) newID(kind string) string {
	s.seq++
	return makeID(kind + "/" + strconv.Itoa(s.seq))
}

const base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

func makeID(seed string) string {
	h := fnv.New64a()
	h.Write([]byte(seed))
	v := h.Sum64()
	b := make([]byte, 11)
	for i := range b {
		b[i] = base58[v%58]
		v /= 58
		if v == 0 {
			h.Write([]byte{byte(i)})
			v = h.Sum64()
		}
	}
	return string(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"message": msg}})
}

func writeErrorf(w http.ResponseWriter, status int, format string, args ...any) {
	writeError(w, status, fmt.Sprintf(format, args...))
}

// decodeBody decodes a JSON request body into v, answering 400 on failure.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v); err != nil {
		writeErrorf(w, http.StatusBadRequest, "invalid JSON body: %v", err)
		return false
	}
	return true
}

// epochParam parses a required epoch-seconds query parameter.
func epochParam(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, fmt.Errorf("%s is required", name)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s must be epoch seconds", name)
	}
	return n, nil
}
