// Command pwg is the desktop app for the minutes of a team's monthly
// Performance Working Group, and its headless command line.
//
//	pwg [--workspace DIR] [--name NAME] [--demo]     open the window
//	pwg meeting list | new | show ...                scripts and tests
//	pwg section write ID SECTION-KEY [--append TEXT]
//
// Run "pwg help" for every command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/storage"
)

// Exit codes a shell user can act on.
const (
	exitOK       = 0
	exitFailed   = 1 // the command ran and failed (message on stderr)
	exitUsage    = 2 // bad command line
	exitNotFound = 3 // no such meeting / section
	exitBusy     = 4 // workspace open elsewhere and not reachable, or damaged
	exitNoGUI    = 5 // no display to open the window on
)

// errUsage marks command-line mistakes.
var errUsage = errors.New("usage")

func usageErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

const usageText = `pwg — minutes of the Performance Working Group

Usage:
  pwg [--workspace DIR] [--name NAME] [--demo] [--facilitator [--section KEY]]
                                                 open the window
  pwg meeting list [--json]                      meetings, newest first
  pwg meeting new --title T --date YYYY-MM-DD    create a meeting; prints its id
  pwg meeting show ID [--format md|json]         print a meeting
  pwg meeting repair ID [--dry-run]              restore fields a peer made malformed, from the
                                                 meeting's own history (a new change that syncs)
  pwg section write ID SECTION-KEY [--append TEXT]
                                                 append TEXT (or stdin) to a section's notes
  pwg section list ID                            section keys and titles of a meeting
  pwg action add ID --title T [--owner O] [--due YYYY-MM-DD] [--done-criteria C]
  pwg action list [--json]                       the team's action items
  pwg config mackerel [--monitors-as-code mkr|terraform|none]
                                                 monitors kept in code: the alert review makes action items
  pwg review alerts [MEETING] [--demo] [--json]  the alert review's hygiene board (newest meeting)
  pwg review slo [MEETING] [--demo] [--json]     SLOs computed from Mackerel, kept in the minutes
  pwg review cost [MEETING] [--demo] [--json] [--metrics SPEC]
                                                 the cost review (12 months, changes, components)
  pwg export md ID [-o DIR]                      Markdown + images/ of a meeting
  pwg export issues ID [--dry-run]               TODOs to GitHub issues, exactly once
  pwg export automerge ID [-o FILE]              the meeting as a standard .automerge file
  pwg import FILE                                merge a .automerge minutes file (same meeting, or a new one)
  pwg search QUERY [--json] [--limit N]          lines of every meeting containing all words of QUERY
  pwg review toil [--json]                       work-log items that recur across meetings
  pwg config github --repo OWNER/NAME [--base-url URL] [--labels L] [--minutes-url URL] [--postmortem-label L]
  pwg config github-token                        store the GitHub token read from stdin
  pwg serve [--listen ADDR] [--peer HOST:PORT ...] [--no-mdns]
                                                 a headless peer on the LAN (logs to stderr)
  pwg serve ... [--relay URL] [--ws ADDR]        also sync shared meetings through a relay /
                                                 serve automerge-repo clients over WebSocket
  pwg share [MEETING]                            share a meeting through the relay (none: list)
  pwg unshare MEETING                            stop sharing it
  pwg relay [URL | --off]                        the relay this workspace uses
  pwg peers [--json]                             what the running peer sees
  pwg invite                                     print an invitation to the team
  pwg join INVITATION [--switch]                 join the team of an invitation
  pwg help                                       this text
  pwg --version                                  version and commit

Every command takes --workspace DIR (default: $PWG_WORKSPACE or <user config dir>/pwg).
While a pwg window or "pwg serve" has the workspace open, commands are carried
out by that process.

Exit codes: 0 ok, 1 failed, 2 usage or bad input (text too long, not UTF-8,
a date outside 2000–2099), 3 not found, 4 workspace busy or damaged, 5 no
display for the window (use the commands, or pwg serve).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	disarmCrashReports() // only here: a panic never returns from run
	stop()
	os.Exit(code)
}

// globals are the flags every command accepts.
type globals struct {
	workspace   string
	name        string
	demo        bool
	facilitator bool
	section     string
	// cwd is the working folder of the pwg that sent a forwarded command
	// (empty: this process's).
	cwd string
}

// path returns a file name from the command line as an absolute path,
// relative to the working folder of the pwg the user typed it into (a
// forwarded command runs in another process with another working folder).
func (g *globals) path(p string) (string, error) {
	if filepath.IsAbs(p) || g.cwd == "" {
		return filepath.Abs(p)
	}
	return filepath.Join(g.cwd, p), nil
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.workspace, "workspace", g.workspace, "workspace folder")
	fs.StringVar(&g.name, "name", g.name, "your display name in the minutes")
	fs.BoolVar(&g.demo, "demo", g.demo, "run against a local demo Mackerel")
	fs.BoolVar(&g.facilitator, "facilitator", g.facilitator, "open the facilitator view at start (for the projector)")
	fs.StringVar(&g.section, "section", g.section, "with --facilitator: the section to start at")
}

func (g *globals) dir() (string, error) {
	if g.workspace != "" {
		return g.workspace, nil
	}
	if d := os.Getenv("PWG_WORKSPACE"); d != "" {
		return d, nil
	}
	return minutes.DefaultDir()
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if wantsVersion(args) {
		printVersion(stdout)
		return exitOK
	}
	g := &globals{}
	fs := flag.NewFlagSet("pwg", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	g.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usageText)
			return exitOK
		}
		fmt.Fprintf(stderr, "pwg: %v\n\n%s", err, usageText)
		return exitUsage
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return runGUI(ctx, g, stderr)
	}
	if rest[0] == "help" || rest[0] == "-h" || rest[0] == "--help" {
		fmt.Fprint(stdout, usageText)
		return exitOK
	}
	return runCommand(ctx, g, rest, stdin, stdout, stderr)
}

// exitCode maps an error to an exit code and prints it.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "pwg: %v\n", err)
	switch {
	case errors.Is(err, errUsage), errors.Is(err, minutes.ErrTooLong):
		fmt.Fprintln(stderr, "run \"pwg help\" for usage")
		return exitUsage
	case errors.Is(err, storage.ErrNotFound), errors.Is(err, minutes.ErrNoTeam):
		return exitNotFound
	case errors.Is(err, storage.ErrLocked), errors.Is(err, storage.ErrCorrupt),
		errors.Is(err, storage.ErrNotWorkspace), errors.Is(err, storage.ErrNewerSchema):
		return exitBusy
	case errors.Is(err, errNoDisplay):
		return exitNoGUI
	}
	return exitFailed
}
