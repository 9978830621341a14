package markdown

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// Export writes the minutes as GitHub-flavoured Markdown to w. Image links
// point into ImageDir; WriteDir writes the images there.
func Export(w io.Writer, m *Minutes, opts Options) error {
	b, _, err := render(m, opts, false)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("markdown: writing export: %w", err)
	}
	return nil
}

// String returns the minutes as Markdown, for the clipboard.
func String(m *Minutes, opts Options) (string, error) {
	b, _, err := render(m, opts, false)
	return string(b), err
}

// writer accumulates the Markdown of one export.
type writer struct {
	bytes.Buffer
	l *Labels
}

// block writes s as a block, separated from the previous one by one blank
// line, and ending with a newline.
func (w *writer) block(s string) {
	s = strings.Trim(s, "\n")
	if s == "" {
		return
	}
	if w.Len() > 0 {
		w.WriteString("\n")
	}
	w.WriteString(s)
	w.WriteString("\n")
}

// render builds the Markdown and the set of images it refers to.
func render(m *Minutes, opts Options, fetch bool) ([]byte, *imageSet, error) {
	if m == nil {
		return nil, nil, fmt.Errorf("markdown: no minutes to export")
	}
	l := opts.Labels
	if l == nil {
		l = &English
	}
	imgs := newImageSet(m.Attachments, opts.Blobs, fetch)

	// Rewrite every section's notes first: the figures of attachments the
	// notes do not show depend on all of them.
	used := map[string]bool{}
	notes := make([]string, len(m.Sections))
	for i, sec := range m.Sections {
		n := strings.Trim(strings.ReplaceAll(sec.Notes, "\r\n", "\n"), "\n")
		if strings.TrimSpace(n) != "" {
			notes[i] = closeOpenFence(imgs.rewriteNotes(n, l, used))
		}
	}
	figures := figureBlocks(m.Attachments, imgs, used, l)

	w := &writer{l: l}
	title := m.Title
	if strings.TrimSpace(title) == "" {
		title = m.Date
	}
	w.block("# " + text(title))
	w.block(header(m, l))

	// Action items: with two or more action sections (the PWG template's
	// "earlier action items" and "TODOs to issues"), carried items go to
	// the first and new ones to the last; with one, both go there.
	var actionSecs []int
	for i, sec := range m.Sections {
		if sec.Kind == minutes.SectionActions {
			actionSecs = append(actionSecs, i)
		}
	}
	actionBlock := map[int]string{}
	switch len(actionSecs) {
	case 0:
	case 1:
		actionBlock[actionSecs[0]] = actionList(append(slices.Clip(m.Carried), m.Actions...), l)
	default:
		actionBlock[actionSecs[0]] = actionList(m.Carried, l)
		actionBlock[actionSecs[len(actionSecs)-1]] = actionList(m.Actions, l)
	}

	placed := map[string]bool{}
	for i, sec := range m.Sections {
		w.block("## " + text(sec.Title))
		var extra string
		switch sec.Kind {
		case minutes.SectionAlerts:
			extra = onceBlock(placed, sec.Kind, alertTable(m.AlertReviews, l))
		case minutes.SectionSLO:
			extra = onceBlock(placed, sec.Kind, sloBlock(m, l))
		case minutes.SectionCost:
			extra = onceBlock(placed, sec.Kind, costBlock(m.Cost, l))
		case minutes.SectionActions:
			placed[sec.Kind] = true
			extra = actionBlock[i]
		case minutes.SectionDashboard:
			extra = onceBlock(placed, sec.Kind, joinBlocks(figures, notesBlock(m.MetricNotes, l)))
		}
		if notes[i] == "" && extra == "" {
			w.block("*" + text(l.NoNotes) + "*")
		}
		w.block(notes[i])
		w.block(extra)
	}
	trailing := []struct {
		kind, title, block string
	}{
		{minutes.SectionAlerts, l.AlertReview, alertTable(m.AlertReviews, l)},
		{minutes.SectionSLO, l.SLOs, sloBlock(m, l)},
		{minutes.SectionCost, l.review().Cost, costBlock(m.Cost, l)},
		{minutes.SectionActions, l.Actions, actionList(append(slices.Clip(m.Carried), m.Actions...), l)},
		{minutes.SectionDashboard, l.Attachments, joinBlocks(figures, notesBlock(m.MetricNotes, l))},
	}
	for _, t := range trailing {
		if !placed[t.kind] && t.block != "" {
			w.block("## " + text(t.title))
			w.block(t.block)
		}
	}
	return w.Bytes(), imgs, nil
}

// onceBlock returns block the first time a kind is seen.
func onceBlock(placed map[string]bool, kind, block string) string {
	if placed[kind] {
		return ""
	}
	placed[kind] = true
	return block
}

// closeOpenFence closes a code fence the notes left open, so the rest of the
// export is not swallowed into it.
func closeOpenFence(notes string) string {
	var fence string
	for _, line := range strings.Split(notes, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) && strings.TrimSpace(strings.TrimLeft(trimmed, fence[:1])) == "" {
				fence = ""
			}
			continue
		}
		if f := fenceOpen(trimmed); f != "" && len(line)-len(trimmed) < 4 {
			fence = f
		}
	}
	if fence != "" {
		return notes + "\n" + fence
	}
	return notes
}

