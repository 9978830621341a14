package editor_test

import (
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

// minutesText returns about n characters of minutes-like text in lines of
// about 60 characters, Japanese and ASCII mixed.
func minutesText(n int) string {
	words := strings.Fields("アラート CPU 使用率 が 高い ので しきい値 を 見直す the monitor fired 12 times this month mostly at night")
	var b strings.Builder
	col := 0
	for i := 0; b.Len() < n*2 && len([]rune(b.String())) < n; i++ {
		w := words[i%len(words)]
		b.WriteString(w)
		col += len([]rune(w)) + 1
		if col > 60 {
			b.WriteByte('\n')
			col = 0
		} else {
			b.WriteByte(' ')
		}
	}
	return string([]rune(b.String())[:n])
}

func benchFixture(b *testing.B, n int) *fixture {
	f := newFixture(b, minutesText(n))
	f.win.Resize(fyne.NewSize(800, 600))
	f.key(fyne.KeyPageDown, 1)
	f.key(fyne.KeyUp, 40)
	return f
}

// BenchmarkKeystroke measures one typed character, from the key event to the
// entry refreshed with it (splice into Automerge included), in a section of
// 5,000 / 20,000 / 50,000 characters, with Fyne's test driver.
func BenchmarkKeystroke(b *testing.B) {
	for _, n := range []int{5000, 20000, 50000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			f := benchFixture(b, n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%2 == 0 {
					f.ed.TypedRune('x')
				} else {
					f.ed.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
				}
			}
		})
	}
}

// BenchmarkRemoteKeystroke measures showing one remote keystroke: pull the
// merged text, diff, SetText, caret restored, one refresh.
func BenchmarkRemoteKeystroke(b *testing.B) {
	for _, n := range []int{5000, 20000, 50000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			f := benchFixture(b, n)
			f.sendLocal()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				if i%2 == 0 {
					_ = f.remote.Splice(10, 0, "y")
				} else {
					_ = f.remote.Splice(10, 1, "")
				}
				chs, _ := f.remote.Changes(f.sent[1]...)
				f.sent[1], _ = f.remote.Heads()
				_ = f.local.Apply(chs...)
				b.StartTimer()
				if err := f.ed.Pull(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
