package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/markdown"
	"github.com/pwg-team/pwg/integrations/teamconf"
	"github.com/spf13/pflag"
)

// job is a parsed command: it runs against an open workspace, either in this
// process or, when another pwg holds the workspace, in that one.
type job struct {
	run func(ctx context.Context, ws *minutes.Workspace, stdin io.Reader, stdout io.Writer) error
	// readsStdin: the command takes its text from stdin (forwarded as bytes).
	readsStdin bool
	// local: the command must run in this process (it opens the workspace itself).
	local func(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) int
	// mutates: the command adds to the minutes (run at most once per token).
	mutates bool
	// remote: the command asks the pwg that holds the workspace (over its
	// control socket) and never opens the workspace itself.
	remote bool
}

func init() {
	register("meeting list", "[--json]", "meetings, newest first", meetingListCmd)
	register("meeting new", "--title T --date YYYY-MM-DD", "create a meeting; prints its id", meetingNewCmd)
	register("meeting show", "ID [--format md|json]", "print a meeting", meetingShowCmd)
	register("section list", "ID", "section keys and titles of a meeting", sectionListCmd)
	register("section write", "ID SECTION-KEY [--append TEXT]", "append TEXT (or stdin) to a section's notes", sectionWriteCmd)
	register("action add", "ID --title T [--owner O] [--due YYYY-MM-DD] [--done-criteria C]", "add an action item to a meeting; prints its id", actionAddCmd)
	register("action list", "[--json]", "the team's action items", actionListCmd)
}

func meetingListCmd(g *globals, fs *pflag.FlagSet) parser {
	asJSON := fs.Bool("json", false, "print JSON")
	return func([]string) (*job, error) {
		return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			return meetingList(ws, out, *asJSON)
		}}, nil
	}
}

func meetingNewCmd(g *globals, fs *pflag.FlagSet) parser {
	title := fs.String("title", "", "meeting title")
	date := fs.String("date", "", "meeting date YYYY-MM-DD")
	return func([]string) (*job, error) {
		if *title == "" || *date == "" {
			return nil, usageErr("meeting new needs --title T --date YYYY-MM-DD")
		}
		if err := errors.Join(checkLine("--title", *title), checkDate("--date", *date)); err != nil {
			return nil, err
		}
		return &job{mutates: true, run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			if err := ensureTeam(ws); err != nil {
				return err
			}
			m, err := ws.NewMeeting(*title, *date)
			if err != nil {
				return err
			}
			fmt.Fprintln(out, m.ID())
			return nil
		}}, nil
	}
}

func meetingShowCmd(g *globals, fs *pflag.FlagSet) parser {
	format := fs.String("format", "md", "md or json")
	return func(pos []string) (*job, error) {
		if len(pos) != 1 {
			return nil, usageErr("meeting show needs one meeting id")
		}
		if *format != "md" && *format != "json" {
			return nil, usageErr("--format %q: want md or json", *format)
		}
		return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			m, err := ws.Meeting(pos[0])
			if err != nil {
				return err
			}
			if *format == "json" {
				return showJSON(ws, m, out)
			}
			return showMarkdown(ws, m, out)
		}}, nil
	}
}

func sectionListCmd(g *globals, fs *pflag.FlagSet) parser {
	return func(pos []string) (*job, error) {
		if len(pos) != 1 {
			return nil, usageErr("section list needs one meeting id")
		}
		return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			m, err := ws.Meeting(pos[0])
			if err != nil {
				return err
			}
			secs, err := m.Sections()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			for _, s := range secs {
				fmt.Fprintf(tw, "%s\t%s\t%d min\n", clean(s.Key), clean(s.Title), s.Timebox)
			}
			return tw.Flush()
		}}, nil
	}
}

func sectionWriteCmd(g *globals, fs *pflag.FlagSet) parser {
	var appendText *string = new(string)
	set := false
	fs.Func("append", "text to append", func(s string) error { *appendText, set = s, true; return nil })
	return func(pos []string) (*job, error) {
		if len(pos) != 2 {
			return nil, usageErr("section write needs a meeting id and a section key")
		}
		if set {
			if err := checkText("--append", *appendText); err != nil {
				return nil, err
			}
		}
		return &job{readsStdin: !set, mutates: true, run: func(_ context.Context, ws *minutes.Workspace, stdin io.Reader, _ io.Writer) error {
			text := *appendText
			if !set {
				var err error
				if text, err = readStdin(stdin); err != nil {
					return err
				}
			}
			if text == "" {
				return usageErr("nothing to write: give --append TEXT or text on stdin")
			}
			m, err := ws.Meeting(pos[0])
			if err != nil {
				return err
			}
			return m.AppendNotes(pos[1], text)
		}}, nil
	}
}

