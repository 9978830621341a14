package githubtest

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

func (f *Fake) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /user", f.serve(OpUser, f.getUser))
	m.HandleFunc("GET /repos/{owner}/{repo}", f.serve(OpGetRepo, f.getRepo))
	m.HandleFunc("GET /repos/{owner}/{repo}/issues", f.serve(OpList, f.listIssues))
	m.HandleFunc("POST /repos/{owner}/{repo}/issues", f.serve(OpCreate, f.createIssue))
	m.HandleFunc("GET /repos/{owner}/{repo}/issues/{number}", f.serve(OpGet, f.getIssue))
	m.HandleFunc("PATCH /repos/{owner}/{repo}/issues/{number}", f.serve(OpUpdate, f.updateIssue))
	m.HandleFunc("GET /repos/{owner}/{repo}/issues/{number}/comments", f.serve(OpListComment, f.listComments))
	m.HandleFunc("POST /repos/{owner}/{repo}/issues/{number}/comments", f.serve(OpComment, f.createComment))
	m.HandleFunc("GET /search/issues", f.serve(OpSearch, f.searchIssues))
	f.mux = m
}

// ServeHTTP serves the API, also under GitHub Enterprise's /api/v3 prefix.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p, ok := strings.CutPrefix(r.URL.Path, "/api/v3"); ok && strings.HasPrefix(p, "/") {
		r2 := r.Clone(r.Context())
		r2.URL.Path = p
		r2.URL.RawPath = ""
		r = r2
	}
	f.mux.ServeHTTP(w, r)
}

// request is what a handler gets: the parsed request, under the lock.
type request struct {
	*http.Request
	login  string
	repo   *repo
	number int
	body   []byte
}

// serve wraps a handler: reads the body, runs the hook, then under the
// lock authenticates, applies faults, sets rate headers and finds the
// repository.
func (f *Fake) serve(op Op, h func(http.ResponseWriter, *request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			writeError(w, http.StatusBadRequest, "Problems reading the request body", docsREST)
			return
		}
		number, _ := strconv.Atoi(r.PathValue("number"))
		call := Call{Op: op, Owner: r.PathValue("owner"), Repo: r.PathValue("repo"), Number: number}
		if op == OpCreate {
			var t struct {
				Title string `json:"title"`
			}
			_ = json.Unmarshal(body, &t)
			call.Title = t.Title
		}
		f.mu.Lock()
		call.Login = f.authLogin(r)
		hook := f.hook
		f.mu.Unlock()
		if hook != nil {
			hook(call)
		}

		f.mu.Lock()
		defer f.mu.Unlock()
		f.calls = append(f.calls, call)
		resource := "core"
		if op == OpSearch {
			resource = "search"
		}
		if fl := f.fault(op); fl != nil {
			f.writeFault(w, fl, call.Login, f.now())
			return
		}
		if call.Login == "" {
			badCredentials(w)
			return
		}
		f.rateHeaders(w, call.Login, resource)
		req := &request{Request: r, login: call.Login, number: number, body: body}
		if call.Owner != "" {
			req.repo = f.repos[call.Owner+"/"+call.Repo]
			if req.repo == nil {
				notFound(w, docsREST)
				return
			}
		}
		h(w, req)
	}
}

func (f *Fake) userJSON(login string) map[string]any {
	if login == "" {
		return nil
	}
	base := f.base()
	return map[string]any{
		"login": login, "id": f.users[login], "node_id": "U_" + login, "type": "User", "site_admin": false,
		"url": base + "/users/" + login, "html_url": base + "/" + login,
		"avatar_url": base + "/avatars/" + login,
	}
}

// base is the scheme and host that URLs in responses use.
func (f *Fake) base() string {
	if f.htmlBase != "" {
		return f.htmlBase
	}
	return "http://github.invalid"
}

func (f *Fake) repoJSON(r *repo) map[string]any {
	base := f.base()
	return map[string]any{
		"id": r.id, "node_id": "R_" + strconv.FormatInt(r.id, 10), "name": r.name, "full_name": r.owner + "/" + r.name,
		"owner": f.userJSON(r.owner), "private": true, "has_issues": true,
		"html_url": base + "/" + r.owner + "/" + r.name, "url": base + "/repos/" + r.owner + "/" + r.name,
		"permissions": map[string]bool{"admin": false, "push": true, "pull": true},
	}
}

