package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/spf13/pflag"
	"sync/atomic"
)

func init() {
	register("serve", "[--listen ADDR] [--peer HOST:PORT ...] [--no-mdns] [--relay URL] [--ws ADDR]", "a headless peer on the LAN (logs to stderr), also through a relay or to WebSocket clients", parseServe)
	register("peers", "[--json]", "what the running peer sees", parsePeers)
	register("invite", "[--code]", "print an invitation to the team (--code: a short join code for one device)", parseInvite)
	register("join", "INVITATION | --code CODE [--peer HOST:PORT] [--switch]", "join the team of an invitation or a join code", parseJoin)
}

// serveHooks let other files add to `pwg serve`: each declares its flags
// on the command's flag set and returns what runs beside the LAN node,
// with those flags' values, until ctx ends. (Flags are declared anew for
// every command line parsed, and command lines are parsed concurrently.)
var serveHooks []func(fs *pflag.FlagSet) serveHook

type serveHook struct {
	run func(ctx context.Context, ws *minutes.Workspace, log *slog.Logger) error
	// node, if set, runs beside the LAN node once it has started, with it.
	node func(ctx context.Context, n *lansync.Node, ws *minutes.Workspace, log *slog.Logger) error
}

func parseServe(g *globals, fs *pflag.FlagSet) parser {
	listen := fs.String("listen", fmt.Sprintf(":%d", lansync.DefaultPort), "TCP address to accept peers on")
	peers := fs.StringArray("peer", nil, "host:port of a peer to keep connected to (repeatable)")
	noMDNS := fs.Bool("no-mdns", false, "do not advertise or discover peers by mDNS")
	hooks := make([]serveHook, len(serveHooks))
	for i, add := range serveHooks {
		hooks[i] = add(fs)
	}
	return func([]string) (*job, error) {
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
			noteSelfOnRoster(st, ws, log)
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			if err := serveControl(ctx, ws, g); err != nil {
				log.Warn("control socket unavailable: commands cannot reach this process", "err", err)
			}
			errc := make(chan error, 2*len(hooks)+1)
			for _, h := range hooks {
				if h.run != nil {
					go func() { errc <- h.run(ctx, ws, log) }()
				}
			}
			started := func(n *lansync.Node) {
				liveNode.Store(n)
				for _, h := range hooks {
					if h.node != nil {
						go func() { errc <- h.node(ctx, n, ws, log) }()
					}
				}
			}
			go func() {
				errc <- lansync.Serve(ctx, st, lansync.Options{Listen: *listen, Peers: *peers, MDNS: !*noMDNS, Logger: log, Started: started})
			}()
			err = <-errc
			cancel()
			if err != nil && !errors.Is(err, context.Canceled) {
				return exitCode(err, stderr)
			}
			return exitOK
		}}, nil
	}
}

// liveNode is the LAN node this process runs (the window's or `pwg serve`'s),
// for `pwg peers` sent over the control socket; nil when none runs.
var liveNode atomic.Pointer[lansync.Node]

// parsePeers: pwg peers [--json] asks the pwg that syncs the workspace,
// over its control socket, what it sees.
func parsePeers(g *globals, fs *pflag.FlagSet) parser {
	asJSON := fs.Bool("json", false, "print JSON")
	return func([]string) (*job, error) {
		return &job{remote: true, run: func(_ context.Context, _ *minutes.Workspace, _ io.Reader, stdout io.Writer) error {
			n := liveNode.Load()
			if n == nil {
				return fmt.Errorf("no pwg is syncing this workspace (start `pwg serve` or the window): %w", lansync.ErrNotRunning)
			}
			st := n.Status()
			if *asJSON {
				return writeJSON(stdout, st)
			}
			fmt.Fprintf(stdout, "this device %s listening on %s\n", st.Fingerprint, st.Listen)
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			for _, p := range st.Peers {
				state := "connected"
				switch {
				case p.Via != "":
					state = "via " + p.Via
				case !p.Connected:
					state = "lost: " + p.Reason
				}
				section := ""
				if p.Presence != nil {
					section = p.Presence.Section
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Fingerprint, p.Name, p.Addr, state, p.Since.Local().Format(time.TimeOnly), section)
			}
			return tw.Flush()
		}}, nil
	}
}

func parseInvite(g *globals, fs *pflag.FlagSet) parser {
	code := addInviteCodeFlags(fs)
	return func([]string) (*job, error) {
		return &job{run: func(ctx context.Context, ws *minutes.Workspace, _ io.Reader, stdout io.Writer) error {
			if err := ensureTeam(ws); err != nil {
				return err
			}
			if *code.code {
				return inviteByCode(ctx, g, code, ws, stdout)
			}
			inv, err := lansync.Invite(lansync.FromWorkspace(ws))
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, inv)
			return nil
		}}, nil
	}
}

func parseJoin(g *globals, fs *pflag.FlagSet) parser {
	switchTeam := fs.Bool("switch", false, "if this workspace has another team, make the invited team current (the other team's minutes stay)")
	code := addJoinCodeFlags(fs)
	return func(pos []string) (*job, error) {
		if *code.code != "" {
			if len(pos) != 0 {
				return nil, usageErr("join takes an invitation or --code, not both")
			}
			return &job{run: func(ctx context.Context, ws *minutes.Workspace, _ io.Reader, stdout io.Writer) error {
				return joinByCode(ctx, code, *switchTeam, ws, stdout)
			}}, nil
		}
		if len(pos) != 1 {
			return nil, usageErr("join needs one invitation (PWG1:…) or --code CODE")
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
