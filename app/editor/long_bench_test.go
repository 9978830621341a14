package editor_test

import (
	"strconv"
	"testing"

	"fyne.io/fyne/v2"
)

func longBenchFixture(b *testing.B, n int) *longFixture {
	f := newLongFixture(b, minutesText(n), fyne.NewSize(800, 600))
	f.ed.Select(n/2, n/2)
	return f
}

// BenchmarkLongKeystroke is BenchmarkKeystroke for LongEditor: one typed
// character (or backspace), from the key event to the rows in view laid out
// again with it, splice into Automerge included, caret in the middle of the
// text.
func BenchmarkLongKeystroke(b *testing.B) {
	for _, n := range []int{5000, 20000, 50000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			f := longBenchFixture(b, n)
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

// BenchmarkLongRemoteKeystroke is BenchmarkRemoteKeystroke for LongEditor:
// pull a peer's keystroke (read, diff, apply to the lines, map the caret,
// lay out the rows in view).
func BenchmarkLongRemoteKeystroke(b *testing.B) {
	for _, n := range []int{5000, 20000, 50000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			f := longBenchFixture(b, n)
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

// BenchmarkKeystrokePainted measures a keystroke and the frame painted
// with it by the test driver's software painter, for both editors: what a
// user waits for, minus the GPU.
func BenchmarkKeystrokePainted(b *testing.B) {
	for _, n := range []int{5000, 20000, 50000} {
		b.Run("Editor/"+strconv.Itoa(n), func(b *testing.B) {
			f := benchFixture(b, n)
			c := f.win.Canvas()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%2 == 0 {
					f.ed.TypedRune('x')
				} else {
					f.ed.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
				}
				c.Capture()
			}
		})
		b.Run("LongEditor/"+strconv.Itoa(n), func(b *testing.B) {
			f := longBenchFixture(b, n)
			c := f.win.Canvas()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%2 == 0 {
					f.ed.TypedRune('x')
				} else {
					f.ed.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
				}
				c.Capture()
			}
		})
	}
}

// BenchmarkLongResize measures a change of width at 50,000 characters:
// every line is wrapped again (summing cached rune widths) and the rows in
// view are laid out.
func BenchmarkLongResize(b *testing.B) {
	f := longBenchFixture(b, 50000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.win.Resize(fyne.NewSize(float32(700+100*(i%2)), 600))
	}
}

// BenchmarkLongScroll measures one mouse wheel step at 50,000 characters.
func BenchmarkLongScroll(b *testing.B) {
	f := longBenchFixture(b, 50000)
	ev := &fyne.ScrollEvent{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ev.Scrolled.DY = float32(40 - 80*(i%2))
		f.ed.Scrolled(ev)
	}
}

// BenchmarkLongEnter measures enter and backspace at the top of 50,000
// characters: a line split and join, every row in view moving down and up.
func BenchmarkLongEnter(b *testing.B) {
	f := longBenchFixture(b, 50000)
	f.ed.Select(3, 3)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			f.ed.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		} else {
			f.ed.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
		}
	}
}
