package app

import "github.com/pwg-team/pwg/app/i18n"

// T translates an English UI text (see package app/i18n).
func T(s string, args ...any) string { return i18n.T(s, args...) }
