package interop_test

import (
	"strings"
	"testing"

	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/sync/sharing"
)

// TestJSPeerReadsSharedMeeting: a meeting created in pwg is found and read
// by a JS automerge-repo peer by its document id, through pwg's WebSocket
// server; a meeting not shared, and an unknown id, are unavailable to it.
func TestJSPeerReadsSharedMeeting(t *testing.T) {
	needNode(t)
	d := newDevice(t)
	m, key := firstMeeting(t, d)
	if err := m.AppendNotes(key, "written in pwg 日本語"); err != nil {
		t.Fatal(err)
	}
	private, err := d.ws.NewMeeting("not shared", "2026-12-07")
	if err != nil {
		t.Fatal(err)
	}
	if err := sharing.Share(d.ws.Settings(), m.ID()); err != nil {
		t.Fatal(err)
	}
	url := serveWS(t, d)

	doc, unavailable := findJS(t, url, m.ID())
	if unavailable != "" {
		t.Fatalf("JS peer: %s", unavailable)
	}
	if doc["title"] != m.Title() || doc["kind"] != "meeting" {
		t.Fatalf("JS peer read title %v kind %v, want %q", doc["title"], doc["kind"], m.Title())
	}
	secs, _ := doc["sections"].(map[string]any)
	sec, _ := secs[key].(map[string]any)
	if notes, _ := sec["notes"].(string); !strings.Contains(notes, "written in pwg 日本語") {
		t.Fatalf("JS peer read notes %q", sec["notes"])
	}

	unknown := docid.Encode([16]byte{7, 7, 7, 7, 7, 7, 0x40, 7, 0x80})
	for _, id := range []string{unknown, private.ID()} {
		if doc, unavailable := findJS(t, url, id); unavailable == "" || doc != nil {
			t.Fatalf("JS peer found %s: %v", id, doc)
		}
	}
}

// TestJSPeerEditAppearsInPwg: an edit made by a JS automerge-repo peer in a
// shared meeting is merged into the pwg workspace.
func TestJSPeerEditAppearsInPwg(t *testing.T) {
	needNode(t)
	d := newDevice(t)
	m, key := firstMeeting(t, d)
	if err := sharing.Share(d.ws.Settings(), m.ID()); err != nil {
		t.Fatal(err)
	}
	url := serveWS(t, d)
	js := startJS(t, "append", url, m.ID(), key, "typed in JS")
	if l := js.line(t, 20e9); l != "appended" {
		t.Fatalf("JS peer: %s", l)
	}
	waitNotes(t, d, m.ID(), key, "typed in JS")
	js.stdin.Close()
}

// TestPwgThroughSyncServer: pwg as a client of the real automerge-repo
// sync server; a JS peer of the same server reads the shared meeting, and
// its edit comes back to pwg through the server.
func TestPwgThroughSyncServer(t *testing.T) {
	url := syncServer(t)
	d := newDevice(t)
	m, key := firstMeeting(t, d)
	if err := m.AppendNotes(key, "from pwg via the relay"); err != nil {
		t.Fatal(err)
	}
	if err := sharing.Share(d.ws.Settings(), m.ID()); err != nil {
		t.Fatal(err)
	}
	relay(t, d, url)
	js := startJS(t, "append", url, m.ID(), key, " / from JS via the relay")
	if l := js.line(t, 30e9); l != "appended" {
		t.Fatalf("JS peer: %s", l)
	}
	waitNotes(t, d, m.ID(), key, "from pwg via the relay / from JS via the relay")
	js.stdin.Close()
}
