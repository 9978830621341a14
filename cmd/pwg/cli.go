package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// parser turns the positional arguments of a command, once its flags are
// parsed, into a job.
type parser func(pos []string) (*job, error)

// command is one command of the command line, registered by the file that
// implements it (see the package doc: one small file per command).
type command struct {
	path  string // "meeting show": the words that name it
	usage string // its arguments and flags, for the help: "ID [--format md|json]"
	short string // what it does, in a few words
	// build declares the command's flags on fs and returns the parser of
	// its positional arguments. g holds the flags every command takes.
	build func(g *globals, fs *pflag.FlagSet) parser
}

var commands []command

// register adds a command (from an init function).
func register(path, usage, short string, build func(g *globals, fs *pflag.FlagSet) parser) {
	commands = append(commands, command{path: path, usage: usage, short: short, build: build})
}

// groupOrder is the order of the commands in the help; others follow, by name.
var groupOrder = []string{"meeting", "section", "action", "review", "export", "import", "search", "config", "serve", "share", "unshare", "relay", "peers", "invite", "join", "devices", "revoke"}

// newRoot builds the command tree for one command line. A leaf's parsed job
// is stored in *parsed; help and completion write to out.
func newRoot(g *globals, out io.Writer, parsed **job) *cobra.Command {
	root := &cobra.Command{
		Use:           "pwg",
		Short:         "minutes of the Performance Working Group",
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.NoArgs,
		// pwg with no command opens the window (run handles it).
		RunE: func(*cobra.Command, []string) error { return errGUI },
	}
	root.SetOut(out)
	root.SetErr(out)
	g.register(root.PersistentFlags())
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		if c == root {
			fmt.Fprint(c.OutOrStdout(), usageText())
			return
		}
		fmt.Fprint(c.OutOrStdout(), c.UsageString())
	})
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErr("%s: %v", c.CommandPath(), err)
	})
	groups := map[string]*cobra.Command{}
	for _, cmd := range commands {
		words := strings.Fields(cmd.path)
		parent := root
		for i, w := range words[:len(words)-1] {
			key := strings.Join(words[:i+1], " ")
			gc, ok := groups[key]
			if !ok {
				gc = &cobra.Command{Use: w, Short: "pwg " + key + " …", Args: cobra.NoArgs,
					RunE: func(c *cobra.Command, args []string) error {
						return usageErr("%s needs a command: %s", key, strings.Join(subNames(c), ", "))
					}}
				groups[key] = gc
				parent.AddCommand(gc)
			}
			parent = gc
		}
		leaf := &cobra.Command{Use: words[len(words)-1] + " " + cmd.usage, Short: cmd.short}
		parse := cmd.build(g, leaf.Flags())
		leaf.RunE = func(_ *cobra.Command, pos []string) error {
			j, err := parse(pos)
			if err != nil {
				return err
			}
			*parsed = j
			return nil
		}
		parent.AddCommand(leaf)
	}
	return root
}

func subNames(c *cobra.Command) []string {
	var out []string
	for _, s := range c.Commands() {
		out = append(out, s.Name())
	}
	return out
}

// errGUI says the command line asks for the window.
var errGUI = errors.New("open the window")

// parseCommand parses a command line into a job. Help and completion are
// written to out and give a nil job.
func parseCommand(g *globals, args []string, out io.Writer) (*job, error) {
	if err := checkArgs(args); err != nil {
		return nil, err
	}
	var j *job
	root := newRoot(g, out, &j)
	root.SetArgs(args)
	if _, err := root.ExecuteC(); err != nil {
		if errors.Is(err, errGUI) || errors.Is(err, errUsage) || j != nil {
			return nil, err
		}
		var usage bool
		for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "invalid argument", "flag needs an argument", "required flag"} {
			usage = usage || strings.Contains(err.Error(), p)
		}
		if usage {
			return nil, usageErr("%v", err)
		}
		return nil, err
	}
	return j, nil
}

// usageText is the help of pwg: every command, one line each.
func usageText() string {
	var b strings.Builder
	b.WriteString(`pwg — minutes of the Performance Working Group

Usage:
  pwg [--workspace DIR] [--name NAME] [--demo] [--facilitator [--section KEY]]
                                                 open the window
`)
	cs := slices.Clone(commands)
	rank := func(c command) int {
		if i := slices.Index(groupOrder, strings.Fields(c.path)[0]); i >= 0 {
			return i
		}
		return len(groupOrder)
	}
	slices.SortStableFunc(cs, func(a, b command) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		if rank(a) == len(groupOrder) {
			return strings.Compare(a.path, b.path)
		}
		return 0
	})
	for _, c := range cs {
		line := "  pwg " + c.path
		if c.usage != "" {
			line += " " + c.usage
		}
		short := wrap(c.short, 50)
		if len(line) < 49 {
			fmt.Fprintf(&b, "%-49s%s\n", line, short[0])
			short = short[1:]
		} else {
			fmt.Fprintln(&b, line)
		}
		for _, l := range short {
			fmt.Fprintf(&b, "%49s%s\n", "", l)
		}
	}
	b.WriteString(`  pwg help [COMMAND]                             this text, or a command's flags
  pwg completion bash|zsh|fish|powershell        a shell completion script
  pwg --version                                  version and commit

Every command takes --workspace DIR (default: $PWG_WORKSPACE or <user config dir>/pwg).
While a pwg window or "pwg serve" has the workspace open, commands are carried
out by that process.

Exit codes: 0 ok, 1 failed, 2 usage or bad input (text too long, not UTF-8,
a date outside 2000–2099), 3 not found, 4 workspace busy, damaged or not a
pwg workspace, 5 no display for the window (use the commands, or pwg serve).
`)
	return b.String()
}

// wrap splits text into lines of at most width bytes, at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}
