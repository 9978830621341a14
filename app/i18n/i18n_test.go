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

// TestEveryUITextTranslated keeps assets/i18n complete: each T("...")
// literal of the window's packages (and the command's dialogs) has an
// English and a Japanese entry, and the two files have the same keys.
func TestEveryUITextTranslated(t *testing.T) {
	tables := map[string]map[string]string{}
	for _, l := range i18n.Languages {
		b, err := os.ReadFile(filepath.Join("..", "..", "assets", "i18n", l+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", l, err)
		}
		tables[l] = m
	}
	for k, v := range tables["en"] {
		if k != v {
			t.Errorf("en.json: %q translated as %q; the English text is its key", k, v)
		}
		if tables["ja"][k] == "" {
			t.Errorf("ja.json lacks %q", k)
		}
	}
	for k := range tables["ja"] {
		if _, ok := tables["en"][k]; !ok {
			t.Errorf("en.json lacks %q", k)
		}
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
				for _, l := range i18n.Languages {
					if tables[l][s] == "" {
						t.Errorf("%s: %q not in assets/i18n/%s.json", f, s, l)
					}
				}
			}
		}
	}
}
