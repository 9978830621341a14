// Package app is pwg's Fyne GUI: the main window with the list of meetings
// and the selected meeting's minutes, one editor per agenda section bound to
// the section's Automerge text. It talks to documents only through the
// crdt/minutes package's Go types; document events from other goroutines are applied to
// the widgets inside fyne.Do.
package app
