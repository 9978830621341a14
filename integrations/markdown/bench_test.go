package markdown_test

import (
	"io"
	"strings"
	"testing"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/markdown"
)

// BenchmarkExportLargeMeeting exports a meeting whose eight sections hold
// about 24 KB of notes each, with 53 alert rows and 33 action items.
func BenchmarkExportLargeMeeting(b *testing.B) {
	m, blobs := fixture()
	for i := range m.Sections {
		m.Sections[i].Notes += strings.Repeat("- 議事メモの行です。 `code` and **bold** text\n", 400)
	}
	for i := range 50 {
		m.AlertReviews = append(m.AlertReviews, minutes.AlertReview{MonitorName: "monitor | " + string(rune('a'+i%26)), Count: i, Verdict: minutes.VerdictKeep, Note: "line1\nline2"})
	}
	for range 30 {
		m.Actions = append(m.Actions, m.Actions[0])
	}
	opts := markdown.Options{Blobs: blobs.get}
	for b.Loop() {
		if err := markdown.Export(io.Discard, m, opts); err != nil {
			b.Fatal(err)
		}
	}
}
