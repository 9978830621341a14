package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

// Result tells what WriteDir wrote.
type Result struct {
	// File is the path of the Markdown file.
	File string
	// Images are the paths of the image files the Markdown refers to.
	Images []string
	// Missing are the hashes of attachments whose bytes were not available;
	// the Markdown says so in their place instead of linking a broken image.
	Missing []string
}

// FileName is the name WriteDir gives the Markdown file of m:
// "<date>-<title as ASCII>.md", or "minutes.md" when both are empty.
func FileName(m *Minutes) string {
	var parts []string
	if d := strings.TrimSpace(m.Date); d != "" && isDate(d) {
		parts = append(parts, d)
	}
	if s := slug(m.Title); s != "" {
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "minutes.md"
	}
	return strings.Join(parts, "-") + ".md"
}

func isDate(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '-' {
			return false
		}
	}
	return len(s) == len("2006-01-02")
}

// WriteDir writes the minutes to dir/FileName(m) and their images to
// dir/images/. Every file is written to a temporary file and renamed into
// place, images before the Markdown, so a crash leaves no half-written file
// and never a Markdown file pointing at images not yet written. An image
// already present with the same bytes is left alone.
func WriteDir(dir string, m *Minutes, opts Options) (Result, error) {
	if opts.Blobs == nil {
		return Result{}, ErrNoBlobs
	}
	b, imgs, err := render(m, opts, true)
	if err != nil {
		return Result{}, err
	}
	res := Result{File: filepath.Join(dir, FileName(m))}
	for h, img := range imgs.byHash {
		if img.missing {
			res.Missing = append(res.Missing, h)
		}
	}
	sort.Strings(res.Missing)
	list := imgs.images()
	if len(list) > 0 {
		if err := os.MkdirAll(filepath.Join(dir, ImageDir), 0o755); err != nil {
			return Result{}, fmt.Errorf("markdown: creating the images folder: %w", err)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return Result{}, fmt.Errorf("markdown: creating %s: %w", dir, err)
	}
	for _, img := range list {
		p := filepath.Join(dir, filepath.FromSlash(img.file))
		if err := writeIfChanged(p, img.data); err != nil {
			return Result{}, err
		}
		res.Images = append(res.Images, p)
	}
	if err := writeIfChanged(res.File, b); err != nil {
		return Result{}, err
	}
	return res, nil
}

// writeIfChanged writes data to path atomically unless path already holds
// exactly data.
func writeIfChanged(path string, data []byte) error {
	old, err := os.ReadFile(path)
	if err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("markdown: reading %s: %w", path, err)
	}
	return writeAtomic(path, data)
}

// writeAtomic writes data to a temporary file beside path, syncs it and
// renames it over path.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("markdown: writing %s: %w", path, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("markdown: writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("markdown: writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("markdown: writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("markdown: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("markdown: replacing %s: %w", path, err)
	}
	done = true
	return nil
}
