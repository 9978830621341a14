package crashlog_test

import (
	"strings"
	"testing"

	"github.com/pwg-team/pwg/cmd/pwg/internal/crashlog"
)

func TestRedact(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"dial wss://onk:pa55@relay.example/x: refused", "dial wss://[REDACTED]@relay.example/x: refused"},
		{"join PWG1:eyJrIjoiYWJjIn0= failed", "join PWG1:[REDACTED] failed"},
		{"Authorization: Bearer abc.def", "Authorization: Bearer [REDACTED]"},
		{`{"token":"abc"}`, `{"token":"[REDACTED]"}`},
		{"X-Api-Key: k1", "X-Api-Key: [REDACTED]"},
		{"key Zx8Kq2Lm4Np6Rs8Tu0Vw2Xy4Za6Bc8De0Fg2Hi4Jk6 bad", "key [REDACTED] bad"},
		{"team 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "team [REDACTED]"},
	} {
		if got := crashlog.Redact(c.in); got != c.want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := crashlog.Redact("the value pebble-77 leaked", "pebble-77"); strings.Contains(got, "pebble-77") {
		t.Errorf("a known secret survived: %q", got)
	}
}

// A real stack trace must stay readable: nothing in it is redacted.
func TestRedactKeepsStackTraces(t *testing.T) {
	trace := `panic: runtime error: index out of range [3] with length 3

goroutine 42 [running]:
github.com/pwg-team/pwg/crdt/amsafe.(*Doc).SaveIncremental(0xc0001a2000, {0x0, 0x0})
	/home/onk/src/pwg/crdt/amsafe/amsafe.go:123 +0x1c5
fyne.io/fyne/v2/internal/driver/glfw.(*gLDriver).runGL(0xc000132000)
	/root/go/pkg/mod/fyne.io/fyne/v2@v2.8.1/internal/driver/glfw/loop.go:145 +0x2b1
created by github.com/pwg-team/pwg/sync.(*Node).serveConnectionUntilThePeerGoesAway in goroutine 17
	/home/onk/src/pwg/sync/node.go:88 +0x99
`
	if got := crashlog.Redact(trace); got != trace {
		t.Errorf("stack trace changed:\n%s", got)
	}
}
