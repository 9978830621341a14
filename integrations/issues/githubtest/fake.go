package githubtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Op names an API operation, for faults, hooks and the call log.
type Op string

// Operations of the fake.
const (
	OpAny         Op = ""
	OpUser        Op = "user"
	OpGetRepo     Op = "get-repo"
	OpList        Op = "list"
	OpCreate      Op = "create"
	OpGet         Op = "get"
	OpUpdate      Op = "update"
	OpListComment Op = "list-comments"
	OpComment     Op = "comment"
	OpSearch      Op = "search"
)

// Call is one request the fake received.
type Call struct {
	Op     Op
	Login  string // the token's user; empty when unauthenticated
	Owner  string
	Repo   string
	Number int    // issue number, when the path has one
	Title  string // the title sent with a create
}

// Fault makes matching requests fail. Status chooses GitHub's response:
// 401 bad credentials, 404 not found, 422 validation failed, 500, 403 with
// Reset set (primary rate limit: X-RateLimit-Remaining 0), 403 or 429 with
// RetryAfter set (secondary rate limit).
type Fault struct {
	Op         Op // OpAny matches every operation
	Status     int
	Reset      time.Time     // primary rate limit reset
	RetryAfter time.Duration // secondary rate limit
	Skip       int           // let this many matching requests through first
	Times      int           // fail this many matching requests; 0 means until cleared
	Message    string        // overrides the default message
}

// Comment is a comment on an issue.
type Comment struct {
	ID      int64
	User    string
	Body    string
	Created time.Time
}

// Issue is an issue held by the fake.
type Issue struct {
	ID          int64
	Number      int
	Title       string
	Body        string
	State       string // open, closed
	StateReason string
	Labels      []string
	Assignees   []string
	User        string
	Comments    []Comment
	Created     time.Time
	Updated     time.Time
	Closed      time.Time
	ClosedBy    string

	searchAfter int64 // visible to search from this search request on
}

type repo struct {
	owner, name   string
	id            int64
	collaborators map[string]bool
	labels        map[string]int64
	issues        []*Issue // by number - 1
}

type rate struct {
	remaining int
	reset     time.Time
}

// Fake is a fake GitHub REST API. It is an http.Handler; the zero value is
// not usable, use New.
type Fake struct {
	mu       sync.Mutex
	now      func() time.Time
	users    map[string]int64  // login -> id
	tokens   map[string]string // token -> login
	repos    map[string]*repo  // owner/name
	nextID   int64
	faults   []*Fault
	calls    []Call
	hook     func(Call)
	rates    map[string]*rate // login/resource
	searches int64
	lag      int64 // -1: hold until released
	htmlBase string
	mux      *http.ServeMux
}

// New returns an empty fake.
func New() *Fake {
	f := &Fake{
		now:    time.Now,
		users:  map[string]int64{},
		tokens: map[string]string{},
		repos:  map[string]*repo{},
		rates:  map[string]*rate{},
		nextID: 1000,
	}
	f.routes()
	return f
}

// Server is a fake started on a loopback port.
type Server struct {
	*Fake
	// URL is the API base URL, ending in "/", for go-github's BaseURL.
	URL string
	srv *httptest.Server
}

// NewServer starts a fake on a loopback port. Close it when done.
func NewServer() *Server {
	f := New()
	srv := httptest.NewServer(f)
	f.mu.Lock()
	f.htmlBase = srv.URL
	f.mu.Unlock()
	return &Server{Fake: f, URL: srv.URL + "/", srv: srv}
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// AddUser adds a user and returns a token for it.
func (f *Fake) AddUser(login string) (token string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.users[login]; !ok {
		f.nextID++
		f.users[login] = f.nextID
	}
	token = "ghp_fake_" + login + "_" + strconv.FormatInt(f.nextID, 36)
	f.tokens[token] = login
	return token
}

// AddRepo adds a repository; the collaborators can be assigned issues.
func (f *Fake) AddRepo(owner, name string, collaborators ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	r := &repo{owner: owner, name: name, id: f.nextID, collaborators: map[string]bool{}, labels: map[string]int64{}}
	for _, c := range collaborators {
		r.collaborators[c] = true
	}
	f.repos[owner+"/"+name] = r
}

// SetSearchLag makes each issue created from now on invisible to search for
// the next n search requests; n < 0 hides new issues until ReleaseSearch.
func (f *Fake) SetSearchLag(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lag = int64(n)
}

// ReleaseSearch makes every issue visible to search now.
func (f *Fake) ReleaseSearch() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.repos {
		for _, is := range r.issues {
			is.searchAfter = 0
		}
	}
}

