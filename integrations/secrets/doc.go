// Package secrets keeps a workspace's credentials (the Mackerel API key, the
// GitHub token) out of the minutes and out of logs.
//
// A Store saves each secret in the operating system's keyring (macOS
// Keychain, Windows Credential Manager, the freedesktop Secret Service over
// D-Bus) under the service "pwg" and an account made of the secret's name and
// a digest of the workspace folder, so two workspaces on one machine keep
// their own tokens. Where no keyring answers (a Linux machine without a
// session bus or Secret Service, as on CI), the store falls back to the file
// secrets.json in the workspace folder, mode 0600, replaced atomically (a
// temporary file renamed over it) so a crash never leaves half a file.
//
// File format (version 1):
//
//	{"version": 1, "secrets": {"github.token": "…", "mackerel.apikey": "…"}}
//
// Values are never logged, and error messages name the secret, never its
// value.
package secrets
