package toil

import (
	"slices"
	"strings"
	"testing"
)

// Three meetings' work logs as a team writes them: the same chores in other
// words, with other dates and numbers, plus one-off work.
func threeMeetings() []Line {
	var out []Line
	add := func(id, date, notes string) {
		for _, l := range strings.Split(notes, "\n") {
			out = append(out, Line{MeetingID: id, MeetingTitle: "PWG " + date, Date: date, Section: "worklog", Text: l})
		}
	}
	add("m-sep", "2026-09-10", `- 9/3 api-2 の証明書を手動で更新した
- Restarted the batch server by hand after OOM (2026-09-02)
- ログ用ディスクが 92% になったので古いログを手で削除
- 特になし`)
	add("m-oct", "2026-10-08", `- 10/1 api-3 の証明書を手動で更新した
- 新しい監視を追加した https://mackerel.io/orgs/x/monitors/abc
- ログ用ディスクが 95% になったので古いログを手で削除した`)
	add("m-nov", "2026-11-12", `- [x] restarted the batch server by hand after OOM again
- 11/2 ＡＰＩ－４ の証明書を手動で更新した
- DBのインデックスを追加`)
	return out
}

func TestFindThreeSeededMeetings(t *testing.T) {
	got := Find(threeMeetings())
	type summary struct {
		title    string
		meetings int
		seen     []string
	}
	var sum []summary
	for _, c := range got {
		s := summary{title: c.Title, meetings: c.Meetings}
		for _, l := range c.Seen {
			s.seen = append(s.seen, l.MeetingID)
		}
		sum = append(sum, s)
	}
	want := []summary{
		{"11/2 ＡＰＩ－４ の証明書を手動で更新した", 3, []string{"m-sep", "m-oct", "m-nov"}},
		{"restarted the batch server by hand after OOM again", 2, []string{"m-sep", "m-nov"}},
		{"ログ用ディスクが 95% になったので古いログを手で削除した", 2, []string{"m-sep", "m-oct"}},
	}
	if len(sum) != len(want) {
		t.Fatalf("got %d candidates %+v, want %d", len(sum), sum, len(want))
	}
	for i := range want {
		if sum[i].title != want[i].title || sum[i].meetings != want[i].meetings || !slices.Equal(sum[i].seen, want[i].seen) {
			t.Errorf("candidate %d = %+v, want %+v", i, sum[i], want[i])
		}
	}
	// Where each appeared: the line as written, with its meeting.
	first := got[0].Seen[0]
	if first.Text != "- 9/3 api-2 の証明書を手動で更新した" || first.MeetingTitle != "PWG 2026-09-10" {
		t.Errorf("first mention = %+v", first)
	}
}

func TestOneMeetingIsNotToil(t *testing.T) {
	lines := []Line{
		{MeetingID: "m1", Date: "2026-11-01", Text: "- 証明書を手動で更新した"},
		{MeetingID: "m1", Date: "2026-11-01", Text: "- 証明書を手動で更新した (2台目)"},
		{MeetingID: "m2", Date: "2026-12-01", Text: "- 新しいダッシュボードを作った"},
	}
	if got := Find(lines); len(got) != 0 {
		t.Errorf("candidates from one meeting: %+v", got)
	}
}

func TestSimilar(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"- DBのフェイルオーバーを手動で実施", "* 2026/10/3 DBフェイルオーバーを手動で実施した", true},
		{"Rotate the API keys manually", "rotated API keys manually (#1234)", true},
		{"DBのフェイルオーバーを手動で実施", "新しいダッシュボードを作った", false},
		{"restart batch server", "add a disk alert", false},
	} {
		if got := Similar(c.a, c.b); got != c.want {
			t.Errorf("Similar(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestCovered(t *testing.T) {
	c := Find(threeMeetings())[0]
	title := ActionTitle(c)
	if Covered(c, []string{"Something else", "Automate or eliminate (toil): 新しい監視"}) {
		t.Error("covered by unrelated items")
	}
	if !Covered(c, []string{title}) {
		t.Errorf("not covered by its own action item %q", title)
	}
	// Wording of the item from an earlier mention still covers it.
	if !Covered(c, []string{"Automate or eliminate (toil): 9/3 api-2 の証明書を手動で更新した"}) {
		t.Error("not covered by an item made from an earlier mention")
	}
}

func TestIsWorkLog(t *testing.T) {
	for _, c := range []struct {
		key, title string
		want       bool
	}{
		{"worklog", "anything", true},
		{"s-1", "作業ログ / Non-routine work log", true},
		{"s-2", "Work log", true},
		{"alerts", "アラート", false},
	} {
		if got := IsWorkLog(c.key, c.title); got != c.want {
			t.Errorf("IsWorkLog(%q, %q) = %v", c.key, c.title, got)
		}
	}
}
