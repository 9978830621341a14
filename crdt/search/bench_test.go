package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// Words the synthetic minutes are made of: Japanese without spaces and
// English, as PWG minutes mix them.
var (
	jaWords = []string{"障害", "ふりかえり", "アラート", "閾値", "レイテンシ", "スロークエリ", "ポストモーテム", "証明書",
		"更新", "手動", "デプロイ", "ロールバック", "キャンペーン", "ダッシュボード", "メモリ", "ディスク", "監視", "対応",
		"を", "が", "した", "する", "について", "確認", "原因", "調査中", "来月", "増加", "のため"}
	enWords = []string{"the", "api", "latency", "p99", "database", "failover", "restart", "batch", "server", "cpu",
		"disk", "alert", "threshold", "deploy", "rollback", "cache", "hit", "ratio", "campaign", "traffic", "runbook"}
)

// vocabulary is the words of the synthetic minutes, most frequent first:
// the words above, then made-up katakana and English words, so that a word
// is as rare as in real minutes (Zipf).
var vocabulary = func() []string {
	r := rand.New(rand.NewPCG(5, 6))
	kana := []rune("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン")
	out := append(append([]string{}, jaWords...), enWords...)
	for i := range 3000 {
		var b strings.Builder
		if i%2 == 0 {
			for range 3 + r.IntN(4) {
				b.WriteRune(kana[r.IntN(len(kana))])
			}
		} else {
			for range 2 + r.IntN(3) {
				b.WriteString(enWords[r.IntN(len(enWords))][:2])
			}
			b.WriteString(" ")
		}
		out = append(out, b.String())
	}
	return out
}()

// synthNotes returns about n characters of minutes, one list item a line.
func synthNotes(r *rand.Rand, n int) string {
	z := rand.NewZipf(r, 1.1, 2, uint64(len(vocabulary)-1))
	var b strings.Builder
	for chars := 0; chars < n; {
		line := "- "
		for range 4 + r.IntN(8) {
			line += vocabulary[z.Uint64()]
		}
		line += fmt.Sprintf("%d\n", r.IntN(1000))
		b.WriteString(line)
		chars += len([]rune(line))
	}
	return b.String()
}

// yearOfMeetings is 12 monthly meetings of about 50,000 characters each,
// spread over 10 sections.
func yearOfMeetings() []Meeting {
	r := rand.New(rand.NewPCG(1, 2))
	var out []Meeting
	for mo := 1; mo <= 12; mo++ {
		m := Meeting{ID: fmt.Sprintf("m%02d", mo), Title: fmt.Sprintf("PWG 2026-%02d", mo), Date: fmt.Sprintf("2026-%02d-10", mo)}
		for s := range 10 {
			m.Sections = append(m.Sections, Section{Key: fmt.Sprintf("s%d", s), Title: fmt.Sprintf("Section %d", s), Notes: synthNotes(r, 5000)})
		}
		out = append(out, m)
	}
	return out
}

func reportLatencies(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkSearchYear searches a year of meetings (12 × 50,000 characters):
// Japanese and English words through the trigram index, two-character
// words through the LIKE fallback, and two-word queries.
func BenchmarkSearchYear(b *testing.B) {
	x, _ := openTestIndex(b)
	for _, m := range yearOfMeetings() {
		if err := x.Update(m, "s"); err != nil {
			b.Fatal(err)
		}
	}
	// Frequent and rare words, Japanese and English, one- and two-word
	// queries, and two-character words that take the LIKE fallback.
	queries := []string{"障害", "レイテンシ", "ポストモーテム", "failover", "threshold", "DB", "cpu",
		"スロークエリ 原因", "runbook 監視", "nothing-matches", vocabulary[200], vocabulary[1201], vocabulary[2800]}
	lat := make([]time.Duration, 0, b.N)
	hits := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		h, err := x.Search(queries[i%len(queries)], 0)
		lat = append(lat, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		hits += len(h)
	}
	b.StopTimer()
	b.ReportMetric(float64(hits)/float64(len(lat)), "hits/op")
	reportLatencies(b, lat)
}

// BenchmarkIndexUpdate is the index's part of a persisted change: one line
// of a 50,000-character section of the latest meeting edited (a typing
// pause's worth of keystrokes), with a year of meetings indexed.
func BenchmarkIndexUpdate(b *testing.B) {
	x, _ := openTestIndex(b)
	year := yearOfMeetings()
	for _, m := range year {
		if err := x.Update(m, "s"); err != nil {
			b.Fatal(err)
		}
	}
	m := year[len(year)-1]
	r := rand.New(rand.NewPCG(3, 4))
	m.Sections[0].Notes = synthNotes(r, 50000)
	if err := x.Update(m, "s"); err != nil {
		b.Fatal(err)
	}
	lines := strings.Split(m.Sections[0].Notes, "\n")
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := r.IntN(len(lines) - 1)
		lines[k] += fmt.Sprintf(" 追記%d", i)
		m.Sections[0].Notes = strings.Join(lines, "\n")
		t0 := time.Now()
		if err := x.Update(m, fmt.Sprint(i)); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	reportLatencies(b, lat)
}
