// Package edittrace reads the editing traces kept in
// crdt/textsync/testdata/editing-traces (recordings of real typing, from
// github.com/josephg/editing-traces) for tests and benchmarks of any package
// of the module.
package edittrace

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Patch is one edit: at Pos, delete Del code points and insert Ins.
type Patch struct {
	Pos, Del int
	Ins      string
}

// UnmarshalJSON reads the trace format's [pos, del, ins] triple.
func (p *Patch) UnmarshalJSON(b []byte) error {
	var raw [3]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if err := json.Unmarshal(raw[0], &p.Pos); err != nil {
		return err
	}
	if err := json.Unmarshal(raw[1], &p.Del); err != nil {
		return err
	}
	return json.Unmarshal(raw[2], &p.Ins)
}

// Txn is one transaction of a trace: an agent's patches, made after the
// transactions Parents.
type Txn struct {
	Parents []int   `json:"parents"`
	Agent   int     `json:"agent"`
	Patches []Patch `json:"patches"`
}

// Trace is a whole editing trace.
type Trace struct {
	Kind         string `json:"kind"`
	StartContent string `json:"startContent"`
	EndContent   string `json:"endContent"`
	NumAgents    int    `json:"numAgents"`
	Txns         []Txn  `json:"txns"`
}

// Load reads the trace name (e.g. "seph-blog1") from the module's
// testdata, found by walking up from the working directory to go.mod.
func Load(name string) (*Trace, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		up := filepath.Dir(dir)
		if up == dir {
			return nil, errors.New("edittrace: no go.mod above the working directory")
		}
		dir = up
	}
	f, err := os.Open(filepath.Join(dir, "crdt", "textsync", "testdata", "editing-traces", name+".json.gz"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("edittrace %s: %w", name, err)
	}
	var tr Trace
	if err := json.NewDecoder(zr).Decode(&tr); err != nil {
		return nil, fmt.Errorf("edittrace %s: %w", name, err)
	}
	return &tr, nil
}
