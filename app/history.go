package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// historyLimit bounds the entries loaded into the history panel.
const historyLimit = 100

func clip(s string, n int) string {
	r := []rune(strings.ReplaceAll(s, "\n", "⏎"))
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return string(r)
}

// HistoryLines formats a section's history for the panel: who, when, what.
func HistoryLines(h []minutes.HistoryEntry) []string {
	out := make([]string, len(h))
	for i, e := range h {
		line := fmt.Sprintf("%s  %s", e.Time.Local().Format("2006-01-02 15:04"), e.Author.Name)
		if e.Added != "" {
			line += "  +" + clip(e.Added, 60)
		}
		if e.Removed != "" {
			line += "  −" + clip(e.Removed, 60)
		}
		out[i] = line
	}
	return out
}

// showHistory opens the history panel of a section; selecting an entry shows
// the notes as they were then. History is loaded off the UI goroutine.
func showHistory(m *minutes.Meeting, key, title string, win fyne.Window, onError func(error)) {
	status := widget.NewLabel(T("Loading history…"))
	// the notes as they were, rendered: attachments show as images
	then := widget.NewRichTextFromMarkdown("")
	then.Wrapping = fyne.TextWrapWord
	var entries []minutes.HistoryEntry
	var lines []string
	list := widget.NewList(func() int { return len(lines) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(lines[i]) })
	list.OnSelected = func(i widget.ListItemID) {
		e := entries[i]
		go func() {
			text, err := m.NotesAt(key, e.Hash)
			onUI(func() {
				if err != nil {
					onError(err)
					return
				}
				then.ParseMarkdown(text)
			})
		}()
	}
	split := container.NewVSplit(list, container.NewVScroll(then))
	d := dialog.NewCustom("History — "+title, T("Close"), container.NewBorder(status, nil, nil, nil, split), win)
	d.Resize(fyne.NewSize(760, 560))
	d.Show()
	go func() {
		h, err := m.History(key, historyLimit)
		onUI(func() {
			if err != nil {
				status.SetText("History unavailable: " + err.Error())
				return
			}
			entries, lines = h, HistoryLines(h)
			status.SetText(fmt.Sprintf("%d changes — select one to see the notes as they were", len(h)))
			list.Refresh()
		})
	}()
}
