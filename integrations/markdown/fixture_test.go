package markdown_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/markdown"
)

// blobStore is an in-memory blob source.
type blobStore map[string][]byte

func (b blobStore) put(data []byte) string {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	b[h] = data
	return h
}

func (b blobStore) get(hash string) (string, []byte, error) {
	d, ok := b[hash]
	if !ok {
		return "", nil, fmt.Errorf("blob %s: not found", hash)
	}
	return "image/png", d, nil
}

// pngOf makes a small distinct PNG.
func pngOf(c color.RGBA) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for x := range 4 {
		for y := range 3 {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// fixture is a November PWG with Japanese text, every kind of block, and
// three images: one pasted in the incident notes, one graph referenced
// inline in the dashboard notes, one pinned graph never referenced.
func fixture() (*markdown.Minutes, blobStore) {
	blobs := blobStore{}
	pasted := blobs.put(pngOf(color.RGBA{255, 0, 0, 255}))
	graph := blobs.put(pngOf(color.RGBA{0, 255, 0, 255}))
	pinned := blobs.put(pngOf(color.RGBA{0, 0, 255, 255}))
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	m := &markdown.Minutes{
		Title:    "2026年11月 PWG",
		Date:     "2026-11-24",
		Location: "会議室A / Zoom",
		Series:   "Platform | SRE",
		Members: []minutes.Member{
			{ID: "m1", Name: "佐藤", Role: "SRE", Required: true, GitHub: "sato"},
			{ID: "m2", Name: "鈴木", Role: "tech lead", Required: true},
			{ID: "m3", Name: "田中", Role: "app engineer"},
			{ID: "m4", Name: "山田", Role: "product owner"},
		},
		Attendees: []minutes.Attendee{
			{MemberID: "m1", Name: "佐藤", Present: true, Role: minutes.RoleFacilitator},
			{MemberID: "m2", Name: "鈴木", Present: true, Role: minutes.RoleScribe},
			{MemberID: "m3", Name: "田中", Present: false, Role: minutes.RoleAttendee},
		},
		Sections: []minutes.Section{
			{Key: "previous-actions", Title: "前回までのTODO確認", Kind: minutes.SectionActions},
			{Key: "incidents", Title: "障害ふりかえり", Kind: minutes.SectionIncidents, Notes: "- 11/3 決済APIの5xx増加（30分）\n  - 原因: DB接続枯渇\n\n![決済APIのエラー率](pwg-blob:" + pasted + ") ([Mackerel](https://mackerel.io/orgs/acme/services/pay))\n"},
			{Key: "worklog", Title: "作業ログ", Kind: minutes.SectionNotes, Notes: ""},
			{Key: "alerts", Title: "アラート", Kind: minutes.SectionAlerts, Notes: "ノイズが多い監視を2つ見直し。"},
			{Key: "dashboard", Title: "ダッシュボード", Kind: minutes.SectionDashboard,
				Notes: "CPU は平常 ![CPU](pwg-blob:" + graph + ") 。\n\n```\n例: ![literal](pwg-blob:" + pinned + ")\n```\n\nコード `![x](pwg-blob:" + pinned + ")` はそのまま。"},
			{Key: "slo", Title: "SLOレビュー", Kind: minutes.SectionSLO, Notes: "可用性は未達。"},
			{Key: "todo", Title: "出たTODOのIssue化", Kind: minutes.SectionActions},
			{Key: "chat", Title: "感想・雑談", Kind: minutes.SectionNotes, Notes: "次回はコストも見る\r\n以上"},
		},
		AlertReviews: []minutes.AlertReview{
			{ID: "a1", MonitorID: "3Xyz", MonitorName: "api 5xx | rate", Count: 12, Verdict: minutes.VerdictTune, Change: "warning 1 → 2", Note: "閾値 1% → 2%\n夜間は除外", Link: "https://mackerel.io/orgs/acme/monitors/3Xyz"},
			{ID: "a2", MonitorID: "4Abc", MonitorName: "disk usage", Count: 3, Verdict: minutes.VerdictKeep},
			{ID: "a3", MonitorID: "5Def", MonitorName: "old batch", Count: 40, Verdict: minutes.VerdictDelete, Change: "deleted", Link: "javascript:alert(1)"},
		},
		SLOs: []minutes.SLORow{
			{ID: "s1", Name: "API 可用性", Objective: "99.9%", Actual: "99.85%", Met: false, RevisitDate: "2027-03-31"},
			{ID: "s2", Name: "p99 < 300ms", Objective: "99%", Actual: "99.4%", Met: true},
		},
		Carried: []minutes.ActionItem{
			{ID: "t0", Title: "ログ基盤の保持期間を決める", Owner: "田中", TargetDate: "2026-11-30", Status: minutes.ActionOpen, IssueURL: "https://gitlab.example.com/acme/infra/-/issues/7"},
		},
		Actions: []minutes.ActionItem{
			{ID: "t1", Title: "DB接続プールの上限を見直す", Owner: "佐藤", TargetDate: "2026-12-15", DoneCriteria: "max_connections を 200 に\n負荷試験で 5xx なし", Status: minutes.ActionOpen, IssueURL: "https://github.com/acme/infra/issues/42"},
			{ID: "t2", Title: "old batch の監視を削除", Owner: "鈴木", Status: minutes.ActionDone},
			{ID: "t3", Title: "*not* markdown [x]", Status: minutes.ActionDropped},
		},
		Attachments: []minutes.Attachment{
			{Hash: pinned, Name: "Request count.png", Mime: "image/png", Caption: "リクエスト数", Link: "https://mackerel.io/orgs/acme/dashboards/abc", Period: "2026-10-24 – 2026-11-24", Added: t0.Add(2 * time.Minute)},
			{Hash: graph, Name: "cpu.png", Mime: "image/png", Caption: "CPU使用率", Link: "https://mackerel.io/orgs/acme/hosts/h1?graph=cpu", Period: "2026-10-24 – 2026-11-24", Added: t0.Add(time.Minute)},
			{Hash: pasted, Name: "スクリーンショット 2026-11-03.png", Mime: "image/png", Added: t0},
		},
	}
	return m, blobs
}
