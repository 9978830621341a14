package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// A command sent to a running pwg carries a token. When the reply is lost
// (the running pwg was killed after carrying it out, before answering), the
// command line sends it again with the same token, to the restarted pwg or
// to the workspace directly: a command that changes the minutes and already
// ran under that token is not run again, its first reply is returned. The
// replies of the last replyMemory such commands are kept in the workspace,
// written only after the change itself is on disk.

const (
	replyMemory = 64
	// retryFor bounds how long a command whose reply was lost is retried.
	retryFor = 15 * time.Second
)

type savedReply struct {
	Token string       `json:"token"`
	Reply controlReply `json:"reply"`
	At    int64        `json:"at"`
}

// repliesMu serialises the read-modify-write of the saved replies.
var repliesMu sync.Mutex

func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func loadReplies(ws *minutes.Workspace) []savedReply {
	s, err := ws.Settings().ControlReplies()
	if err != nil || s == "" {
		return nil
	}
	var out []savedReply
	if json.Unmarshal([]byte(s), &out) != nil {
		return nil
	}
	return out
}

// onceByToken returns the saved reply of the command that ran under token,
// or runs it with run; if record (a command that changes the minutes, run
// for a client that waits for the reply), the workspace is flushed to disk
// and then the reply saved under token.
func onceByToken(ws *minutes.Workspace, token string, record bool, run func() controlReply) controlReply {
	if token == "" {
		return run()
	}
	repliesMu.Lock()
	defer repliesMu.Unlock()
	saved := loadReplies(ws)
	for _, r := range saved {
		if r.Token == token {
			return r.Reply
		}
	}
	rep := run()
	if !record {
		return rep
	}
	if err := ws.Flush(); err != nil {
		rep.Stderr += fmt.Sprintf("pwg: save: %v\n", err)
		rep.Code = exitFailed
		return rep
	}
	saved = append(saved, savedReply{Token: token, Reply: rep, At: time.Now().Unix()})
	if len(saved) > replyMemory {
		saved = saved[len(saved)-replyMemory:]
	}
	if b, err := json.Marshal(saved); err == nil {
		_ = ws.Settings().SetControlReplies(string(b)) // at worst a retry runs again
	}
	return rep
}
