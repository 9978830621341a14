package editor

import (
	"unicode"

	"fyne.io/fyne/v2"
)

// wrapLine returns the columns where the rows after the first start when
// rs is word-wrapped to width w (none when w <= 0 or the line fits). Rows
// break after spaces and between CJK characters, except before closing
// punctuation and after opening brackets; a word wider than a row breaks
// between characters. Spaces at the end of a row hang past the width, as
// in Fyne's Entry. breaks is reused.
func wrapLine(rs []rune, w float32, adv advancer, breaks []int) []int {
	if w <= 0 || len(rs) == 0 {
		return breaks
	}
	start, last := 0, -1 // row start; latest break opportunity in the row
	x := float32(0)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if i > start && canBreakBefore(rs, i) {
			last = i
		}
		a := adv(r, x)
		if x+a > w && i > start && !unicode.IsSpace(r) {
			b := last
			if b <= start {
				b = i
			}
			breaks = append(breaks, b)
			start, last = b, -1
			x = 0
			for j := b; j < i; j++ {
				if j > start && canBreakBefore(rs, j) {
					last = j
				}
				x += adv(rs[j], x)
			}
			a = adv(r, x)
		}
		x += a
	}
	return breaks
}

// canBreakBefore reports whether a row may start at rs[i] (i > 0).
func canBreakBefore(rs []rune, i int) bool {
	prev, r := rs[i-1], rs[i]
	if unicode.IsSpace(r) {
		return false
	}
	if unicode.IsSpace(prev) {
		return true
	}
	if noRowStart(r) || noRowEnd(prev) {
		return false
	}
	return isCJK(r) || isCJK(prev)
}

// isCJK reports whether r is written without spaces between words
// (Chinese, Japanese, Korean characters and full-width forms).
func isCJK(r rune) bool {
	switch {
	case r < 0x2E80:
		return false
	case r <= 0x9FFF, r >= 0xAC00 && r <= 0xD7AF, r >= 0xF900 && r <= 0xFAFF,
		r >= 0xFF00 && r <= 0xFFEF, r >= 0x20000 && r <= 0x3FFFF:
		return true
	}
	return false
}

// noRowStart reports whether r must not start a row (Japanese line
// breaking rules: closing brackets, full stops, small kana, prolonged sound
// mark).
func noRowStart(r rune) bool {
	switch r {
	case '、', '。', '，', '．', '・', '：', '；', '？', '！', 'ー', '…', '‥',
		'）', '」', '』', '】', '〕', '〉', '》', '］', '｝', '〟', '’', '”',
		'ぁ', 'ぃ', 'ぅ', 'ぇ', 'ぉ', 'っ', 'ゃ', 'ゅ', 'ょ', 'ゎ',
		'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ッ', 'ャ', 'ュ', 'ョ', 'ヮ', 'ヵ', 'ヶ',
		')', ']', '}', ',', '.', ':', ';', '!', '?':
		return true
	}
	return false
}

// noRowEnd reports whether r must not end a row (opening brackets).
func noRowEnd(r rune) bool {
	switch r {
	case '（', '「', '『', '【', '〔', '〈', '《', '［', '｛', '〝', '‘', '“', '(', '[', '{':
		return true
	}
	return false
}

// advances measures single runes with Fyne's text measuring, once per rune
// for a text size and style (Fyne caches the measures across editors).
// Wrapping sums them (shaping whole rows would cost as much as Entry's
// layout); the caret, selection and hit testing measure the row's real
// text, so only a wrap position can differ from shaped text, by kerning.
// Used on the Fyne thread only.
type advances struct {
	size  float32
	style fyne.TextStyle
	ascii [128]float32
	known [128]bool
	other map[rune]float32
	tab   float32
}

func newAdvances(size float32, style fyne.TextStyle) *advances {
	return &advances{size: size, style: style, other: map[rune]float32{},
		tab: fyne.MeasureText("\t", size, style).Width}
}

// advance returns the width r adds to a row at x: a tab goes to the next
// tab stop, as Fyne draws it.
func (a *advances) advance(r rune, x float32) float32 {
	if r == '\t' {
		if a.tab <= 0 {
			return 0
		}
		stop := float32(int((x+a.tab)/a.tab)) * a.tab
		return stop - x
	}
	if r < 128 {
		if !a.known[r] {
			a.ascii[r] = fyne.MeasureText(string(r), a.size, a.style).Width
			a.known[r] = true
		}
		return a.ascii[r]
	}
	w, ok := a.other[r]
	if !ok {
		if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == 0x200D || (r >= 0xFE00 && r <= 0xFE0F) {
			w = 0 // combining marks, joiners and variation selectors
		} else {
			w = fyne.MeasureText(string(r), a.size, a.style).Width
		}
		a.other[r] = w
	}
	return w
}