func (f *Fake) issueJSON(r *repo, is *Issue) map[string]any {
	base := f.base()
	api := base + "/repos/" + r.owner + "/" + r.name
	labels := []map[string]any{}
	for _, l := range is.Labels {
		labels = append(labels, map[string]any{
			"id": r.labels[l], "node_id": "LA_" + strconv.FormatInt(r.labels[l], 10), "url": api + "/labels/" + l,
			"name": l, "color": "ededed", "default": false, "description": nil,
		})
	}
	assignees := []map[string]any{}
	for _, a := range is.Assignees {
		assignees = append(assignees, f.userJSON(a))
	}
	var assignee any
	if len(is.Assignees) > 0 {
		assignee = f.userJSON(is.Assignees[0])
	}
	n := strconv.Itoa(is.Number)
	var closedAt, stateReason, closedBy any
	if is.State == "closed" {
		closedAt = is.Closed.UTC().Format(time.RFC3339)
		closedBy = f.userJSON(is.ClosedBy)
	}
	if is.StateReason != "" {
		stateReason = is.StateReason
	}
	return map[string]any{
		"id": is.ID, "node_id": "I_" + strconv.FormatInt(is.ID, 10), "number": is.Number,
		"url": api + "/issues/" + n, "repository_url": api, "labels_url": api + "/issues/" + n + "/labels{/name}",
		"comments_url": api + "/issues/" + n + "/comments", "events_url": api + "/issues/" + n + "/events",
		"html_url": base + "/" + r.owner + "/" + r.name + "/issues/" + n,
		"title":    is.Title, "body": is.Body, "state": is.State, "state_reason": stateReason, "locked": false,
		"user": f.userJSON(is.User), "labels": labels, "assignee": assignee, "assignees": assignees,
		"milestone": nil, "comments": len(is.Comments), "author_association": "MEMBER",
		"created_at": is.Created.UTC().Format(time.RFC3339), "updated_at": is.Updated.UTC().Format(time.RFC3339),
		"closed_at": closedAt, "closed_by": closedBy,
	}
}

func (f *Fake) getUser(w http.ResponseWriter, r *request) {
	writeJSON(w, http.StatusOK, f.userJSON(r.login))
}

func (f *Fake) getRepo(w http.ResponseWriter, r *request) {
	writeJSON(w, http.StatusOK, f.repoJSON(r.repo))
}

func (f *Fake) issue(r *request) *Issue {
	if r.number < 1 || r.number > len(r.repo.issues) {
		return nil
	}
	return r.repo.issues[r.number-1]
}

func (f *Fake) getIssue(w http.ResponseWriter, r *request) {
	is := f.issue(r)
	if is == nil {
		notFound(w, docsGetIssue)
		return
	}
	writeJSON(w, http.StatusOK, f.issueJSON(r.repo, is))
}

// issueRequest is the body of create and update.
type issueRequest struct {
	Title       *string   `json:"title"`
	Body        *string   `json:"body"`
	State       *string   `json:"state"`
	StateReason *string   `json:"state_reason"`
	Labels      *[]string `json:"labels"`
	Assignee    *string   `json:"assignee"`
	Assignees   *[]string `json:"assignees"`
}

func parseIssueRequest(w http.ResponseWriter, r *request) (issueRequest, bool) {
	var req issueRequest
	if err := json.Unmarshal(r.body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "Problems parsing JSON", docsREST)
		return req, false
	}
	return req, true
}

