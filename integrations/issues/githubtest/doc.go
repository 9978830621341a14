// Package githubtest is a fake of the part of the GitHub REST API that pwg
// uses for issues, for tests and the demo mode. The real go-github client
// talks to it over HTTP.
//
// Endpoints (also under the GitHub Enterprise prefix /api/v3):
//
//	GET   /user                                   the token's user
//	GET   /repos/{owner}/{repo}                   a repository
//	GET   /repos/{owner}/{repo}/issues            list, paged (page, per_page ≤ 100, Link header),
//	                                              state=open|closed|all, sort=created|updated,
//	                                              direction=asc|desc, labels=a,b, since=ISO 8601
//	                                              (updated at or after; 422 if malformed)
//	POST  /repos/{owner}/{repo}/issues            create: title, body, labels, assignee(s)
//	GET   /repos/{owner}/{repo}/issues/{n}        get
//	PATCH /repos/{owner}/{repo}/issues/{n}        update title, body, state, state_reason, labels
//	GET   /repos/{owner}/{repo}/issues/{n}/comments   list comments
//	POST  /repos/{owner}/{repo}/issues/{n}/comments   comment
//	GET   /search/issues?q=...                    search: repo:, is:issue, is:open|closed,
//	                                              state:, label:, in:title|body, words and "phrases"
//
// Like GitHub, the repository issue list is consistent (an issue is listed as
// soon as its creation returned) while search lags: SetSearchLag makes new
// issues invisible to search for a number of search requests, until
// ReleaseSearch.
//
// Authentication is "Authorization: Bearer TOKEN" or "token TOKEN"; an
// unknown or missing token gets 401 "Bad credentials". Errors use GitHub's
// documented shape {"message", "documentation_url", "status"}, validation
// failures are 422 with an "errors" array of {resource, field, code}. Every
// response carries the X-RateLimit-* headers. Inject switches on 401, 404,
// 422, 500, the primary rate limit (403 with X-RateLimit-Remaining: 0 and
// X-RateLimit-Reset) and the secondary one (429 or 403 with Retry-After).
//
// SetHook lets a test see, and hold back, each request before it is served,
// to force two clients' creations to cross.
package githubtest
