package markdown_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	stdtime "time"

	"github.com/pwg-team/pwg/integrations/markdown"
)

func TestWriteDir(t *testing.T) {
	m, blobs := fixture()
	dir := filepath.Join(t.TempDir(), "out")
	res, err := markdown.WriteDir(dir, m, markdown.Options{Blobs: blobs.get})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "2026-11-24-2026-11-pwg.md"); res.File != want {
		t.Fatalf("File = %q, want %q", res.File, want)
	}
	md, err := os.ReadFile(res.File)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := markdown.String(m, markdown.Options{Blobs: blobs.get})
	if string(md) != want {
		t.Fatal("file content differs from String")
	}
	if len(res.Images) != 3 || len(res.Missing) != 0 {
		t.Fatalf("Images %v, Missing %v; want 3 images, none missing", res.Images, res.Missing)
	}
	// Every image the Markdown links exists with the blob's exact bytes.
	doc := parseGFM(t, md)
	for _, dest := range imageDests(doc) {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(dest)))
		if err != nil {
			t.Fatalf("linked image %s: %v", dest, err)
		}
		hashPrefix := strings.SplitN(strings.TrimPrefix(dest, "images/"), "-", 2)[0]
		found := false
		for h, b := range blobs {
			if strings.HasPrefix(h, hashPrefix) {
				found = bytes.Equal(b, data)
			}
		}
		if !found {
			t.Fatalf("image %s does not hold its blob's bytes", dest)
		}
	}
	assertNoTempFiles(t, dir)

	// A second export of the same minutes changes nothing.
	before := modTimes(t, dir)
	if _, err := markdown.WriteDir(dir, m, markdown.Options{Blobs: blobs.get}); err != nil {
		t.Fatal(err)
	}
	after := modTimes(t, dir)
	for p, mt := range before {
		if !after[p].Equal(mt) {
			t.Errorf("%s rewritten although unchanged", p)
		}
	}
}

func TestWriteDirReportsMissing(t *testing.T) {
	m, blobs := fixture()
	delete(blobs, m.Attachments[0].Hash)
	res, err := markdown.WriteDir(t.TempDir(), m, markdown.Options{Blobs: blobs.get})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Missing) != 1 || res.Missing[0] != m.Attachments[0].Hash || len(res.Images) != 2 {
		t.Fatalf("Images %v, Missing %v; want 2 written and %s missing", res.Images, res.Missing, m.Attachments[0].Hash)
	}
}

func TestWriteDirNeedsBlobs(t *testing.T) {
	m, _ := fixture()
	if _, err := markdown.WriteDir(t.TempDir(), m, markdown.Options{}); !errors.Is(err, markdown.ErrNoBlobs) {
		t.Fatalf("err = %v, want ErrNoBlobs", err)
	}
}

// TestWriteDirFailureKeepsOldExport makes the images folder impossible to
// create: the earlier Markdown file must stay as it was.
func TestWriteDirFailureKeepsOldExport(t *testing.T) {
	m, blobs := fixture()
	dir := t.TempDir()
	old := []byte("old export\n")
	mdPath := filepath.Join(dir, markdown.FileName(m))
	if err := os.WriteFile(mdPath, old, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, markdown.ImageDir), []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := markdown.WriteDir(dir, m, markdown.Options{Blobs: blobs.get}); err == nil {
		t.Fatal("WriteDir succeeded although images/ is a file")
	}
	got, _ := os.ReadFile(mdPath)
	if !bytes.Equal(got, old) {
		t.Fatalf("old export changed to %q", got)
	}
	assertNoTempFiles(t, dir)
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	_ = filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".tmp") {
			t.Errorf("temporary file left behind: %s", p)
		}
		return nil
	})
}

func modTimes(t *testing.T, dir string) map[string]stdtime.Time {
	t.Helper()
	out := map[string]stdtime.Time{}
	_ = filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			out[p] = fi.ModTime()
		}
		return nil
	})
	return out
}
