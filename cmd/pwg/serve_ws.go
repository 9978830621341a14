package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/sharing"
	"github.com/pwg-team/pwg/sync/wsnet"
	"github.com/spf13/pflag"
)

// `pwg serve --relay URL --ws ADDR`, and the commands that choose which
// meetings go to a relay: `pwg share`, `pwg unshare`, `pwg relay`.

func init() {
	serveHooks = append(serveHooks, func(fs *pflag.FlagSet) serveHook {
		relay := fs.String("relay", "", "ws:// or wss:// URL of an automerge-repo relay to sync shared meetings through (default: the URL set with pwg relay)")
		wsAddr := fs.String("ws", "", "host:port to accept automerge-repo WebSocket clients on (shared meetings only)")
		return serveHook{node: func(ctx context.Context, n *lansync.Node, ws *minutes.Workspace, log *slog.Logger) error {
			return runServeWS(ctx, n, ws, log, *relay, *wsAddr)
		}}
	})
	register("share", "[MEETING]", "share a meeting through the relay (none: list)", parseShare)
	register("unshare", "MEETING", "stop sharing it", parseUnshare)
	register("relay", "[URL | --off]", "the relay this workspace uses", parseRelay)
}

// runServeWS runs the relay client and the WebSocket server that the flags
// --relay and --ws (or the workspace's relay setting) ask for, until ctx ends.
func runServeWS(ctx context.Context, n *lansync.Node, ws *minutes.Workspace, log *slog.Logger, relayURL, wsAddr string) error {
	url := relayURL
	if url == "" {
		var err error
		if url, err = sharing.RelayURL(ws.Settings()); err != nil {
			return err
		}
	}
	errc := make(chan error, 2)
	running := 0
	if url != "" {
		if err := sharing.CheckURL(url); err != nil {
			return usageErr("--relay: %v", err)
		}
		running++
		go func() { errc <- wsnet.Relay(ctx, n, url, ws.Settings(), log) }()
	}
	if wsAddr != "" {
		running++
		go func() { errc <- wsnet.ListenAndServe(ctx, n, wsAddr, ws.Settings(), log, nil) }()
	}
	if running > 0 {
		if ids, err := sharing.Shared(ws.Settings()); err == nil && len(ids) == 0 {
			log.Warn("no meeting is shared: nothing goes through the relay until `pwg share MEETING`")
		}
	}
	for ; running > 0; running-- {
		if err := <-errc; err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	<-ctx.Done()
	return ctx.Err()
}

// shareTarget resolves a meeting id (or unique prefix) to share. A full
// document id that is not here yet is accepted: the relay is asked for it.
func shareTarget(ws *minutes.Workspace, arg string) (id string, fetch bool, err error) {
	m, err := ws.Meeting(arg)
	if err == nil {
		return m.ID(), false, nil
	}
	if !docid.Valid(arg) {
		return "", false, err
	}
	h, derr := ws.Doc(arg)
	switch {
	case errors.Is(derr, storage.ErrNotFound):
		return arg, true, nil
	case derr != nil:
		return "", false, derr
	case h.IsEmpty():
		return arg, true, nil
	}
	return "", false, fmt.Errorf("%s is a %q document: only meetings are shared through a relay (the team's series holds its roster and action items): %w", arg, h.Kind(), storage.ErrNotFound)
}

func parseShare(g *globals, fs *pflag.FlagSet) parser {
	return func(pos []string) (*job, error) {
		if len(pos) > 1 {
			return nil, usageErr("share takes one meeting id (none: list the shared meetings)")
		}
		return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			if len(pos) == 0 {
				return listShared(ws, out)
			}
			id, fetch, err := shareTarget(ws, pos[0])
			if err != nil {
				return err
			}
			if err := sharing.Share(ws.Settings(), id); err != nil {
				return err
			}
			if fetch {
				fmt.Fprintf(out, "%s is not in this workspace yet: it will be fetched from the relay\n", id)
			}
			fmt.Fprintf(out, "shared automerge:%s through the relay: whoever can reach the relay and knows this id can read and change it\n", id)
			if u, _ := sharing.RelayURL(ws.Settings()); u == "" {
				fmt.Fprintln(out, "no relay is set: run `pwg relay URL`, or `pwg serve --relay URL`")
			}
			return nil
		}}, nil
	}
}

func listShared(ws *minutes.Workspace, out io.Writer) error {
	ids, err := sharing.Shared(ws.Settings())
	if err != nil {
		return err
	}
	for _, id := range ids {
		title := "(not here yet)"
		if m, err := ws.Meeting(id); err == nil {
			title = m.Date() + " " + m.Title()
		}
		fmt.Fprintf(out, "%s\t%s\n", id, title)
	}
	return nil
}

func parseUnshare(g *globals, fs *pflag.FlagSet) parser {
	return func(pos []string) (*job, error) {
		if len(pos) != 1 {
			return nil, usageErr("unshare needs one meeting id")
		}
		return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			id := pos[0]
			if m, err := ws.Meeting(id); err == nil {
				id = m.ID()
			}
			if !sharing.IsShared(ws.Settings(), id) {
				return fmt.Errorf("meeting %s is not shared: %w", id, storage.ErrNotFound)
			}
			if err := sharing.Unshare(ws.Settings(), id); err != nil {
				return err
			}
			fmt.Fprintf(out, "%s no longer syncs through the relay (what the relay already stored stays there)\n", id)
			return nil
		}}, nil
	}
}

func parseRelay(g *globals, fs *pflag.FlagSet) parser {
	off := fs.Bool("off", false, "use no relay")
	return func(pos []string) (*job, error) {
		if len(pos) > 1 || (*off && len(pos) > 0) {
			return nil, usageErr("relay takes one URL, or --off")
		}
		if len(pos) == 1 {
			if err := sharing.CheckURL(pos[0]); err != nil {
				return nil, usageErr("%v", err)
			}
		}
		return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			switch {
			case *off:
				return sharing.SetRelayURL(ws.Settings(), "")
			case len(pos) == 1:
				if err := sharing.SetRelayURL(ws.Settings(), pos[0]); err != nil {
					return err
				}
				fmt.Fprintln(out, "relay set; `pwg serve` (and the window) use it from their next start")
				return nil
			}
			u, err := sharing.RelayURL(ws.Settings())
			if err != nil {
				return err
			}
			if u == "" {
				fmt.Fprintln(out, "no relay")
				return nil
			}
			fmt.Fprintln(out, u)
			return nil
		}}, nil
	}
}
