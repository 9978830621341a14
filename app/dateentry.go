package app

import (
	"errors"
	"time"

	"fyne.io/fyne/v2/widget"
)

// newDateEntry is an entry for a YYYY-MM-DD date holding value; optional
// accepts an empty one.
func newDateEntry(value string, optional bool) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder("YYYY-MM-DD")
	e.SetText(value)
	e.Validator = func(s string) error {
		if s == "" && optional {
			return nil
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return errors.New("YYYY-MM-DD")
		}
		return nil
	}
	return e
}
