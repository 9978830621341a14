package app_test

import (
	"strings"
	"testing"
)

func TestOutlineFollowsTheMeeting(t *testing.T) {
	u, _ := newUI(t)
	v := u.Current()
	o := v.Outline()
	lines := strings.Join(o.Lines(), "\n")
	for _, want := range []string{"障害ふりかえり  15′", "アラート  15′", "感想・雑談  5′"} {
		if !strings.Contains(lines, want) {
			t.Fatalf("outline lacks %q:\n%s", want, lines)
		}
	}
	o.Jump("dashboard")
	if v.Focused() != "dashboard" || o.Current() != "dashboard" {
		t.Fatalf("a tap on ダッシュボード: focused %q, highlighted %q", v.Focused(), o.Current())
	}
	// the facilitator's section is marked, and moves with them
	f := u.NewFacilitator()
	f.Show("alerts")
	if o.Facilitator() != "alerts" {
		t.Fatalf("facilitator at alerts, outline marks %q", o.Facilitator())
	}
	f.Next()
	if o.Facilitator() != "dashboard" {
		t.Fatalf("facilitator moved on, outline marks %q", o.Facilitator())
	}
}
