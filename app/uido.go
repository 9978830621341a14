package app

import (
	"sync"

	"fyne.io/fyne/v2"
)

// uiMu serialises the window's background goroutines handing work to the UI
// goroutine.
var uiMu sync.Mutex

// onUI hands f to the UI goroutine (fyne.Do). The window's background
// goroutines (subscriptions, timers, the join-code watcher, meeting loads,
// review computations) use it rather than fyne.Do: Fyne's test driver runs f
// at once on the calling goroutine, so two of them could lay out and shape
// text at the same time in tests (a go-text shaping panic was seen once).
// With the real driver fyne.Do only queues f, and the lock is held for that.
// f must not call onUI itself.
func onUI(f func()) {
	uiMu.Lock()
	defer uiMu.Unlock()
	fyne.Do(f)
}
