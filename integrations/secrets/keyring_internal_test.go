package secrets

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	keyring "github.com/zalando/go-keyring"
)

// fakeKeyring is an in-memory keyring; err, when set, fails every call.
type fakeKeyring struct {
	mu    sync.Mutex
	items map[string]string
	err   error
	block chan struct{} // when non-nil, Get waits on it
}

func (f *fakeKeyring) Get(service, user string) (string, error) {
	if f.block != nil {
		<-f.block
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return "", f.err
	}
	v, ok := f.items[service+"/"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (f *fakeKeyring) Set(service, user, pw string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	if f.items == nil {
		f.items = map[string]string{}
	}
	f.items[service+"/"+user] = pw
	return nil
}

func (f *fakeKeyring) Delete(service, user string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	if _, ok := f.items[service+"/"+user]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.items, service+"/"+user)
	return nil
}

func TestKeyringUsedWhenAvailable(t *testing.T) {
	dir := t.TempDir()
	kr := &fakeKeyring{}
	s := newStore(dir, kr)
	if s.Backend() != BackendKeyring {
		t.Fatalf("Backend = %q, want keyring", s.Backend())
	}
	if err := s.Set("github.token", "ghp_x"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("secrets file written although a keyring works (stat err %v)", err)
	}
	if len(kr.items) != 1 {
		t.Fatalf("keyring holds %d items, want 1", len(kr.items))
	}
	for k := range kr.items {
		if want := Service + "/" + s.account("github.token"); k != want {
			t.Fatalf("keyring key %q, want %q", k, want)
		}
	}
	if v, err := s.Get("github.token"); err != nil || v != "ghp_x" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	if err := s.Delete("github.token"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("github.token"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
}

func TestWorkspacesHaveSeparateAccounts(t *testing.T) {
	kr := &fakeKeyring{}
	a, b := newStore(t.TempDir(), kr), newStore(t.TempDir(), kr)
	if err := a.Set("github.token", "A"); err != nil {
		t.Fatal(err)
	}
	if err := b.Set("github.token", "B"); err != nil {
		t.Fatal(err)
	}
	if v, _ := a.Get("github.token"); v != "A" {
		t.Fatalf("workspace a reads %q, want A", v)
	}
	if v, _ := b.Get("github.token"); v != "B" {
		t.Fatalf("workspace b reads %q, want B", v)
	}
}

func TestFallbackWhenKeyringFails(t *testing.T) {
	dir := t.TempDir()
	s := newStore(dir, &fakeKeyring{err: errors.New("org.freedesktop.DBus.Error.ServiceUnknown")})
	if s.Backend() != BackendFile {
		t.Fatalf("Backend = %q, want file", s.Backend())
	}
	if err := s.Set("t", "v"); err != nil {
		t.Fatal(err)
	}
	if v, err := NewFile(dir).Get("t"); err != nil || v != "v" {
		t.Fatalf("file holds %q, %v", v, err)
	}
}

func TestFallbackWhenKeyringHangs(t *testing.T) {
	old := probeTimeout
	probeTimeout = 50 * time.Millisecond
	defer func() { probeTimeout = old }()
	block := make(chan struct{})
	defer close(block)
	s := newStore(t.TempDir(), &fakeKeyring{block: block})
	if s.Backend() != BackendFile {
		t.Fatalf("Backend = %q, want file", s.Backend())
	}
}

func TestKeyringReadsAndMigratesFileSecret(t *testing.T) {
	dir := t.TempDir()
	if err := NewFile(dir).Set("github.token", "old"); err != nil {
		t.Fatal(err)
	}
	kr := &fakeKeyring{}
	s := newStore(dir, kr)
	if v, err := s.Get("github.token"); err != nil || v != "old" {
		t.Fatalf("Get of a file secret with a keyring = %q, %v", v, err)
	}
	if err := s.Set("github.token", "new"); err != nil {
		t.Fatal(err)
	}
	if _, err := NewFile(dir).Get("github.token"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("file copy not removed after Set into the keyring: %v", err)
	}
	if v, _ := s.Get("github.token"); v != "new" {
		t.Fatalf("Get = %q, want new", v)
	}
}
