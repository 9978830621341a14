package secrets

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// FileName is the name of the fallback secrets file in the workspace folder.
const FileName = "secrets.json"

// fileVersion is the version of the secrets file format this package writes.
const fileVersion = 1

// fileData is the JSON content of the secrets file.
type fileData struct {
	Version int               `json:"version"`
	Secrets map[string]string `json:"secrets"`
}

// fileStore is the 0600 JSON file of secrets.
type fileStore struct {
	path string
	mu   sync.Mutex
}

func (f *fileStore) load() (fileData, error) {
	d := fileData{Version: fileVersion, Secrets: map[string]string{}}
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return d, nil
	}
	if err != nil {
		return d, fmt.Errorf("secrets: reading %s: %w", f.path, err)
	}
	if err := json.Unmarshal(b, &d); err != nil {
		// Never quote the content: it holds secrets.
		return d, fmt.Errorf("secrets: %s is not a valid secrets file; delete it and enter the tokens again", f.path)
	}
	if d.Version > fileVersion {
		return d, fmt.Errorf("secrets: %s has version %d, newer than this pwg understands (%d)", f.path, d.Version, fileVersion)
	}
	if d.Secrets == nil {
		d.Secrets = map[string]string{}
	}
	return d, nil
}

func (f *fileStore) get(name string) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, err := f.load()
	if err != nil {
		return "", false, err
	}
	v, ok := d.Secrets[name]
	return v, ok, nil
}

func (f *fileStore) set(name, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, err := f.load()
	if err != nil {
		return err
	}
	d.Secrets[name] = value
	return f.save(d)
}

// delete removes name and reports whether it was there. A missing file is
// left missing.
func (f *fileStore) delete(name string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, err := f.load()
	if err != nil {
		return false, err
	}
	if _, ok := d.Secrets[name]; !ok {
		return false, nil
	}
	delete(d.Secrets, name)
	return true, f.save(d)
}

// save writes d to a temporary file in the same folder, mode 0600, syncs
// it and renames it over the secrets file.
func (f *fileStore) save(d fileData) error {
	d.Version = fileVersion
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("secrets: encoding: %w", err)
	}
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("secrets: creating %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".secrets-*.tmp")
	if err != nil {
		return fmt.Errorf("secrets: writing %s: %w", f.path, err)
	}
	tmpName := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	// CreateTemp makes the file 0600 already; say so for umask-free clarity.
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("secrets: writing %s: %w", f.path, err)
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("secrets: writing %s: %w", f.path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("secrets: writing %s: %w", f.path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("secrets: writing %s: %w", f.path, err)
	}
	if err := os.Rename(tmpName, f.path); err != nil {
		return fmt.Errorf("secrets: replacing %s: %w", f.path, err)
	}
	ok = true
	if dh, err := os.Open(dir); err == nil {
		_ = dh.Sync()
		dh.Close()
	}
	return nil
}
