package main

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// Checks of what a command line brings in, the same whether the command runs
// here or is carried out by a running pwg (they run before forwarding, and
// again in the running pwg); every refusal is a usage error (exit 2).

// Dates outside this range are refused (a typo such as 0202 or 2206).
var (
	minDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)
)

// maxStdinBytes bounds the text read from stdin: minutes.MaxInsert code
// points of at most 4 bytes each (it is read no further, so 50 MB on stdin
// cost 256 KiB, not gigabytes).
const maxStdinBytes = 4 * minutes.MaxInsert

// checkArgs refuses arguments that are not valid UTF-8 or hold NUL (JSON
// would turn the first into U+FFFD on the way to a running pwg).
func checkArgs(args []string) error {
	for _, a := range args {
		if !utf8.ValidString(a) {
			return usageErr("argument %q is not valid UTF-8", clean(a))
		}
		if strings.ContainsRune(a, 0) {
			return usageErr("argument %q holds a NUL character", clean(a))
		}
	}
	return nil
}

// checkLine refuses a one-line value (title, owner) with control characters
// or over minutes.MaxTitle characters.
func checkLine(flag, s string) error {
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		return usageErr("%s %q holds a control character (%U); it must be one line of text", flag, clean(s), []rune(s[i:])[0])
	}
	if n := utf8.RuneCountInString(s); n > minutes.MaxTitle {
		return usageErr("%s is %d characters long, at most %d", flag, n, minutes.MaxTitle)
	}
	return nil
}

// checkDate refuses a date that is not YYYY-MM-DD within 2000–2099.
func checkDate(flag, s string) error {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return usageErr("%s %q: want YYYY-MM-DD", flag, clean(s))
	}
	if d.Before(minDate) || d.After(maxDate) {
		return usageErr("%s %s is outside %s … %s", flag, s, minDate.Format(time.DateOnly), maxDate.Format(time.DateOnly))
	}
	return nil
}

// checkText refuses text to append that is not valid UTF-8, holds NUL or is
// over minutes.MaxInsert characters.
func checkText(what, s string) error {
	if !utf8.ValidString(s) {
		return usageErr("%s is not valid UTF-8", what)
	}
	if strings.ContainsRune(s, 0) {
		return usageErr("%s holds a NUL character", what)
	}
	if n := utf8.RuneCountInString(s); n > minutes.MaxInsert {
		return usageErr("%s is %d characters long, at most %d at once (attach a long text as a file)", what, n, minutes.MaxInsert)
	}
	return nil
}

// readStdin reads the text of a command from stdin, refusing more than
// maxStdinBytes without reading further.
func readStdin(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxStdinBytes+1))
	if err != nil {
		return "", fmt.Errorf("read stdin: %w", err)
	}
	if len(b) > maxStdinBytes {
		return "", usageErr("stdin holds more than %d bytes; at most %d characters may be appended at once (attach a long text as a file)", maxStdinBytes, minutes.MaxInsert)
	}
	s := string(b)
	return s, checkText("text on stdin", s)
}

// clean neutralises control characters for printing a value that may have
// come from a peer (a title with a newline or a terminal escape): each is
// shown escaped, as \n or \x1b, so one value stays one line and nothing
// reaches the terminal as a command. Invalid UTF-8 shows as U+FFFD.
func clean(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == utf8.RuneError || isBidi(r) }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case unicode.IsControl(r) || isBidi(r):
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isBidi reports the bidirectional overrides and isolates that can make a
// line read differently from what it holds.
func isBidi(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}
