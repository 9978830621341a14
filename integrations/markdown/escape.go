package markdown

import (
	"net/url"
	"strings"
	"unicode"
)

// oneLine joins the lines of s with spaces and trims it.
func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.TrimSpace(strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }), " "))
}

// inlineSpecial are the ASCII punctuation characters that can start Markdown
// or HTML syntax inside a line. CommonMark lets any ASCII punctuation be
// backslash-escaped, so escaping them is always safe.
const inlineSpecial = "\\`*_[]<>|~!#&"

// text escapes a plain-text field for use inside a Markdown line. Control
// characters (NUL, a terminal escape, which a peer may have written) are
// dropped, a tab becomes a space.
func text(s string) string {
	s = oneLine(s)
	var b strings.Builder
	for _, r := range s {
		if r == '\t' {
			r = ' '
		} else if unicode.IsControl(r) {
			continue
		}
		if r < 0x80 && strings.ContainsRune(inlineSpecial, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cell escapes a plain-text field for a GFM table cell: like text, and each
// line break becomes <br>. An empty cell stays empty.
func cell(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = text(l)
	}
	return strings.Join(lines, "<br>")
}

// safeURL returns u when it is an absolute http or https URL, else "".
func safeURL(u string) string {
	u = strings.TrimSpace(u)
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return u
}

// dest formats a link destination: in angle brackets when it holds
// characters that would end a bare destination.
func dest(u string) string {
	if strings.ContainsAny(u, " ()<>\t") {
		r := strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20", "\t", "%09")
		return "<" + r.Replace(u) + ">"
	}
	return u
}

// link returns [label](url) when url is safe, else the label alone. label
// must already be escaped.
func link(label, u string) string {
	if s := safeURL(u); s != "" {
		return "[" + label + "](" + dest(s) + ")"
	}
	return label
}
