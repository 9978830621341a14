package i18n_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pwg-team/pwg/app/i18n"
)

func TestLanguageChosenOverSystem(t *testing.T) {
	t.Setenv("LANG", "en_US.UTF-8")
	i18n.SetLanguage("ja")
	defer i18n.SetLanguage("en")
	if got := i18n.T("New meeting"); got != "新しいミーティング" {
		t.Fatalf("T(New meeting) = %q", got)
	}
	if got := i18n.T("%d lines", 3); got != "3 行" {
		t.Fatalf("formatted = %q", got)
	}
	if got := i18n.T("text nobody translated"); got != "text nobody translated" {
		t.Fatalf("fallback = %q", got)
	}
	i18n.SetLanguage("en")
	if got := i18n.T("New meeting"); got != "New meeting" || i18n.Language() != "en" {
		t.Fatalf("back in English: %q, %s", got, i18n.Language())
	}
}

func TestSystemLanguage(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "ja_JP.UTF-8")
	if i18n.SystemLanguage() != "ja" {
		t.Fatal("ja_JP not recognised")
	}
	t.Setenv("LANG", "en_GB.UTF-8")
	if i18n.SystemLanguage() != "en" {
		t.Fatal("en_GB not recognised")
	}
}

// tLiteral finds the texts given to T (app.T, i18n.T) in Go source.
var tLiteral = regexp.MustCompile(`\bT\("((?:[^"\\]|\\.)*)"`)

// TestEveryUITextTranslated keeps assets/i18n/ja.json complete: each
// T("...") literal of the window's packages (and the command's dialogs)
// has a Japanese translation (the English text is the key).
func TestEveryUITextTranslated(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "assets", "i18n", "ja.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ja map[string]string
	if err := json.Unmarshal(b, &ja); err != nil {
		t.Fatalf("ja.json: %v", err)
	}
	for _, dir := range []string{"..", "../mackerelui", "../editor", "../../cmd/pwg"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range tLiteral.FindAllSubmatch(b, -1) {
				s, err := strconv.Unquote(`"` + string(m[1]) + `"`)
				if err != nil {
					continue
				}
				if ja[s] == "" {
					t.Errorf("%s: %q not in assets/i18n/ja.json", f, s)
				}
			}
		}
	}
}
