package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/pwg-team/pwg/assets"
)

// The user interface speaks English and Japanese. Texts are written in
// English in the code and looked up in assets/i18n/<lang>.json; a missing
// translation shows the English text.

var (
	langMu  sync.RWMutex
	curLang = "en"
	tables  = map[string]map[string]string{}
)

// Languages lists the supported UI languages.
var Languages = []string{"en", "ja"}

func loadTable(l string) map[string]string {
	if t, ok := tables[l]; ok {
		return t
	}
	t := map[string]string{}
	if b, err := assets.Translations.ReadFile("i18n/" + l + ".json"); err == nil {
		_ = json.Unmarshal(b, &t)
	}
	tables[l] = t
	return t
}

// SetLanguage chooses the UI language ("en" or "ja"); others fall back to English.
func SetLanguage(l string) {
	langMu.Lock()
	defer langMu.Unlock()
	if l != "ja" {
		l = "en"
	}
	curLang = l
	loadTable(l)
}

// Language returns the UI language.
func Language() string {
	langMu.RLock()
	defer langMu.RUnlock()
	return curLang
}

// SystemLanguage guesses the UI language from the environment (LC_ALL,
// LC_MESSAGES, LANG), as a desktop session sets it.
func SystemLanguage() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			if strings.HasPrefix(strings.ToLower(s), "ja") {
				return "ja"
			}
			return "en"
		}
	}
	return "en"
}

// T translates an English UI text; with args it formats like fmt.Sprintf.
func T(s string, args ...any) string {
	langMu.RLock()
	t := tables[curLang]
	langMu.RUnlock()
	if tr, ok := t[s]; ok && tr != "" {
		s = tr
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// UntranslatedTexts lists the T("...") literals in the Go files of dir that
// have no translation for lang (a check for tests and translators).
func UntranslatedTexts(lang, dir string) ([]string, error) {
	langMu.Lock()
	t := loadTable(lang)
	langMu.Unlock()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var missing []string
	seen := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || filepath.Base(f) == "i18n.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, m := range tLiteral.FindAllSubmatch(b, -1) {
			s, err := strconv.Unquote(`"` + string(m[1]) + `"`)
			if err != nil || seen[s] {
				continue
			}
			seen[s] = true
			if t[s] == "" {
				missing = append(missing, s)
			}
		}
	}
	sort.Strings(missing)
	return missing, nil
}

var tLiteral = regexp.MustCompile(`\bT\("((?:[^"\\]|\\.)*)"`)
