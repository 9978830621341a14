package githubtest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// page reads page and per_page (default 30, at most 100) and answers 422
// for values GitHub rejects.
func page(w http.ResponseWriter, q url.Values, docs string) (pageNo, perPage int, ok bool) {
	pageNo, perPage = 1, 30
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			validationFailed(w, docs, fieldError{Resource: "Issue", Field: "page", Code: "invalid", Value: v})
			return 0, 0, false
		}
		pageNo = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			validationFailed(w, docs, fieldError{Resource: "Issue", Field: "per_page", Code: "invalid", Value: v})
			return 0, 0, false
		}
		perPage = min(n, 100)
	}
	return pageNo, perPage, true
}

// linkHeader sets the Link header of a paged answer the way GitHub does:
// prev, next, last and first, each the request URL with another page.
func (f *Fake) linkHeader(w http.ResponseWriter, r *request, pageNo, perPage, total int) {
	last := max(1, (total+perPage-1)/perPage)
	u := func(p int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		q.Set("per_page", strconv.Itoa(perPage))
		return fmt.Sprintf("<%s%s?%s>", f.base(), r.URL.Path, q.Encode())
	}
	var links []string
	if pageNo > 1 {
		links = append(links, u(min(pageNo-1, last))+`; rel="prev"`)
	}
	if pageNo < last {
		links = append(links, u(pageNo+1)+`; rel="next"`, u(last)+`; rel="last"`)
	}
	if pageNo > 1 {
		links = append(links, u(1)+`; rel="first"`)
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
}

func (f *Fake) listIssues(w http.ResponseWriter, r *request) {
	q := r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	if !slices.Contains([]string{"open", "closed", "all"}, state) {
		validationFailed(w, docsListIssues, fieldError{Resource: "Issue", Field: "state", Code: "invalid", Value: state})
		return
	}
	sortBy := q.Get("sort")
	if sortBy == "" {
		sortBy = "created"
	}
	if !slices.Contains([]string{"created", "updated", "comments"}, sortBy) {
		validationFailed(w, docsListIssues, fieldError{Resource: "Issue", Field: "sort", Code: "invalid", Value: sortBy})
		return
	}
	dir := q.Get("direction")
	if dir == "" {
		dir = "desc"
	}
	var labels []string
	if v := q.Get("labels"); v != "" {
		labels = strings.Split(v, ",")
	}
	var since time.Time
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			validationFailed(w, docsListIssues, fieldError{Resource: "Issue", Field: "since", Code: "invalid", Value: v})
			return
		}
		since = t
	}
	pageNo, perPage, ok := page(w, q, docsListIssues)
	if !ok {
		return
	}
	var sel []*Issue
	for _, is := range r.repo.issues {
		if state != "all" && is.State != state {
			continue
		}
		if !since.IsZero() && is.Updated.Before(since) { // "last updated after the given time"
			continue
		}
		if !hasLabels(is, labels) {
			continue
		}
		sel = append(sel, is)
	}
	slices.SortStableFunc(sel, func(a, b *Issue) int {
		var c int
		switch sortBy {
		case "updated":
			c = a.Updated.Compare(b.Updated)
		case "comments":
			c = len(a.Comments) - len(b.Comments)
		}
		if c == 0 {
			c = a.Number - b.Number
		}
		if dir == "desc" {
			return -c
		}
		return c
	})
	f.linkHeader(w, r, pageNo, perPage, len(sel))
	out := []map[string]any{}
	for i := (pageNo - 1) * perPage; i < len(sel) && i < pageNo*perPage; i++ {
		out = append(out, f.issueJSON(r.repo, sel[i]))
	}
	writeJSON(w, http.StatusOK, out)
}

func hasLabels(is *Issue, labels []string) bool {
	for _, l := range labels {
		if !slices.Contains(is.Labels, strings.TrimSpace(l)) {
			return false
		}
	}
	return true
}

// searchQuery is a parsed search query.
type searchQuery struct {
	repos  []string
	state  string
	labels []string
	in     []string // title, body
	terms  []string // lower-case words and phrases
	prOnly bool
}

// parseQuery splits q into qualifiers and terms; "quoted phrases" stay one
// term.
func parseQuery(q string) searchQuery {
	var sq searchQuery
	var toks []string
	for q = strings.TrimSpace(q); q != ""; q = strings.TrimSpace(q) {
		if q[0] == '"' {
			end := strings.IndexByte(q[1:], '"')
			if end < 0 {
				toks = append(toks, q[1:])
				break
			}
			toks = append(toks, "\x00"+q[1:end+1])
			q = q[end+2:]
			continue
		}
		end := strings.IndexAny(q, " \t")
		if end < 0 {
			end = len(q)
		}
		toks = append(toks, q[:end])
		q = q[end:]
	}
	for _, t := range toks {
		if phrase, ok := strings.CutPrefix(t, "\x00"); ok {
			sq.terms = append(sq.terms, strings.ToLower(phrase))
			continue
		}
		k, v, ok := strings.Cut(t, ":")
		switch {
		case ok && k == "repo":
			sq.repos = append(sq.repos, v)
		case ok && (k == "is" || k == "state") && (v == "open" || v == "closed"):
			sq.state = v
		case ok && (k == "is" || k == "type") && (v == "issue"):
		case ok && (k == "is" || k == "type") && (v == "pr" || v == "pull-request"):
			sq.prOnly = true
		case ok && k == "label":
			sq.labels = append(sq.labels, strings.Trim(v, `"`))
		case ok && k == "in":
			sq.in = append(sq.in, strings.Split(v, ",")...)
		default:
			sq.terms = append(sq.terms, strings.ToLower(t))
		}
	}
	return sq
}

func (sq searchQuery) match(is *Issue) bool {
	if sq.prOnly {
		return false
	}
	if sq.state != "" && is.State != sq.state {
		return false
	}
	if !hasLabels(is, sq.labels) {
		return false
	}
	var hay string
	if len(sq.in) == 0 || slices.Contains(sq.in, "title") {
		hay += strings.ToLower(is.Title) + "\n"
	}
	if len(sq.in) == 0 || slices.Contains(sq.in, "body") {
		hay += strings.ToLower(is.Body)
	}
	for _, t := range sq.terms {
		if !strings.Contains(hay, t) {
			return false
		}
	}
	return true
}

func (f *Fake) searchIssues(w http.ResponseWriter, r *request) {
	q := r.URL.Query().Get("q")
	if strings.TrimSpace(q) == "" {
		validationFailed(w, docsSearch, fieldError{Resource: "Search", Field: "q", Code: "missing"})
		return
	}
	pageNo, perPage, ok := page(w, r.URL.Query(), docsSearch)
	if !ok {
		return
	}
	f.searches++
	sq := parseQuery(q)
	var sel []map[string]any
	var keys []string
	for k := range f.repos {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if len(sq.repos) > 0 && !slices.Contains(sq.repos, k) {
			continue
		}
		rp := f.repos[k]
		for i := len(rp.issues) - 1; i >= 0; i-- {
			is := rp.issues[i]
			if is.searchAfter > f.searches || !sq.match(is) {
				continue
			}
			item := f.issueJSON(rp, is)
			item["score"] = 1.0
			sel = append(sel, item)
		}
	}
	f.linkHeader(w, r, pageNo, perPage, len(sel))
	items := []map[string]any{}
	for i := (pageNo - 1) * perPage; i < len(sel) && i < pageNo*perPage; i++ {
		items = append(items, sel[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"total_count": len(sel), "incomplete_results": false, "items": items})
}
