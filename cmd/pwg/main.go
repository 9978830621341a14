// Command pwg is the desktop app for the minutes of a team's monthly
// Performance Working Group, and its headless command line.
//
//	pwg [--workspace DIR] [--name NAME] [--demo]     open the window
//	pwg meeting list | new | show ...                scripts and tests
//	pwg section write ID SECTION-KEY [--append TEXT]
//
// Run "pwg help" for every command, "pwg help COMMAND" for its flags and
// "pwg completion bash|zsh|fish|powershell" for a shell completion script.
//
// # Commands
//
// The command line is parsed by cobra (cli.go): a tree built from the
// commands registered by the files of this package, the flags every command
// takes (globals) as persistent flags. Usage mistakes exit with 2, and the
// other exit codes are listed in exitCode.
//
// Adding a command is one small file with an init function:
//
//	func init() {
//		register("review widgets", "[MEETING] [--json]", "what the widgets say", parseReviewWidgets)
//	}
//
//	func parseReviewWidgets(g *globals, fs *pflag.FlagSet) parser {
//		asJSON := fs.Bool("json", false, "print JSON") // declare the flags
//		return func(pos []string) (*job, error) {     // then check the arguments
//			if len(pos) > 1 {
//				return nil, usageErr("review widgets takes at most one meeting")
//			}
//			return &job{run: func(ctx context.Context, ws *minutes.Workspace, stdin io.Reader, stdout io.Writer) error {
//				// ... the work, on the open workspace
//			}}, nil
//		}
//	}
//
// build runs for every command line parsed (the whole tree is built each
// time, and the control socket parses command lines concurrently): it must
// only declare flags and return closures over them, never write package
// state. Flags are GNU style (--json, -o DIR).
//
// The words of the path make the command's place in the tree (a new first
// word makes a new group); the usage and the short text make its line in
// "pwg help". A job's run gets an open workspace: in this process, or, when
// a pwg window or "pwg serve" holds the workspace, in that process, which
// receives the command line over <workspace>/pwg.sock and parses it again
// (control.go). Set mutates for a command that changes the minutes (it then
// runs at most once however often a lost reply is retried), readsStdin for
// one that reads its text from stdin, and local (instead of run) for one
// that must run in this process and opens the workspace itself (serve).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/storage"
)

// Exit codes a shell user can act on.
const (
	exitOK       = 0
	exitFailed   = 1 // the command ran and failed (message on stderr)
	exitUsage    = 2 // bad command line
	exitNotFound = 3 // no such meeting / section
	exitBusy     = 4 // workspace open elsewhere and not reachable, damaged, or not a pwg workspace
	exitNoGUI    = 5 // no display to open the window on
)

// errUsage marks command-line mistakes.
var errUsage = errors.New("usage")

func usageErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

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

func (g *globals) register(fs *pflag.FlagSet) {
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
	j, err := parseCommand(g, args, stdout)
	switch {
	case errors.Is(err, errGUI):
		return runGUI(ctx, g, stderr)
	case err != nil:
		return exitCode(err, stderr)
	case j == nil: // help or completion, written
		return exitOK
	}
	return runCommand(ctx, g, j, args, stdin, stdout, stderr)
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