// header writes the date, location, attendees and absentees.
func header(m *Minutes, l *Labels) string {
	var lines []string
	add := func(label, value string) {
		if strings.TrimSpace(value) != "" {
			lines = append(lines, "- **"+text(label)+":** "+value)
		}
	}
	add(l.Series, text(m.Series))
	add(l.Date, text(m.Date))
	add(l.Location, text(m.Location))

	members := map[string]minutes.Member{}
	for _, mem := range m.Members {
		members[mem.ID] = mem
	}
	var present, absent []string
	listed := map[string]bool{}
	for _, a := range m.Attendees {
		listed[a.MemberID] = true
		mem := members[a.MemberID]
		name := a.Name
		if name == "" {
			name = mem.Name
		}
		if name == "" {
			continue
		}
		var roles []string
		if r, ok := l.Roles[a.Role]; ok {
			roles = append(roles, r)
		}
		if mem.Role != "" {
			roles = append(roles, mem.Role)
		}
		entry := text(name)
		if len(roles) > 0 {
			entry += " (" + text(strings.Join(roles, ", ")) + ")"
		}
		if a.Present {
			present = append(present, entry)
		} else {
			absent = append(absent, entry)
		}
	}
	for _, mem := range m.Members {
		if listed[mem.ID] || mem.Name == "" {
			continue
		}
		entry := text(mem.Name)
		if mem.Role != "" {
			entry += " (" + text(mem.Role) + ")"
		}
		absent = append(absent, entry)
	}
	add(l.Attendees, strings.Join(present, ", "))
	add(l.Absent, strings.Join(absent, ", "))
	return strings.Join(lines, "\n")
}

// table writes a GFM table; cells must already be escaped.
func table(head []string, align []string, rows [][]string) string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(head, " | ") + " |\n")
	b.WriteString("|" + strings.Join(align, "|") + "|\n")
	for _, r := range rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	return b.String()
}

func alertTable(rs []minutes.AlertReview, l *Labels) string {
	if len(rs) == 0 {
		return ""
	}
	rows := make([][]string, 0, len(rs))
	for _, r := range rs {
		verdict := r.Verdict
		if v, ok := l.Verdicts[verdict]; ok {
			verdict = v
		}
		if r.Change != "" && r.Change != "deleted" { // what the meeting changed in Mackerel
			verdict += " (" + r.Change + ")"
		}
		rows = append(rows, []string{link(cell(r.MonitorName), r.Link), fmt.Sprint(r.Count), cell(verdict), cell(r.Note)})
	}
	return table([]string{cell(l.Monitor), cell(l.Alerts), cell(l.Verdict), cell(l.Note)},
		[]string{" --- ", " ---: ", " --- ", " --- "}, rows)
}

func sloTable(rs []minutes.SLORow, l *Labels) string {
	if len(rs) == 0 {
		return ""
	}
	rows := make([][]string, 0, len(rs))
	for _, r := range rs {
		met := l.No
		if r.Met {
			met = l.Yes
		}
		rows = append(rows, []string{cell(r.Name), cell(r.Objective), cell(r.Actual), cell(met), cell(r.RevisitDate)})
	}
	return table([]string{cell(l.SLO), cell(l.Objective), cell(l.Actual), cell(l.Met), cell(l.Revisit)},
		[]string{" --- ", " --- ", " --- ", " --- ", " --- "}, rows)
}

// issueNumber matches the number at the end of an issue URL.
var issueNumber = regexp.MustCompile(`/(?:issues|pull|-/issues)/(\d+)/?$`)

func actionList(items []minutes.ActionItem, l *Labels) string {
	if len(items) == 0 {
		return ""
	}
	var b strings.Builder
	for _, it := range items {
		box := "[ ]"
		if it.Status == minutes.ActionDone || it.Status == minutes.ActionDropped {
			box = "[x]"
		}
		title := text(it.Title)
		if title == "" {
			title = text(it.ID)
		}
		if it.Status == minutes.ActionDropped {
			title = "~~" + title + "~~ (" + text(l.Dropped) + ")"
		}
		var meta []string
		if it.Owner != "" {
			meta = append(meta, text(l.Owner)+": "+text(it.Owner))
		}
		if it.TargetDate != "" {
			meta = append(meta, text(l.Due)+": "+text(it.TargetDate))
		}
		if u := safeURL(it.IssueURL); u != "" {
			label := text(l.Issue)
			if n := issueNumber.FindStringSubmatch(u); n != nil {
				label = "\\#" + n[1]
			}
			meta = append(meta, link(label, u))
		}
		b.WriteString("- " + box + " " + title)
		if len(meta) > 0 {
			b.WriteString(" — " + strings.Join(meta, ", "))
		}
		dc := strings.TrimSpace(it.DoneCriteria)
		if dc != "" {
			b.WriteString("\\")
		}
		b.WriteString("\n")
		if dc != "" {
			lines := strings.Split(strings.ReplaceAll(dc, "\r\n", "\n"), "\n")
			for i := range lines {
				lines[i] = text(lines[i])
			}
			b.WriteString("  " + text(l.DoneCriteria) + ": " + strings.Join(lines, "\\\n  ") + "\n")
		}
	}
	return b.String()
}

// figureBlocks writes the attachments the notes did not show, by time added
// then hash.
func figureBlocks(atts []minutes.Attachment, imgs *imageSet, used map[string]bool, l *Labels) string {
	var rest []minutes.Attachment
	seen := map[string]bool{}
	for _, a := range atts {
		h := strings.ToLower(a.Hash)
		if !isHex(h) || used[h] || seen[h] {
			continue
		}
		seen[h] = true
		rest = append(rest, a)
	}
	sort.SliceStable(rest, func(i, j int) bool {
		if !rest[i].Added.Equal(rest[j].Added) {
			return rest[i].Added.Before(rest[j].Added)
		}
		return rest[i].Hash < rest[j].Hash
	})
	var blocks []string
	for _, a := range rest {
		blocks = append(blocks, imgs.figure("", "", imgs.get(a.Hash), "", l))
	}
	return strings.Join(blocks, "\n\n")
}
