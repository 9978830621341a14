package secrets

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	keyring "github.com/zalando/go-keyring"
)

// Service is the keyring service name under which pwg keeps its secrets.
const Service = "pwg"

// ErrNotFound is returned by Get when no secret of that name is stored.
var ErrNotFound = errors.New("secret not found")

// Backends a Store can use, as reported by Store.Backend.
const (
	BackendKeyring = "keyring"
	BackendFile    = "file"
)

// probeTimeout bounds how long New's first use waits for a keyring to
// answer; a D-Bus session without a Secret Service can take a while to fail.
var probeTimeout = 3 * time.Second

// Keyring is the part of go-keyring a Store uses (a missing secret is
// keyring.ErrNotFound); tests replace it.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// testKeyring, when set, is the keyring of the stores New returns.
var testKeyring struct {
	sync.Mutex
	kr Keyring
}

// UseKeyring makes the stores New returns use kr instead of the OS keyring,
// trusted to answer (no probe), until restore is called. It is for tests of
// code that opens its stores with New and cannot be handed one: they count
// or hold the keyring reads with it.
func UseKeyring(kr Keyring) (restore func()) {
	testKeyring.Lock()
	defer testKeyring.Unlock()
	prev := testKeyring.kr
	testKeyring.kr = kr
	return func() {
		testKeyring.Lock()
		defer testKeyring.Unlock()
		testKeyring.kr = prev
	}
}

// osKeyring calls the OS keyring through go-keyring.
type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (osKeyring) Set(service, user, pw string) error       { return keyring.Set(service, user, pw) }
func (osKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

// Store keeps named secrets of one workspace. It is safe for concurrent use.
type Store struct {
	dir  string
	file *fileStore

	mu       sync.Mutex
	kr       Keyring // nil: file only
	probed   bool
	useKR    bool
	probeErr error
}

// New returns the store of the workspace in dir. It uses the OS keyring when
// one answers (checked once, on first use) and the 0600 file secrets.json in
// dir otherwise.
func New(dir string) *Store {
	testKeyring.Lock()
	kr := testKeyring.kr
	testKeyring.Unlock()
	if kr != nil {
		s := newStore(dir, kr)
		s.probed, s.useKR = true, true
		return s
	}
	return newStore(dir, osKeyring{})
}

// NewFile returns a store of the workspace in dir that never touches the OS
// keyring: secrets go to the 0600 file secrets.json in dir. Tests and
// headless peers use it.
func NewFile(dir string) *Store {
	return newStore(dir, nil)
}

func newStore(dir string, kr Keyring) *Store {
	return &Store{dir: dir, file: &fileStore{path: filepath.Join(dir, FileName)}, kr: kr}
}

// Backend reports where new secrets are written: BackendKeyring or
// BackendFile. It probes the keyring on first call.
func (s *Store) Backend() string {
	if s.keyring() != nil {
		return BackendKeyring
	}
	return BackendFile
}

// account names a secret in the keyring: the secret's name and a digest of
// the workspace folder's absolute path.
func (s *Store) account(name string) string {
	dir := s.dir
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	sum := sha256.Sum256([]byte(filepath.Clean(dir)))
	return name + "@" + hex.EncodeToString(sum[:8])
}

// keyring returns the keyring to use, or nil when there is none.
func (s *Store) keyring() Keyring {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.kr == nil {
		return nil
	}
	if !s.probed {
		s.probed = true
		s.useKR, s.probeErr = probe(s.kr, s.account("pwg.probe"))
	}
	if !s.useKR {
		return nil
	}
	return s.kr
}

// probe asks the keyring for a secret that does not exist: a keyring that
// works answers "not found" (or the secret); anything else, or no answer in
// time, means there is no usable keyring.
func probe(kr Keyring, account string) (bool, error) {
	done := make(chan error, 1)
	go func() {
		_, err := kr.Get(Service, account)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || errors.Is(err, keyring.ErrNotFound) {
			return true, nil
		}
		return false, err
	case <-time.After(probeTimeout):
		return false, errors.New("keyring did not answer")
	}
}

func validName(name string) error {
	if name == "" {
		return errors.New("secrets: empty secret name")
	}
	return nil
}

// Get returns the secret called name, or an error wrapping ErrNotFound.
// With a keyring it also looks in the file, where a secret saved while no
// keyring answered still lives.
func (s *Store) Get(name string) (string, error) {
	if err := validName(name); err != nil {
		return "", err
	}
	if kr := s.keyring(); kr != nil {
		v, err := kr.Get(Service, s.account(name))
		switch {
		case err == nil:
			return v, nil
		case !errors.Is(err, keyring.ErrNotFound):
			return "", fmt.Errorf("secrets: reading %q from the OS keyring: %w", name, err)
		}
	}
	v, ok, err := s.file.get(name)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("secrets: %q: %w", name, ErrNotFound)
	}
	return v, nil
}

// Set stores value as the secret called name, replacing any earlier value.
// With a keyring, a copy left in the file from earlier is removed.
func (s *Store) Set(name, value string) error {
	if err := validName(name); err != nil {
		return err
	}
	if kr := s.keyring(); kr != nil {
		if err := kr.Set(Service, s.account(name), value); err != nil {
			return fmt.Errorf("secrets: saving %q in the OS keyring: %w", name, err)
		}
		if _, err := s.file.delete(name); err != nil {
			return err
		}
		return nil
	}
	return s.file.set(name, value)
}

// Delete removes the secret called name from the keyring and the file. A
// secret that is not stored is not an error.
func (s *Store) Delete(name string) error {
	if err := validName(name); err != nil {
		return err
	}
	if kr := s.keyring(); kr != nil {
		err := kr.Delete(Service, s.account(name))
		if err != nil && !errors.Is(err, keyring.ErrNotFound) {
			return fmt.Errorf("secrets: deleting %q from the OS keyring: %w", name, err)
		}
	}
	_, err := s.file.delete(name)
	return err
}
