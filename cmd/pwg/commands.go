package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/markdown"
	"github.com/pwg-team/pwg/integrations/teamconf"
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
}

func newFlags(name string, g *globals) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	g.register(fs)
	return fs
}

// parseFlags parses interleaved flags and positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageErr("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func parseCommand(g *globals, args []string) (*job, error) {
	if len(args) == 0 {
		return nil, usageErr("no command")
	}
	if err := checkArgs(args); err != nil {
		return nil, err
	}
	key := args[0]
	rest := args[1:]
	if len(args) > 1 && (key == "meeting" || key == "section" || key == "action" || key == "export" || key == "config" || key == "review") {
		key += " " + args[1]
		rest = args[2:]
	}
	if p, ok := extraCommands[key]; ok {
		return p(g, rest)
	}
	switch key {
	case "meeting list":
		fs := newFlags(key, g)
		asJSON := fs.Bool("json", false, "print JSON")
		if _, err := parseFlags(fs, rest); err != nil {
			return nil, err
		}
		return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			return meetingList(ws, out, *asJSON)
		}}, nil
	case "meeting new":
		fs := newFlags(key, g)
		title := fs.String("title", "", "meeting title")
		date := fs.String("date", "", "meeting date YYYY-MM-DD")
		if _, err := parseFlags(fs, rest); err != nil {
			return nil, err
		}
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
	case "meeting show":
		fs := newFlags(key, g)
		format := fs.String("format", "md", "md or json")
		pos, err := parseFlags(fs, rest)
		if err != nil {
			return nil, err
		}
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
	case "meeting repair":
		fs := newFlags(key, g)
		dry := fs.Bool("dry-run", false, "only list what is malformed")
		pos, err := parseFlags(fs, rest)
		if err != nil {
			return nil, err
		}
		if len(pos) != 1 {
			return nil, usageErr("meeting repair needs one meeting id")
		}
		return &job{mutates: !*dry, run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			m, err := ws.Meeting(pos[0])
			if err != nil {
				return err
			}
			probs := m.Problems()
			for _, p := range probs {
				fmt.Fprintln(out, "malformed:", clean(p))
			}
			if *dry || len(probs) == 0 {
				if len(probs) == 0 {
					fmt.Fprintln(out, "nothing malformed")
				}
				return nil
			}
			restored, err := m.Repair()
			if err != nil {
				return err
			}
			fmt.Fprintln(out, "restored from the meeting's history:", strings.Join(restored, ", "))
			return nil
		}}, nil
	case "section list":
		fs := newFlags(key, g)
		pos, err := parseFlags(fs, rest)
		if err != nil {
			return nil, err
		}
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
	case "section write":
		fs := newFlags(key, g)
		var appendText *string = new(string)
		set := false
		fs.Func("append", "text to append", func(s string) error { *appendText, set = s, true; return nil })
		pos, err := parseFlags(fs, rest)
		if err != nil {
			return nil, err
		}
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
	case "action add":
		fs := newFlags(key, g)
		var a minutes.ActionItem
		fs.StringVar(&a.Title, "title", "", "what to do")
		fs.StringVar(&a.Owner, "owner", "", "who does it")
		fs.StringVar(&a.TargetDate, "due", "", "target date YYYY-MM-DD")
		fs.StringVar(&a.DoneCriteria, "done-criteria", "", "when it is done")
		pos, err := parseFlags(fs, rest)
		if err != nil {
			return nil, err
		}
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
	case "action list":
		fs := newFlags(key, g)
		asJSON := fs.Bool("json", false, "print JSON")
		if _, err := parseFlags(fs, rest); err != nil {
			return nil, err
		}
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
	return nil, usageErr("unknown command %q", strings.Join(args[:min(2, len(args))], " "))
}

// extraCommands are registered by other files (sync, export, ...).
var extraCommands = map[string]func(g *globals, args []string) (*job, error){}

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
		if infos == nil {
			infos = []minutes.MeetingInfo{}
		}
		return writeJSON(out, infos)
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, m := range infos {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", m.ID, clean(m.Date), clean(m.Title))
	}
	return tw.Flush()
}

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