// assignees validates the requested assignees against the collaborators.
func assignees(r *repo, req issueRequest) ([]string, *fieldError) {
	var out []string
	if req.Assignee != nil && *req.Assignee != "" {
		out = append(out, *req.Assignee)
	}
	if req.Assignees != nil {
		out = append(out, *req.Assignees...)
	}
	for _, a := range out {
		if !r.collaborators[a] {
			return nil, &fieldError{Resource: "Issue", Field: "assignees", Code: "invalid", Value: a}
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func (f *Fake) createIssue(w http.ResponseWriter, r *request) {
	req, ok := parseIssueRequest(w, r)
	if !ok {
		return
	}
	if req.Title == nil || strings.TrimSpace(*req.Title) == "" {
		validationFailed(w, docsCreate, fieldError{Resource: "Issue", Field: "title", Code: "missing_field"})
		return
	}
	if len(*req.Title) > 256 {
		validationFailed(w, docsCreate, fieldError{Resource: "Issue", Field: "title", Code: "custom", Message: "title is too long (maximum is 256 characters)"})
		return
	}
	if req.Body != nil && len(*req.Body) > 65536 {
		validationFailed(w, docsCreate, fieldError{Resource: "Issue", Field: "body", Code: "custom", Message: "body is too long (maximum is 65536 characters)"})
		return
	}
	as, ferr := assignees(r.repo, req)
	if ferr != nil {
		validationFailed(w, docsCreate, *ferr)
		return
	}
	now := f.now().UTC().Truncate(time.Second)
	f.nextID++
	is := &Issue{ID: f.nextID, Number: len(r.repo.issues) + 1, Title: *req.Title, State: "open",
		User: r.login, Assignees: as, Created: now, Updated: now}
	if req.Body != nil {
		is.Body = *req.Body
	}
	if req.Labels != nil {
		for _, l := range *req.Labels {
			if l == "" || slices.Contains(is.Labels, l) {
				continue
			}
			f.label(r.repo, l)
			is.Labels = append(is.Labels, l)
		}
	}
	switch {
	case f.lag < 0:
		is.searchAfter = 1<<62 - 1
	case f.lag > 0:
		is.searchAfter = f.searches + f.lag + 1
	}
	r.repo.issues = append(r.repo.issues, is)
	w.Header().Set("Location", f.base()+"/repos/"+r.repo.owner+"/"+r.repo.name+"/issues/"+strconv.Itoa(is.Number))
	writeJSON(w, http.StatusCreated, f.issueJSON(r.repo, is))
}

func (f *Fake) updateIssue(w http.ResponseWriter, r *request) {
	is := f.issue(r)
	if is == nil {
		notFound(w, docsUpdate)
		return
	}
	req, ok := parseIssueRequest(w, r)
	if !ok {
		return
	}
	if req.State != nil && *req.State != "open" && *req.State != "closed" {
		validationFailed(w, docsUpdate, fieldError{Resource: "Issue", Field: "state", Code: "invalid", Value: *req.State})
		return
	}
	if req.StateReason != nil && !slices.Contains([]string{"completed", "not_planned", "duplicate", "reopened"}, *req.StateReason) {
		validationFailed(w, docsUpdate, fieldError{Resource: "Issue", Field: "state_reason", Code: "invalid", Value: *req.StateReason})
		return
	}
	if req.Title != nil && strings.TrimSpace(*req.Title) == "" {
		validationFailed(w, docsUpdate, fieldError{Resource: "Issue", Field: "title", Code: "missing_field"})
		return
	}
	var as []string
	if req.Assignee != nil || req.Assignees != nil {
		var ferr *fieldError
		if as, ferr = assignees(r.repo, req); ferr != nil {
			validationFailed(w, docsUpdate, *ferr)
			return
		}
	}
	now := f.now().UTC().Truncate(time.Second)
	if req.Title != nil {
		is.Title = *req.Title
	}
	if req.Body != nil {
		is.Body = *req.Body
	}
	if req.Labels != nil {
		is.Labels = nil
		for _, l := range *req.Labels {
			f.label(r.repo, l)
			is.Labels = append(is.Labels, l)
		}
	}
	if req.Assignee != nil || req.Assignees != nil {
		is.Assignees = as
	}
	if req.State != nil && *req.State != is.State {
		is.State = *req.State
		if is.State == "closed" {
			is.Closed, is.ClosedBy = now, r.login
			is.StateReason = "completed"
		} else {
			is.Closed, is.ClosedBy = time.Time{}, ""
			is.StateReason = "reopened"
		}
	}
	if req.StateReason != nil && is.State == "closed" {
		is.StateReason = *req.StateReason
	}
	is.Updated = now
	writeJSON(w, http.StatusOK, f.issueJSON(r.repo, is))
}

func (f *Fake) commentJSON(r *repo, is *Issue, c Comment) map[string]any {
	base := f.base()
	return map[string]any{
		"id": c.ID, "node_id": "IC_" + strconv.FormatInt(c.ID, 10), "body": c.Body, "user": f.userJSON(c.User),
		"url":        base + "/repos/" + r.owner + "/" + r.name + "/issues/comments/" + strconv.FormatInt(c.ID, 10),
		"html_url":   base + "/" + r.owner + "/" + r.name + "/issues/" + strconv.Itoa(is.Number) + "#issuecomment-" + strconv.FormatInt(c.ID, 10),
		"issue_url":  base + "/repos/" + r.owner + "/" + r.name + "/issues/" + strconv.Itoa(is.Number),
		"created_at": c.Created.UTC().Format(time.RFC3339), "updated_at": c.Created.UTC().Format(time.RFC3339),
		"author_association": "MEMBER",
	}
}

func (f *Fake) createComment(w http.ResponseWriter, r *request) {
	is := f.issue(r)
	if is == nil {
		notFound(w, docsREST)
		return
	}
	var req struct {
		Body *string `json:"body"`
	}
	if err := json.Unmarshal(r.body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "Problems parsing JSON", docsREST)
		return
	}
	if req.Body == nil || strings.TrimSpace(*req.Body) == "" {
		validationFailed(w, docsREST, fieldError{Resource: "IssueComment", Field: "body", Code: "missing_field"})
		return
	}
	f.nextID++
	c := Comment{ID: f.nextID, User: r.login, Body: *req.Body, Created: f.now().UTC().Truncate(time.Second)}
	is.Comments = append(is.Comments, c)
	is.Updated = c.Created
	writeJSON(w, http.StatusCreated, f.commentJSON(r.repo, is, c))
}

func (f *Fake) listComments(w http.ResponseWriter, r *request) {
	is := f.issue(r)
	if is == nil {
		notFound(w, docsREST)
		return
	}
	out := []map[string]any{}
	for _, c := range is.Comments {
		out = append(out, f.commentJSON(r.repo, is, c))
	}
	writeJSON(w, http.StatusOK, out)
}
