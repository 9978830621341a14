package markdown_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pwg-team/pwg/integrations/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update. A
// mismatch leaves the output in testdata/failed/.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		failed := filepath.Join("testdata", "failed", name)
		_ = os.MkdirAll(filepath.Dir(failed), 0o755)
		_ = os.WriteFile(failed, got, 0o644)
		t.Fatalf("export differs from %s; output written to %s", path, failed)
	}
}

func TestExportGolden(t *testing.T) {
	m, blobs := fixture()
	for _, tc := range []struct {
		golden string
		labels *markdown.Labels
	}{
		{"minutes.golden.md", nil},
		{"minutes-ja.golden.md", &markdown.Japanese},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var buf bytes.Buffer
			if err := markdown.Export(&buf, m, markdown.Options{Blobs: blobs.get, Labels: tc.labels}); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.golden, buf.Bytes())
			checkGFM(t, buf.Bytes(), 3)
		})
	}
}

func TestExportIsDeterministic(t *testing.T) {
	m, blobs := fixture()
	first, err := markdown.String(m, markdown.Options{Blobs: blobs.get})
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		m2, _ := fixture() // fresh maps and slices each time
		got, err := markdown.String(m2, markdown.Options{Blobs: blobs.get})
		if err != nil {
			t.Fatal(err)
		}
		if got != first {
			t.Fatal("two exports of the same minutes differ")
		}
	}
	// Without a blob source the text is the same when every image exists.
	noBlobs, err := markdown.String(m, markdown.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if noBlobs != first {
		t.Fatal("export without a blob source differs although every blob exists")
	}
}

func TestMissingBlobIsNotABrokenLink(t *testing.T) {
	m, blobs := fixture()
	pasted := m.Attachments[2].Hash // referenced in the incident notes
	delete(blobs, pasted)
	out, err := markdown.String(m, markdown.Options{Blobs: blobs.get})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, pasted[:12]) {
		t.Fatalf("export links the missing image:\n%s", out)
	}
	if !strings.Contains(out, "*(image not available: 決済APIのエラー率)*") {
		t.Fatalf("export does not say the image is missing:\n%s", out)
	}
	checkGFM(t, []byte(out), 2)
}

func TestUnknownFencedNotesAreClosed(t *testing.T) {
	m, _ := fixture()
	m.Sections[1].Notes = "```go\nfunc main() {"
	out, err := markdown.String(m, markdown.Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc := parseGFM(t, []byte(out))
	if got := countHeadings(doc, 2); got != len(m.Sections) {
		t.Fatalf("an unclosed fence in the notes swallowed headings: %d level-2 headings, want %d", got, len(m.Sections))
	}
}

func TestFileName(t *testing.T) {
	for _, tc := range []struct {
		title, date, want string
	}{
		{"2026年11月 PWG", "2026-11-24", "2026-11-24-2026-11-pwg.md"},
		{"定例", "2026-11-24", "2026-11-24.md"},
		{"", "", "minutes.md"},
		{"../../etc/passwd", "../x", "etc-passwd.md"},
	} {
		if got := markdown.FileName(&markdown.Minutes{Title: tc.title, Date: tc.date}); got != tc.want {
			t.Errorf("FileName(%q, %q) = %q, want %q", tc.title, tc.date, got, tc.want)
		}
	}
}

// TestFieldsCannotInjectMarkup puts Markdown and HTML into plain-text
// fields: they must come out as text, never as structure.
func TestFieldsCannotInjectMarkup(t *testing.T) {
	m, _ := fixture()
	m.Title = "title\n# injected heading"
	m.Sections[2].Title = "log <script>alert(1)</script>"
	m.AlertReviews[1].MonitorName = "a | b | c\n| --- |"
	m.Actions[1].Title = "x\n- [ ] fake item"
	m.Actions[1].Owner = "[owner](javascript:alert(1))"
	out, err := markdown.String(m, markdown.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkGFM(t, []byte(out), 3)
	var html bytes.Buffer
	if err := gfm.Convert([]byte(out), &html); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html.String(), "<script>") {
		t.Fatalf("raw HTML from a field reached the output:\n%s", html.String())
	}
	if n := countHeadings(parseGFM(t, []byte(out)), 1); n != 1 {
		t.Fatalf("%d level-1 headings, want 1", n)
	}
}
