package lansync

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// StatusFileName is the status file's name inside a workspace folder.
const StatusFileName = "sync-status.json"

// statusEvery is how often a running node rewrites its status file; a file
// older than three times this is stale (the node is gone).
const statusEvery = 5 * time.Second

// ErrNotRunning is returned by ReadStatus when no sync is running there.
var ErrNotRunning = errors.New("no pwg is syncing this workspace (start one with `pwg serve` or the app)")

// Status is what a running node sees, as written to its status file.
type Status struct {
	PID         int        `json:"pid"`
	Running     bool       `json:"running"`
	Updated     time.Time  `json:"updated"`
	Fingerprint string     `json:"fingerprint"`
	Listen      string     `json:"listen,omitempty"`
	Peers       []PeerInfo `json:"peers"`
}

// StatusPath returns the status file of the workspace in dir.
func StatusPath(dir string) string { return filepath.Join(dir, StatusFileName) }

// ReadStatus reads a status file written by a running node (Options.StatusFile).
// It returns ErrNotRunning if there is none, or if it is stale.
func ReadStatus(path string) (*Status, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotRunning
	}
	if err != nil {
		return nil, fmt.Errorf("read sync status: %w", err)
	}
	var st Status
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("sync status %s is damaged: %w", path, err)
	}
	if !st.Running || time.Since(st.Updated) > 3*statusEvery {
		return &st, ErrNotRunning
	}
	return &st, nil
}

func (n *Node) statusLoop() {
	defer n.wg.Done()
	events, stop := n.Subscribe()
	defer stop()
	t := time.NewTicker(statusEvery)
	defer t.Stop()
	n.writeStatus(true)
	for {
		select {
		case <-n.ctx.Done():
			return
		case <-events:
		case <-t.C:
		}
		n.writeStatus(true)
	}
}

func (n *Node) writeStatus(running bool) {
	st := Status{PID: os.Getpid(), Running: running, Updated: time.Now(), Fingerprint: n.peerID, Peers: n.Peers()}
	if a := n.Addr(); a != nil {
		st.Listen = a.String()
	}
	b, _ := json.MarshalIndent(st, "", "  ")
	tmp := n.opts.StatusFile + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		n.log.Warn("write sync status", "err", err)
		return
	}
	if err := os.Rename(tmp, n.opts.StatusFile); err != nil {
		n.log.Warn("write sync status", "err", err)
	}
}
