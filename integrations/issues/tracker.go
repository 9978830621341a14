package issues

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// TokenSecret is the name under which the GitHub token is kept in the
// workspace's secrets store (integrations/secrets).
const TokenSecret = "github.token"

// Issue is an issue as a tracker reports it.
type Issue struct {
	Number int
	URL    string // the page people open (html_url)
	Title  string
	Body   string
	Open   bool
}

// NewIssue is an issue to create.
type NewIssue struct {
	Title     string
	Body      string
	Labels    []string
	Assignees []string // tracker logins
}

// Tracker is an issue tracker's repository (GitHub now; GitLab can follow).
type Tracker interface {
	// Name names the repository for people, e.g. "github.com/acme/infra".
	Name() string
	// Scan calls fn with every issue of the repository, open and closed,
	// highest number first, until fn returns false. It must read a
	// consistent list: an issue whose Create returned is always seen.
	// Pull requests are not issues and are left out.
	Scan(ctx context.Context, fn func(Issue) bool) error
	// Create creates an issue in one call, labels and assignees included.
	Create(ctx context.Context, req NewIssue) (Issue, error)
	// CloseDuplicate marks dup as a duplicate of canonical and closes it.
	CloseDuplicate(ctx context.Context, dup, canonical Issue) error
}

// Errors a tracker reports, for errors.Is.
var (
	ErrUnauthorized = errors.New("the tracker rejected the token; enter a valid token in the team settings")
	ErrForbidden    = errors.New("the token is not allowed to do this; it needs write access to the repository's issues")
	ErrNotFound     = errors.New("repository not found, or the token cannot see it")
	ErrValidation   = errors.New("the tracker rejected the issue")
	ErrRateLimited  = errors.New("the tracker's rate limit is exhausted")
)

// APIError is an error answer of a tracker.
type APIError struct {
	Kind    error    // one of the sentinel errors above, or nil
	Status  int      // HTTP status
	Message string   // the tracker's message
	Details []string // field errors of a validation failure
	Err     error    // the client library's error
}

func (e *APIError) Error() string {
	var b strings.Builder
	if e.Kind != nil {
		b.WriteString(e.Kind.Error())
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d %s", e.Status, e.Message)
	if len(e.Details) > 0 {
		b.WriteString(" (" + strings.Join(e.Details, "; ") + ")")
	}
	return b.String()
}

// Unwrap returns the sentinel kind and the library's error.
func (e *APIError) Unwrap() []error {
	var out []error
	if e.Kind != nil {
		out = append(out, e.Kind)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// RateLimitError says the tracker's rate limit is exhausted and when to
// try again. errors.Is(err, ErrRateLimited) holds.
type RateLimitError struct {
	Reset     time.Time // when requests are allowed again; zero if unknown
	Secondary bool      // GitHub's secondary (abuse) limit
	Message   string
	Err       error
}

func (e *RateLimitError) Error() string {
	kind := "rate limit"
	if e.Secondary {
		kind = "secondary rate limit"
	}
	if e.Reset.IsZero() {
		return fmt.Sprintf("the tracker's %s is exhausted; try again later (%s)", kind, e.Message)
	}
	return fmt.Sprintf("the tracker's %s is exhausted; try again after %s (%s)", kind, e.Reset.Local().Format("15:04:05"), e.Message)
}

// Unwrap returns ErrRateLimited and the library's error.
func (e *RateLimitError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrRateLimited, e.Err}
	}
	return []error{ErrRateLimited}
}

// stopsRun reports whether err makes every further call fail too, so the
// remaining items are not tried.
func stopsRun(err error) bool {
	return errors.Is(err, ErrRateLimited) || errors.Is(err, ErrUnauthorized) ||
		errors.Is(err, ErrNotFound) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// outcomeKnown reports whether a failed Create certainly created nothing:
// the tracker answered with a client error. After a timeout or a 5xx the
// issue may exist.
func outcomeKnown(err error) bool {
	var api *APIError
	if errors.As(err, &api) {
		return api.Status >= 400 && api.Status < 500
	}
	var rl *RateLimitError
	return errors.As(err, &rl)
}
