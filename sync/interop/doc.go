// Package interop holds pwg's tests and benchmarks against the real JS
// automerge-repo: a Node project (package.json, package-lock.json; install
// with `npm install --prefix sync/interop --no-audit --no-fund`, which
// keeps the locked versions; `npm ci` refuses the lock file where the
// registry lacks cbor-extract's optional platform packages) with @automerge/automerge-repo, its
// WebSocket adapter and @automerge/automerge-repo-sync-server, driven from
// Go tests through peer.mjs. The tests skip when node or the installed
// packages are missing. The sync server runs unmodified; loopback.mjs,
// preloaded into it, only binds it to 127.0.0.1 on a free port.
package interop
