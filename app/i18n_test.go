package app_test

import (
	"strings"
	"testing"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/app/i18n"
)

func TestJapaneseUI(t *testing.T) {
	i18n.SetLanguage("ja")
	defer i18n.SetLanguage("en")
	if got := app.T("New meeting"); got != "新しいミーティング" {
		t.Fatalf("T(New meeting) = %q", got)
	}
	if got := app.T("Required attendees not present: %s. The PWG needs its SREs and tech lead: consider rescheduling.", "佐藤 (SRE)"); !strings.Contains(got, "佐藤 (SRE)") || !strings.Contains(got, "リスケ") {
		t.Fatalf("formatted translation %q", got)
	}
	if got := app.T("text nobody translated"); got != "text nobody translated" {
		t.Fatalf("fallback = %q", got)
	}
	u, _ := newUI(t)
	help := strings.Join(u.HelpText(), "\n")
	for _, want := range []string{"Ctrl+N", "新しいミーティング", "司会ビュー", "次のセクション"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
}
