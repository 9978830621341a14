package issues

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// DefaultLabels are put on new issues when Exporter.Labels is nil.
var DefaultLabels = []string{"pwg"}

// maxTitle is GitHub's limit on an issue title, in characters.
const maxTitle = 256

// markerRE finds the hidden marker on a line of its own.
var markerRE = regexp.MustCompile(`(?m)^<!-- pwg:([A-Za-z0-9._:-]+) -->\s*$`)

// validID reports whether an item ID can go into a marker.
var validID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// Marker returns the hidden marker for an action item.
func Marker(itemID string) string {
	return "<!-- pwg:" + itemID + " -->"
}

// MarkerOf returns the item ID of the last marker line in body.
func MarkerOf(body string) (string, bool) {
	ms := markerRE.FindAllStringSubmatch(strings.ReplaceAll(body, "\r\n", "\n"), -1)
	if len(ms) == 0 {
		return "", false
	}
	return ms[len(ms)-1][1], true
}

// Origin is where an action item came from, for the issue body.
type Origin struct {
	Meeting    string // meeting title
	Date       string // YYYY-MM-DD
	Section    string // agenda section title
	MinutesURL string // where the exported minutes are read (wiki, repository)
}

// LoginsFromMembers maps each member's ID and name to their GitHub login,
// for Exporter.Logins.
func LoginsFromMembers(members []minutes.Member) map[string]string {
	out := map[string]string{}
	for _, m := range members {
		if m.GitHub == "" {
			continue
		}
		out[m.ID] = m.GitHub
		if m.Name != "" {
			out[m.Name] = m.GitHub
		}
	}
	return out
}

// title is the issue title: the item's title on one line, cut to GitHub's
// limit.
func title(it minutes.ActionItem) string {
	t := strings.Join(strings.Fields(it.Title), " ")
	if utf8.RuneCountInString(t) > maxTitle {
		r := []rune(t)
		t = string(r[:maxTitle-1]) + "…"
	}
	return t
}

// body writes the issue body: owner, target date, meeting, done criteria,
// a link back to the minutes and the marker as the last line.
func body(it minutes.ActionItem, o Origin, login string) string {
	var b strings.Builder
	line := func(label, value string) {
		if strings.TrimSpace(value) != "" {
			fmt.Fprintf(&b, "- **%s:** %s\n", label, value)
		}
	}
	owner := it.Owner
	if login != "" {
		if owner != "" {
			owner += " (@" + login + ")"
		} else {
			owner = "@" + login
		}
	}
	line("Owner", owner)
	line("Target date", it.TargetDate)
	meeting := o.Meeting
	if o.Date != "" {
		if meeting != "" {
			meeting += " (" + o.Date + ")"
		} else {
			meeting = o.Date
		}
	}
	line("Meeting", meeting)
	line("Section", o.Section)
	if o.MinutesURL != "" {
		line("Minutes", o.MinutesURL)
	}
	if dc := strings.TrimSpace(strings.ReplaceAll(it.DoneCriteria, "\r\n", "\n")); dc != "" {
		b.WriteString("\n### Done criteria\n\n")
		b.WriteString(dc)
		b.WriteString("\n")
	}
	b.WriteString("\n---\n")
	b.WriteString("Created from the Performance Working Group minutes by pwg. The line below links this issue to its action item; please keep it.\n\n")
	b.WriteString(Marker(it.ID))
	b.WriteString("\n")
	return b.String()
}
