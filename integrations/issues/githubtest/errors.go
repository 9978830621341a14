package githubtest

import (
	"net/http"
	"strconv"
	"time"
)

// Documentation URLs GitHub puts in its error bodies.
const (
	docsREST       = "https://docs.github.com/rest"
	docsCreate     = "https://docs.github.com/rest/issues/issues#create-an-issue"
	docsUpdate     = "https://docs.github.com/rest/issues/issues#update-an-issue"
	docsRateLimit  = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
	docsSecondary  = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
	docsSearch     = "https://docs.github.com/rest/search/search#search-issues-and-pull-requests"
	docsGetIssue   = "https://docs.github.com/rest/issues/issues#get-an-issue"
	docsListIssues = "https://docs.github.com/rest/issues/issues#list-repository-issues"
)

// errorBody is GitHub's documented error shape.
type errorBody struct {
	Message          string       `json:"message"`
	Errors           []fieldError `json:"errors,omitempty"`
	DocumentationURL string       `json:"documentation_url"`
	Status           string       `json:"status"`
}

// fieldError is one entry of a 422's "errors" array.
type fieldError struct {
	Resource string `json:"resource"`
	Field    string `json:"field"`
	Code     string `json:"code"`
	Value    any    `json:"value,omitempty"`
	Message  string `json:"message,omitempty"`
}

func writeError(w http.ResponseWriter, status int, msg, docs string, errs ...fieldError) {
	writeJSON(w, status, errorBody{Message: msg, Errors: errs, DocumentationURL: docs, Status: strconv.Itoa(status)})
}

func badCredentials(w http.ResponseWriter) {
	writeError(w, http.StatusUnauthorized, "Bad credentials", docsREST)
}

func notFound(w http.ResponseWriter, docs string) {
	writeError(w, http.StatusNotFound, "Not Found", docs)
}

func validationFailed(w http.ResponseWriter, docs string, errs ...fieldError) {
	writeError(w, http.StatusUnprocessableEntity, "Validation Failed", docs, errs...)
}

// writeFault answers a request with an injected fault.
func (f *Fake) writeFault(w http.ResponseWriter, fl *Fault, login string, now time.Time) {
	msg := fl.Message
	switch {
	case fl.Status == http.StatusUnauthorized:
		if msg == "" {
			msg = "Bad credentials"
		}
		writeError(w, fl.Status, msg, docsREST)
	case fl.Status == http.StatusForbidden && !fl.Reset.IsZero():
		if msg == "" {
			msg = "API rate limit exceeded for user " + login + ". (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
		}
		h := w.Header()
		h.Set("X-RateLimit-Limit", "5000")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Used", "5000")
		h.Set("X-RateLimit-Reset", strconv.FormatInt(fl.Reset.Unix(), 10))
		h.Set("X-RateLimit-Resource", "core")
		writeError(w, fl.Status, msg, docsRateLimit)
	case fl.Status == http.StatusTooManyRequests || (fl.Status == http.StatusForbidden && fl.RetryAfter > 0):
		if msg == "" {
			msg = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
		}
		secs := int(fl.RetryAfter.Round(time.Second) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		writeError(w, fl.Status, msg, docsSecondary)
	case fl.Status == http.StatusUnprocessableEntity:
		if msg == "" {
			msg = "Validation Failed"
		}
		writeError(w, fl.Status, msg, docsCreate, fieldError{Resource: "Issue", Field: "title", Code: "invalid"})
	case fl.Status == http.StatusNotFound:
		notFound(w, docsREST)
	default:
		if msg == "" {
			msg = http.StatusText(fl.Status)
		}
		writeError(w, fl.Status, msg, docsREST)
	}
}
