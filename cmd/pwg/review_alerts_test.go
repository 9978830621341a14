package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pwg-team/pwg/integrations/mackerel"
)

func TestReviewAlertsDemoJSON(t *testing.T) {
	ws := t.TempDir()
	out, errs, code := pwg(t, ws, "", "meeting", "new", "--title", "PWG 11月", "--date", "2026-11-24")
	if code != 0 {
		t.Fatalf("meeting new: %d %s", code, errs)
	}
	js, errs, code := pwg(t, ws, "", "review", "alerts", strings.TrimSpace(out), "--demo", "--json")
	if code != 0 {
		t.Fatalf("review alerts: %d %s", code, errs)
	}
	var b struct {
		Periods  []mackerel.Period `json:"periods"`
		Monitors []struct {
			Name    string `json:"name"`
			Periods []struct {
				Count      int   `json:"count"`
				MedianOpen int64 `json:"medianOpenSeconds"`
			} `json:"periods"`
			Flags []mackerel.Flag `json:"flags"`
		} `json:"monitors"`
	}
	if err := json.Unmarshal([]byte(js), &b); err != nil {
		t.Fatalf("json: %v\n%s", err, js)
	}
	if len(b.Periods) != 4 || len(b.Monitors) < 10 {
		t.Fatalf("%d periods, %d monitors", len(b.Periods), len(b.Monitors))
	}
	flags := map[string]int{}
	for _, m := range b.Monitors {
		if len(m.Periods) != 4 {
			t.Fatalf("%s has %d periods", m.Name, len(m.Periods))
		}
		for _, f := range m.Flags {
			if f.Reason == "" {
				t.Fatalf("%s: flag %s without a reason", m.Name, f.Kind)
			}
			flags[f.Kind]++
		}
	}
	for _, k := range []string{mackerel.FlagNoisy, mackerel.FlagNoRunbook, mackerel.FlagMutedLong, mackerel.FlagSilent,
		mackerel.FlagUnreviewed, mackerel.FlagDidNotHelp} {
		if flags[k] == 0 {
			t.Errorf("no monitor flagged %q in the demo: %v", k, flags)
		}
	}
	if b.Monitors[0].Name != "web 5xx burst (1 min)" || b.Monitors[0].Periods[3].MedianOpen == 0 {
		t.Fatalf("worst first: %+v", b.Monitors[0])
	}

	// the text form, and a usage error
	txt, _, code := pwg(t, ws, "", "review", "alerts", "--demo")
	if code != 0 || !strings.Contains(txt, "noisy: fired") || !strings.Contains(txt, "MONITOR") {
		t.Fatalf("text board (%d):\n%s", code, txt)
	}
	if _, _, code := pwg(t, ws, "", "review", "alerts", "a", "b"); code != exitUsage {
		t.Fatalf("two meetings: exit %d", code)
	}
}

func TestConfigMackerelMonitorsAsCode(t *testing.T) {
	ws := t.TempDir()
	if out, errs, code := pwg(t, ws, "", "config", "mackerel"); code != 0 || out != "monitors-as-code=none\n" {
		t.Fatalf("default: %d %q %s", code, out, errs)
	}
	if out, _, code := pwg(t, ws, "", "config", "mackerel", "--monitors-as-code", "mkr"); code != 0 || out != "monitors-as-code=mkr\n" {
		t.Fatalf("set: %d %q", code, out)
	}
	if _, errs, code := pwg(t, ws, "", "config", "mackerel", "--monitors-as-code", "yaml"); code != exitUsage || !strings.Contains(errs, "want mkr, terraform") {
		t.Fatalf("bad value: %d %s", code, errs)
	}
	if out, _, _ := pwg(t, ws, "", "config", "mackerel"); out != "monitors-as-code=mkr\n" {
		t.Fatalf("a bad value changed the setting: %q", out)
	}
}
