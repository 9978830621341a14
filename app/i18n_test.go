package app_test

import (
	"strings"
	"testing"

	"github.com/pwg-team/pwg/app"
)

func TestJapaneseUI(t *testing.T) {
	app.SetLanguage("ja")
	defer app.SetLanguage("en")
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

func TestSystemLanguage(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "ja_JP.UTF-8")
	if app.SystemLanguage() != "ja" {
		t.Fatal("ja_JP not recognised")
	}
	t.Setenv("LANG", "en_GB.UTF-8")
	if app.SystemLanguage() != "en" {
		t.Fatal("en_GB not recognised")
	}
}

// TestEveryUITextTranslated keeps assets/i18n/ja.json complete: each
// T("...") literal of the app package has a Japanese translation.
func TestEveryUITextTranslated(t *testing.T) {
	missing, err := app.UntranslatedTexts("ja", ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Fatalf("not in assets/i18n/ja.json: %q", missing)
	}
}
