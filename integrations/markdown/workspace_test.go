package markdown_test

import (
	"bytes"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/markdown"
)

// TestExportOfARealMeeting builds a meeting in a real workspace, exports it
// with FromMeeting and the workspace's blobs, and checks the files.
func TestExportOfARealMeeting(t *testing.T) {
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "佐藤"})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.Setup("Platform", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	s, err := ws.Series()
	if err != nil {
		t.Fatal(err)
	}
	sato, err := s.PutMember(minutes.Member{Name: "佐藤", Role: "SRE", Required: true, GitHub: "sato"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutMember(minutes.Member{Name: "鈴木", Role: "tech lead", Required: true}); err != nil {
		t.Fatal(err)
	}
	infos, err := ws.Meetings()
	if err != nil || len(infos) == 0 {
		t.Fatalf("meetings %v %v", infos, err)
	}
	m, err := ws.Meeting(infos[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetAttendee(minutes.Attendee{MemberID: sato.ID, Name: sato.Name, Present: true, Role: minutes.RoleFacilitator}); err != nil {
		t.Fatal(err)
	}
	att, err := m.AddAttachment(minutes.Attachment{Name: "cpu.png", Mime: "image/png", Caption: "CPU使用率",
		Link: "https://mackerel.io/orgs/acme/hosts/h1"}, pngOf(color.RGBA{9, 9, 9, 255}))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.AppendNotes("dashboard", "CPUは平常。\n\n"+minutes.AttachmentMarkdown(att)+"\n"); err != nil {
		t.Fatal(err)
	}
	if err := m.PutAlertReview(minutes.AlertReview{MonitorID: "3X", MonitorName: "api 5xx", Count: 4, Verdict: minutes.VerdictTune}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.AddActionItem(minutes.ActionItem{Title: "閾値を見直す", Owner: "佐藤", TargetDate: "2026-12-15", OriginSection: "todos"}); err != nil {
		t.Fatal(err)
	}
	members, err := s.Members()
	if err != nil {
		t.Fatal(err)
	}
	mins, err := markdown.FromMeeting(m, members, s.Name())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	res, err := markdown.WriteDir(dir, mins, markdown.Options{Blobs: ws.Blob})
	if err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(res.File)
	if err != nil {
		t.Fatal(err)
	}
	out := string(md)
	for _, want := range []string{
		"- **Absent:** 鈴木 (tech lead)",
		"![CPU使用率](images/" + att.Hash[:12] + "-cpu.png)\\\n*CPU使用率* · [Mackerel](https://mackerel.io/orgs/acme/hosts/h1)",
		"| api 5xx | 4 | tune threshold |",
		"- [ ] 閾値を見直す — owner: 佐藤, due: 2026-12-15",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	if len(res.Images) != 1 {
		t.Fatalf("images %v", res.Images)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "images", att.Hash[:12]+"-cpu.png"))
	if !bytes.Equal(data, pngOf(color.RGBA{9, 9, 9, 255})) {
		t.Fatal("image bytes differ from the attachment")
	}
	again, err := markdown.FromMeeting(m, members, s.Name())
	if err != nil {
		t.Fatal(err)
	}
	second, _ := markdown.String(again, markdown.Options{Blobs: ws.Blob})
	if second != out {
		t.Fatal("a second export of the same document differs")
	}
}