// Inject adds a fault. Faults are checked in the order added.
func (f *Fake) Inject(fl Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := fl
	f.faults = append(f.faults, &c)
}

// ClearFaults removes every fault.
func (f *Fake) ClearFaults() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = nil
}

// SetHook calls fn with each request before it is served, outside the
// fake's lock; fn may block to hold the request back.
func (f *Fake) SetHook(fn func(Call)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hook = fn
}

// SetClock replaces the fake's clock.
func (f *Fake) SetClock(now func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = now
}

// Calls returns the requests served so far.
func (f *Fake) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// CountCalls returns how many requests of op were served.
func (f *Fake) CountCalls(op Op) int {
	n := 0
	for _, c := range f.Calls() {
		if c.Op == op {
			n++
		}
	}
	return n
}

// Issues returns a copy of the issues of owner/name, by number.
func (f *Fake) Issues(owner, name string) []Issue {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.repos[owner+"/"+name]
	if r == nil {
		return nil
	}
	out := make([]Issue, len(r.issues))
	for i, is := range r.issues {
		out[i] = *is
		out[i].Labels = append([]string(nil), is.Labels...)
		out[i].Assignees = append([]string(nil), is.Assignees...)
		out[i].Comments = append([]Comment(nil), is.Comments...)
	}
	return out
}

// PutIssue adds an issue directly, as if created long ago (visible to
// search), and returns its number.
func (f *Fake) PutIssue(owner, name string, is Issue) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.repos[owner+"/"+name]
	if r == nil {
		panic("githubtest: PutIssue on unknown repository " + owner + "/" + name)
	}
	f.nextID++
	is.ID = f.nextID
	is.Number = len(r.issues) + 1
	if is.State == "" {
		is.State = "open"
	}
	if is.Created.IsZero() {
		is.Created = f.now().UTC().Truncate(time.Second)
	}
	if is.Updated.IsZero() {
		is.Updated = is.Created
	}
	if is.User == "" {
		is.User = owner
	}
	for _, l := range is.Labels {
		f.label(r, l)
	}
	r.issues = append(r.issues, &is)
	return is.Number
}

func (f *Fake) label(r *repo, name string) int64 {
	id, ok := r.labels[name]
	if !ok {
		f.nextID++
		id = f.nextID
		r.labels[name] = id
	}
	return id
}

// fault returns the first fault matching op and counts it, or nil.
func (f *Fake) fault(op Op) *Fault {
	for _, fl := range f.faults {
		if fl.Op != OpAny && fl.Op != op {
			continue
		}
		if fl.Skip > 0 {
			fl.Skip--
			continue
		}
		if fl.Times < 0 {
			continue // used up
		}
		c := *fl
		if fl.Times > 0 {
			fl.Times--
			if fl.Times == 0 {
				fl.Times = -1
			}
		}
		return &c
	}
	return nil
}

// writeJSON writes v with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	_ = enc.Encode(v)
}

// rateHeaders sets the X-RateLimit-* headers of login's budget for the
// resource (core or search) and spends one request.
func (f *Fake) rateHeaders(w http.ResponseWriter, login, resource string) {
	limit := 5000
	if resource == "search" {
		limit = 30
	}
	key := login + "/" + resource
	rt := f.rates[key]
	now := f.now()
	if rt == nil || now.After(rt.reset) {
		rt = &rate{remaining: limit, reset: now.Add(time.Hour).Truncate(time.Second)}
		if resource == "search" {
			rt.reset = now.Add(time.Minute).Truncate(time.Second)
		}
		f.rates[key] = rt
	}
	if rt.remaining > 0 {
		rt.remaining--
	}
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(rt.remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(limit-rt.remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(rt.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", resource)
}

// authLogin returns the user of the request's token, or "".
func (f *Fake) authLogin(r *http.Request) string {
	auth := r.Header.Get("Authorization")
	for _, scheme := range []string{"Bearer ", "bearer ", "token ", "Token "} {
		if tok, ok := strings.CutPrefix(auth, scheme); ok {
			return f.tokens[strings.TrimSpace(tok)]
		}
	}
	return ""
}
