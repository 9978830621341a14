package mackerel

import (
	"errors"
	"fmt"
	"strings"
)

// SecretStore keeps credentials outside the minutes; integrations/secrets
// implements it (OS keyring, else a 0600 file in the workspace).
type SecretStore interface {
	Get(name string) (string, error)
	Set(name, value string) error
}

// Names of the secrets kept for Mackerel.
const (
	SecretAPIKey  = "mackerel.apikey"
	SecretOrg     = "mackerel.org"
	SecretBaseURL = "mackerel.baseurl"
)

// Credentials are the settings of the Mackerel account. The API key is
// never logged: String hides it.
type Credentials struct {
	APIKey  string
	Org     string
	BaseURL string // empty for DefaultBaseURL
}

// String describes the credentials without the key.
func (c Credentials) String() string {
	key := "not set"
	if c.APIKey != "" {
		key = "set"
	}
	return fmt.Sprintf("Mackerel org %q at %s (API key %s)", c.Org, c.baseURL(), key)
}

func (c Credentials) baseURL() string {
	if c.BaseURL == "" {
		return DefaultBaseURL
	}
	return c.BaseURL
}

// LoadCredentials reads the credentials; a missing API key is ErrNoAPIKey.
// isNotFound tells the store's "not found" error apart (e.g. a func wrapping
// errors.Is(err, secrets.ErrNotFound)); nil treats every error as fatal.
func LoadCredentials(s SecretStore, isNotFound func(error) bool) (Credentials, error) {
	get := func(name string) (string, error) {
		v, err := s.Get(name)
		if err != nil {
			if isNotFound != nil && isNotFound(err) {
				return "", nil
			}
			return "", fmt.Errorf("read %s: %w", name, err)
		}
		return v, nil
	}
	var c Credentials
	var err error
	if c.APIKey, err = get(SecretAPIKey); err != nil {
		return c, err
	}
	if c.Org, err = get(SecretOrg); err != nil {
		return c, err
	}
	if c.BaseURL, err = get(SecretBaseURL); err != nil {
		return c, err
	}
	if strings.TrimSpace(c.APIKey) == "" {
		return c, ErrNoAPIKey
	}
	return c, nil
}

// SaveCredentials stores the credentials.
func SaveCredentials(s SecretStore, c Credentials) error {
	if strings.TrimSpace(c.APIKey) == "" {
		return ErrNoAPIKey
	}
	return errors.Join(
		s.Set(SecretAPIKey, strings.TrimSpace(c.APIKey)),
		s.Set(SecretOrg, strings.TrimSpace(c.Org)),
		s.Set(SecretBaseURL, strings.TrimSpace(c.BaseURL)),
	)
}

// Config returns a client configuration for the credentials.
func (c Credentials) Config() Config {
	return Config{APIKey: c.APIKey, Org: c.Org, BaseURL: c.BaseURL}
}
