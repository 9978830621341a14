package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
)

func init() {
	extraCommands["serve"] = parseServe
	extraCommands["peers"] = parsePeers
	extraCommands["invite"] = parseInvite
	extraCommands["join"] = parseJoin
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// serveHooks let other files add to `pwg serve` (flags parsed, then run
// beside the LAN node until ctx ends).
var serveHooks []serveHook

type serveHook struct {
	flags func(fs *flag.FlagSet)
	run   func(ctx context.Context, ws *minutes.Workspace, log *slog.Logger) error
	// node, if set, runs beside the LAN node once it has started, with it.
	node func(ctx context.Context, n *lansync.Node, ws *minutes.Workspace, log *slog.Logger) error
}

func parseServe(g *globals, args []string) (*job, error) {
	fs := newFlags("serve", g)
	listen := fs.String("listen", fmt.Sprintf(":%d", lansync.DefaultPort), "TCP address to accept peers on")
	var peers listFlag
	fs.Var(&peers, "peer", "host:port of a peer to keep connected to (repeatable)")
	noMDNS := fs.Bool("no-mdns", false, "do not advertise or discover peers by mDNS")
	for _, h := range serveHooks {
		h.flags(fs)
	}
	if _, err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	return &job{local: func(ctx context.Context, _ io.Reader, stdout, stderr io.Writer) int {
		log := slog.New(slog.NewTextHandler(stderr, nil))
		dir, err := g.dir()
		if err != nil {
			return exitCode(err, stderr)
		}
		ws, err := minutes.Open(dir, minutes.Options{Name: g.name, Logger: log})
		if err != nil {
			return exitCode(err, stderr)
		}
		defer ws.Close()
		guardCrashes(ws, stderr)
		defer keepSearchIndex(ws, log)()
		st := lansync.FromWorkspace(ws)
		if _, err := st.Team(); errors.Is(err, lansync.ErrNoTeam) {
			return exitCode(fmt.Errorf("%w: this workspace has no team yet; run `pwg join INVITATION` or `pwg meeting new` first", minutes.ErrNoTeam), stderr)
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		if err := serveControl(ctx, ws, g); err != nil {
			log.Warn("control socket unavailable: commands cannot reach this process", "err", err)
		}
		errc := make(chan error, 2*len(serveHooks)+1)
		for _, h := range serveHooks {
			if h.run != nil {
				go func() { errc <- h.run(ctx, ws, log) }()
			}
		}
		started := func(n *lansync.Node) {
			for _, h := range serveHooks {
				if h.node != nil {
					go func() { errc <- h.node(ctx, n, ws, log) }()
				}
			}
		}
		go func() {
			errc <- lansync.Serve(ctx, st, lansync.Options{Listen: *listen, Peers: peers, MDNS: !*noMDNS, Logger: log, Started: started})
		}()
		err = <-errc
		cancel()
		if err != nil && !errors.Is(err, context.Canceled) {
			return exitCode(err, stderr)
		}
		return exitOK
	}}, nil
}

func parsePeers(g *globals, args []string) (*job, error) {
	fs := newFlags("peers", g)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	return &job{local: func(_ context.Context, _ io.Reader, stdout, stderr io.Writer) int {
		dir, err := g.dir()
		if err != nil {
			return exitCode(err, stderr)
		}
		st, err := lansync.ReadStatus(lansync.StatusPath(dir))
		if errors.Is(err, lansync.ErrNotRunning) {
			return exitCode(fmt.Errorf("no pwg is syncing this workspace (start `pwg serve` or the window): %w", err), stderr)
		}
		if err != nil {
			return exitCode(err, stderr)
		}
		if *asJSON {
			return exitCode(writeJSON(stdout, st), stderr)
		}
		fmt.Fprintf(stdout, "this device %s listening on %s\n", st.Fingerprint, st.Listen)
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		for _, p := range st.Peers {
			state := "connected"
			if !p.Connected {
				state = "lost: " + p.Reason
			}
			section := ""
			if p.Presence != nil {
				section = p.Presence.Section
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Fingerprint, p.Name, p.Addr, state, p.Since.Local().Format(time.TimeOnly), section)
		}
		return exitCode(tw.Flush(), stderr)
	}}, nil
}

func parseInvite(g *globals, args []string) (*job, error) {
	fs := newFlags("invite", g)
	if _, err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, stdout io.Writer) error {
		if err := ensureTeam(ws); err != nil {
			return err
		}
		inv, err := lansync.Invite(lansync.FromWorkspace(ws))
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, inv)
		return nil
	}}, nil
}

func parseJoin(g *globals, args []string) (*job, error) {
	fs := newFlags("join", g)
	switchTeam := fs.Bool("switch", false, "if this workspace has another team, make the invited team current (the other team's minutes stay)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != 1 {
		return nil, usageErr("join needs one invitation (PWG1:…)")
	}
	return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, stdout io.Writer) error {
		team, err := joinTeam(ws, pos[0], *switchTeam)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "joined team %s; its minutes arrive at the next sync\n", team)
		return nil
	}}, nil
}

// joinTeam adds the workspace to the team of an invitation. With force, a
// workspace of another team switches to the invited one (nothing is deleted).
func joinTeam(ws *minutes.Workspace, invitation string, force bool) (string, error) {
	inv, err := lansync.JoinOrSwitch(lansync.FromWorkspace(ws), invitation, force)
	if errors.Is(err, lansync.ErrOtherTeam) {
		return "", fmt.Errorf("%w: this workspace already has its own team; use --switch to make the invited team current, or join in a new workspace with --workspace DIR", err)
	}
	return inv.TeamID, err
}