func actionAddCmd(g *globals, fs *pflag.FlagSet) parser {
	var a minutes.ActionItem
	fs.StringVar(&a.Title, "title", "", "what to do")
	fs.StringVar(&a.Owner, "owner", "", "who does it")
	fs.StringVar(&a.TargetDate, "due", "", "target date YYYY-MM-DD")
	fs.StringVar(&a.DoneCriteria, "done-criteria", "", "when it is done")
	return func(pos []string) (*job, error) {
		if len(pos) != 1 || a.Title == "" {
			return nil, usageErr("action add needs a meeting id and --title")
		}
		errs := []error{checkLine("--title", a.Title), checkLine("--owner", a.Owner), checkText("--done-criteria", a.DoneCriteria)}
		if a.TargetDate != "" {
			errs = append(errs, checkDate("--due", a.TargetDate))
		}
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		return &job{mutates: true, run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			m, err := ws.Meeting(pos[0])
			if err != nil {
				return err
			}
			a.OriginSection = "todos"
			item, err := m.AddActionItem(a)
			if err != nil {
				return err
			}
			fmt.Fprintln(out, item.ID)
			return nil
		}}, nil
	}
}

func actionListCmd(g *globals, fs *pflag.FlagSet) parser {
	asJSON := fs.Bool("json", false, "print JSON")
	return func([]string) (*job, error) {
		return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			s, err := ws.Series()
			if err != nil {
				return err
			}
			items, err := s.ActionItems()
			if err != nil {
				return err
			}
			if *asJSON {
				return writeJSON(out, items)
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			for _, a := range items {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", clean(a.ID), clean(a.Status), clean(a.Title), clean(a.Owner), clean(a.TargetDate), clean(a.IssueURL))
			}
			return tw.Flush()
		}}, nil
	}
}

// ensureTeam creates the default team on a workspace that has none.
func ensureTeam(ws *minutes.Workspace) error {
	if _, err := ws.Series(); !errors.Is(err, minutes.ErrNoTeam) {
		return err
	}
	_, err := ws.NewSeries("PWG", minutes.PWGTemplate())
	return err
}

func meetingList(ws *minutes.Workspace, out io.Writer, asJSON bool) error {
	infos, err := ws.Meetings()
	if errors.Is(err, minutes.ErrNoTeam) {
		infos, err = nil, nil
	}
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSONList(out, infos)
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, m := range infos {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", m.ID, clean(m.Date), clean(m.Title))
	}
	return tw.Flush()
}

// writeJSONList prints items as a JSON array: [] when there are none.
func writeJSONList[T any](out io.Writer, items []T) error {
	if items == nil {
		items = []T{}
	}
	return writeJSON(out, items)
}

// writeJSON prints v as indented JSON (the --json of every command).
func writeJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// meetingJSON is the JSON form of `pwg meeting show --format json`.
type meetingJSON struct {
	ID           string                `json:"id"`
	Title        string                `json:"title"`
	Date         string                `json:"date"`
	Location     string                `json:"location"`
	SeriesID     string                `json:"seriesId"`
	Attendees    []minutes.Attendee    `json:"attendees"`
	Sections     []minutes.Section     `json:"sections"`
	Carried      []minutes.ActionItem  `json:"carriedActionItems"`
	Raised       []minutes.ActionItem  `json:"actionItems"`
	AlertReviews []minutes.AlertReview `json:"alertReviews"`
	SLOs         []minutes.SLORow      `json:"slos"`
	Attachments  []minutes.Attachment  `json:"attachments"`
	Heads        []string              `json:"heads"`
	Problems     []string              `json:"problems,omitempty"`
}

func collect(m *minutes.Meeting) (*meetingJSON, error) {
	j := &meetingJSON{ID: m.ID(), Title: m.Title(), Date: m.Date(), Location: m.Location(), SeriesID: m.SeriesID(), Problems: m.Problems()}
	var errs []error
	var err error
	j.Attendees, err = m.Attendees()
	errs = append(errs, err)
	j.Sections, err = m.Sections()
	errs = append(errs, err)
	j.Carried, j.Raised, err = m.ActionItems()
	errs = append(errs, err)
	j.AlertReviews, err = m.AlertReviews()
	errs = append(errs, err)
	j.SLOs, err = m.SLOs()
	errs = append(errs, err)
	j.Attachments, err = m.Attachments()
	errs = append(errs, err)
	for _, h := range m.Handle().Heads() {
		j.Heads = append(j.Heads, h.String())
	}
	return j, errors.Join(errs...)
}

func showJSON(_ *minutes.Workspace, m *minutes.Meeting, out io.Writer) error {
	j, err := collect(m)
	if err != nil {
		return err
	}
	return writeJSON(out, j)
}

func showMarkdown(ws *minutes.Workspace, m *minutes.Meeting, out io.Writer) error {
	mins, err := teamconf.Minutes(m)
	if err != nil {
		return err
	}
	return markdown.Export(out, mins, markdown.Options{Blobs: ws.Blob})
}
