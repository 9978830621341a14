package docs

import (
	"encoding/json"
	"time"

	"github.com/automerge/automerge-go"
)

// Author is who makes a change: a stable person id and a display name. It is
// recorded in every change's message.
type Author struct {
	PersonID string `json:"pid"`
	Name     string `json:"by"`
}

// ChangeAuthor reads the author recorded in a change's message; changes made
// by other Automerge tools have none.
func ChangeAuthor(c *automerge.Change) Author {
	var a Author
	_ = json.Unmarshal([]byte(c.Message()), &a)
	if a.Name == "" {
		a.Name = "unknown (" + short(c.ActorID()) + ")"
	}
	return a
}

func short(s string) string {
	if len(s) > 8 {
		return s[:8]
	}
	return s
}

// ChangeInfo describes one change of a document.
type ChangeInfo struct {
	Hash   automerge.ChangeHash
	Actor  string
	Author Author
	What   string
	Time   time.Time
}

func changeInfo(c *automerge.Change) ChangeInfo {
	var m struct {
		What string `json:"what"`
	}
	_ = json.Unmarshal([]byte(c.Message()), &m)
	return ChangeInfo{Hash: c.Hash(), Actor: c.ActorID(), Author: ChangeAuthor(c), What: m.What, Time: c.Timestamp()}
}
