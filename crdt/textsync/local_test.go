package textsync

import "testing"

func TestSpliceBetween(t *testing.T) {
	cases := []struct {
		old, new string
		hint     int
		pos, del int
		ins      string
	}{
		{"abc", "abXc", 2, 2, 0, "X"},
		{"aaa", "aaaa", 1, 1, 0, "a"}, // typed after the first a
		{"aaa", "aaaa", 3, 3, 0, "a"},
		{"aaa", "aa", 0, 0, 1, ""}, // backspace at 1
		{"日本語", "日本の語", 2, 2, 0, "の"},
		{"😀😀", "😀😁", 1, 1, 1, "😁"}, // same first byte in UTF-8
		{"e\u0301", "e\u0301e\u0301", 2, 2, 0, "e\u0301"},
		{"hello world", "hello there", 6, 6, 5, "there"},
		{"abc", "abc", 1, 1, 0, ""},
		{"x[sel]y", "xZy", 1, 1, 5, "Z"},
		{"abc", "Xabc", 10, 0, 0, "X"}, // a hint past the prefix changes nothing
	}
	for _, c := range cases {
		pos, del, ins := SpliceBetween(c.old, c.new, c.hint)
		if pos != c.pos || del != c.del || ins != c.ins {
			t.Errorf("SpliceBetween(%q, %q, %d) = %d, %d, %q; want %d, %d, %q", c.old, c.new, c.hint, pos, del, ins, c.pos, c.del, c.ins)
		}
	}
}
