package crashlog

import (
	"regexp"
	"strings"
)

// Redacted replaces whatever [Redact] removes.
const Redacted = "[REDACTED]"

var (
	// scheme://user:password@host → scheme://[REDACTED]@host (relay URLs
	// may carry a reverse proxy's credentials).
	urlUserinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)[^/\s@]+@`)
	// A pwg invitation carries the team key.
	invitation = regexp.MustCompile(`PWG1:[^\s"'` + "`" + `]+`)
	// "Authorization: Bearer x", "X-Api-Key: x", "token=x", "password: x"…
	keyValue = regexp.MustCompile(`(?i)\b(authorization|x-api-key|api[_-]?key|apikey|token|password|passwd|secret|team[_-]?key)(["']?\s*[:=]\s*["']?)(bearer\s+|token\s+|basic\s+)?[^\s"',;)}\]]+`)
	// Long runs of letters and digits: API keys (Mackerel), GitHub tokens
	// (ghp_…, github_pat_…), hex team keys. Stack traces have none: their
	// names break at dots, slashes and parentheses, addresses are short.
	longToken = regexp.MustCompile(`[A-Za-z0-9_\-]{32,}`)
)

// Redact removes passwords, tokens and keys from crash output: the given
// secret values wherever they appear, credentials in URLs, pwg invitations,
// key=value and header-style secrets, and any run of 32 or more letters,
// digits, '_' or '-' that mixes letters and digits.
func Redact(s string, secrets ...string) string {
	for _, v := range secrets {
		if len(v) >= 4 { // shorter would blank out ordinary words
			s = strings.ReplaceAll(s, v, Redacted)
		}
	}
	s = urlUserinfo.ReplaceAllString(s, "${1}"+Redacted+"@")
	s = invitation.ReplaceAllString(s, "PWG1:"+Redacted)
	s = keyValue.ReplaceAllString(s, "${1}${2}${3}"+Redacted)
	s = longToken.ReplaceAllStringFunc(s, func(tok string) string {
		if strings.ContainsAny(tok, "0123456789") && strings.IndexFunc(tok, isLetter) >= 0 {
			return Redacted
		}
		return tok
	})
	return s
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
