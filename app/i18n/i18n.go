// Package i18n is the language of pwg's window: English and Japanese,
// through Fyne's lang package. The texts are written in English in the code
// (T("New meeting")) and translated by the go-i18n JSON files embedded from
// assets/i18n (ja.json: the English text is the key, so English needs no
// file of its own); a text without a translation shows in English. A text with arguments is a
// fmt format: T("%d lines", n).
//
// Fyne's lang follows the system's locale; the language chosen in the
// settings wins: SetLanguage registers the chosen table for the locales
// the system may ask for.
package i18n

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/pwg-team/pwg/assets"
)

// Languages lists the supported UI languages.
var Languages = []string{"en", "ja"}

var (
	mu      sync.RWMutex
	current = ""
	known   map[string]bool // the keys of the tables
)

// SetLanguage chooses the UI language ("en" or "ja"); others are English.
func SetLanguage(l string) {
	if l != "ja" {
		l = "en"
	}
	mu.Lock()
	defer mu.Unlock()
	if l == current {
		return
	}
	data, err := table(l)
	if err != nil {
		fyne.LogError("read translations", err)
		return
	}
	// lang picks the table of the system's locale: give the chosen table
	// to it, and to both languages pwg speaks.
	for _, loc := range []string{lang.SystemLocale().LanguageString(), "en", "ja"} {
		if loc == "" {
			continue
		}
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(loc)); err != nil {
			fyne.LogError("load translations", err)
		}
	}
	current = l
}

// Language returns the UI language.
func Language() string {
	mu.RLock()
	defer mu.RUnlock()
	if current == "" {
		return "en"
	}
	return current
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

// T translates an English UI text (lang.L); with args it formats the
// translation like fmt.Sprintf.
func T(s string, args ...any) string {
	mu.RLock()
	set := current != ""
	mu.RUnlock()
	if !set {
		SetLanguage("en")
	}
	mu.RLock()
	has := known[s]
	mu.RUnlock()
	if has { // lang logs every text it has no entry for: ask it only for its own
		s = lang.L(s)
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// table returns the go-i18n file of language l: ja.json, or for English
// each of its keys translated as itself. It records the keys (known).
func table(l string) ([]byte, error) {
	data, err := assets.Translations.ReadFile("i18n/ja.json")
	if err != nil {
		return nil, err
	}
	var ja map[string]string
	if err := json.Unmarshal(data, &ja); err != nil {
		return nil, fmt.Errorf("assets/i18n/ja.json: %w", err)
	}
	known = make(map[string]bool, len(ja))
	for k := range ja {
		known[k] = true
	}
	if l == "ja" {
		return data, nil
	}
	en := make(map[string]string, len(ja))
	for k := range ja {
		en[k] = k
	}
	return json.Marshal(en)
}
