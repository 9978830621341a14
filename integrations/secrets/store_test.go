package secrets_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pwg-team/pwg/integrations/secrets"
)

func TestFileStoreRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := secrets.NewFile(dir)
	if got := s.Backend(); got != secrets.BackendFile {
		t.Fatalf("Backend = %q, want file", got)
	}
	if _, err := s.Get("github.token"); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("Get on empty store: err = %v, want ErrNotFound", err)
	}
	if err := s.Set("github.token", "ghp_secret1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("mackerel.apikey", "mk-秘密"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("github.token", "ghp_secret2"); err != nil {
		t.Fatal(err)
	}

	// A fresh store over the same folder reads what the first wrote.
	s2 := secrets.NewFile(dir)
	for name, want := range map[string]string{"github.token": "ghp_secret2", "mackerel.apikey": "mk-秘密"} {
		got, err := s2.Get(name)
		if err != nil || got != want {
			t.Fatalf("Get(%q) = %q, %v; want %q", name, got, err, want)
		}
	}

	fi, err := os.Stat(filepath.Join(dir, secrets.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Fatalf("secrets file mode = %o, want 600", perm)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("folder holds %d entries, want only %s (temp files left behind?)", len(entries), secrets.FileName)
	}

	if err := s2.Delete("github.token"); err != nil {
		t.Fatal(err)
	}
	if err := s2.Delete("github.token"); err != nil {
		t.Fatalf("second Delete: %v, want nil", err)
	}
	if _, err := s.Get("github.token"); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("Get after Delete: err = %v, want ErrNotFound", err)
	}
	if v, err := s.Get("mackerel.apikey"); err != nil || v != "mk-秘密" {
		t.Fatalf("other secret lost: %q, %v", v, err)
	}
}

func TestFileStoreCreatesFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "ws")
	s := secrets.NewFile(dir)
	if err := s.Set("a", "b"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get("a"); err != nil || v != "b" {
		t.Fatalf("Get = %q, %v", v, err)
	}
}

func TestCorruptFileErrorHidesContent(t *testing.T) {
	dir := t.TempDir()
	const leaked = "ghp_dontprintme"
	if err := os.WriteFile(filepath.Join(dir, secrets.FileName), []byte(`{"secrets": {"x": "`+leaked), 0o600); err != nil {
		t.Fatal(err)
	}
	s := secrets.NewFile(dir)
	_, err := s.Get("x")
	if err == nil {
		t.Fatal("Get on a corrupt file succeeded")
	}
	if errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("corrupt file reported as not found: %v", err)
	}
	if strings.Contains(err.Error(), leaked) {
		t.Fatalf("error message leaks the file content: %v", err)
	}
	// Set must not overwrite a file it could not read.
	if err := s.Set("y", "z"); err == nil {
		t.Fatal("Set over a corrupt file succeeded and would drop its secrets")
	}
}

func TestEmptyNameRejected(t *testing.T) {
	s := secrets.NewFile(t.TempDir())
	if err := s.Set("", "v"); err == nil {
		t.Fatal("Set with empty name succeeded")
	}
}

func TestConcurrentSets(t *testing.T) {
	s := secrets.NewFile(t.TempDir())
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := string(rune('a' + i))
			if err := s.Set(name, "v"+name); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for i := range 20 {
		name := string(rune('a' + i))
		if v, err := s.Get(name); err != nil || v != "v"+name {
			t.Fatalf("Get(%q) = %q, %v", name, v, err)
		}
	}
}

// TestNewWorksWithTheRealKeyringOrFile runs the store with the real
// go-keyring: on a machine without a Secret Service (CI) it must fall back
// to the file; with one, it must round-trip through it.
func TestNewWorksWithTheRealKeyringOrFile(t *testing.T) {
	dir := t.TempDir()
	s := secrets.New(dir)
	t.Logf("backend: %s", s.Backend())
	const name = "pwg.test.secret"
	t.Cleanup(func() { _ = s.Delete(name) })
	if err := s.Set(name, "value"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get(name); err != nil || v != "value" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	_, statErr := os.Stat(filepath.Join(dir, secrets.FileName))
	if (s.Backend() == secrets.BackendFile) != (statErr == nil) {
		t.Fatalf("backend %s but secrets file stat: %v", s.Backend(), statErr)
	}
	if err := s.Delete(name); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(name); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
}
