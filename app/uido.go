package app

import "github.com/pwg-team/pwg/app/internal/uido"

// onUI hands f to the UI goroutine (fyne.Do) through uido.Do, which the
// window's background goroutines (subscriptions, timers, the join-code
// watcher, meeting loads, review computations, search queries) and those of
// the Mackerel panes share: Fyne's test driver runs f at once on the
// calling goroutine, and the lock makes two of them run one after another.
// f must not call onUI itself.
func onUI(f func()) { uido.Do(f) }
