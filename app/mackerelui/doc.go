// Package mackerelui holds the Fyne panes that bring Mackerel into the
// meeting: AlertsPane for the アラート section (the hygiene board — per
// monitor, four periods, flags with reasons, verdict buttons — above the
// period's alerts grouped by monitor in a virtualised list, with review,
// close, threshold, mute and delete actions whose confirmation shows the
// write-back into Mackerel), ChangesPane for 今後の変化共有 (downtimes) and
// DashboardPane for the ダッシュボード section (the PWG custom dashboard
// drawn natively with its graph annotations, an annotation form and "Pin to
// minutes").
//
// The panes read and write Mackerel through Source (satisfied by
// *mackerel.Client) and write the minutes through Minutes (satisfied by
// *minutes.Meeting). Every network call runs on its own goroutine; results are
// applied to widgets on the UI goroutine through uido.Do (fyne.Do, one piece
// at a time with the rest of the window's goroutines). Every action that changes Mackerel is
// confirmed first and, once Mackerel accepted it, written into the minutes
// as a line saying who did what, when, before → after. A write that
// Mackerel refuses leaves the minutes untouched and says why.
package mackerelui
