package lansync

import (
	"errors"
	"os"
	"time"
)

// ErrNotRunning is returned when no pwg is syncing a workspace (nobody to
// ask what it sees).
var ErrNotRunning = errors.New("no pwg is syncing this workspace (start one with `pwg serve` or the app)")

// Status is what a running node sees (`pwg peers --json`).
type Status struct {
	PID         int        `json:"pid"`
	Running     bool       `json:"running"`
	Updated     time.Time  `json:"updated"`
	Fingerprint string     `json:"fingerprint"`
	Listen      string     `json:"listen,omitempty"`
	Peers       []PeerInfo `json:"peers"`
}

// Status returns what the node sees now: this device and its peers.
func (n *Node) Status() Status {
	st := Status{PID: os.Getpid(), Running: true, Updated: time.Now(), Fingerprint: n.peerID, Peers: n.Peers()}
	if a := n.Addr(); a != nil {
		st.Listen = a.String()
	}
	return st
}
