package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/assets"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
	"github.com/pwg-team/pwg/integrations/secrets"
	"github.com/pwg-team/pwg/integrations/teamconf"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/wsnet"
)

// appID is the application id, as in FyneApp.toml.
const appID = "io.github.pwg-team.pwg"

func runGUI(ctx context.Context, g *globals, stderr io.Writer) (code int) {
	if err := checkDisplay(); err != nil {
		return exitCode(err, stderr)
	}
	defer func() {
		if r := recover(); r != nil {
			code = exitCode(displayPanic(r), stderr)
		}
	}()
	dir, err := g.dir()
	if err != nil {
		return exitCode(err, stderr)
	}
	ws, err := minutes.Open(dir, minutes.Options{Name: g.name})
	if err != nil {
		return exitCode(err, stderr)
	}
	defer ws.Close()
	if _, err := ws.Setup("PWG", time.Now()); err != nil {
		return exitCode(fmt.Errorf("first start: %w", err), stderr)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := serveControl(ctx, ws, g); err != nil {
		fmt.Fprintf(stderr, "pwg: %v (commands from other processes will not reach this window)\n", err)
	}
	lang, err := ws.Setting("ui.lang")
	if err != nil {
		lang = app.SystemLanguage()
	}
	app.SetLanguage(lang)
	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	opts := app.Options{Demo: g.demo}
	mk, org, stopMk, err := mackerelClient(ctx, ws, g.demo)
	if err != nil {
		fmt.Fprintf(stderr, "pwg: Mackerel: %v\n", err)
	} else if mk != nil {
		defer stopMk()
		opts.Mackerel, opts.MackerelOrg = mk, org
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	node, err := startRoom(ctx, ws, log)
	if err != nil {
		fmt.Fprintf(stderr, "pwg: LAN sync is off: %v\n", err)
	} else {
		defer node.Close()
		opts.Room = node
		if url, err := wsnet.RelayURL(ws); err == nil && url != "" {
			go func() {
				if err := wsnet.Relay(ctx, node, url, ws, log); err != nil && ctx.Err() == nil {
					log.Error("relay stopped", "url", url, "err", err)
				}
			}()
		}
	}
	opts.StartDemo = func() (mackerelui.Source, string, error) {
		mk, org, stop, err := mackerelClient(ctx, ws, true)
		if err != nil {
			return nil, "", err
		}
		go func() { <-ctx.Done(); stop() }()
		return mk, org, nil
	}
	ui := app.New(a, ws, opts)
	ui.Run(ctx)
	if g.facilitator {
		// After the main window is up, so that the facilitator's window is on top.
		a.Lifecycle().SetOnStarted(func() { ui.OpenFacilitator(g.section) })
	}
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	ui.Window().ShowAndRun()
	return exitOK
}

// mackerelClient builds the Mackerel client: the in-process fake in demo
// mode, else from the stored credentials (nil when there are none).
func mackerelClient(ctx context.Context, ws *minutes.Workspace, demo bool) (*mackerel.Client, string, func(), error) {
	if demo {
		base, key, stop, err := mackereltest.StartDemo(ctx)
		if err != nil {
			return nil, "", nil, err
		}
		c, err := mackerel.New(mackerel.Config{APIKey: key, BaseURL: base, DB: ws.DB(), Org: mackereltest.OrgName, CacheScope: "demo"})
		if err != nil {
			stop()
			return nil, "", nil, err
		}
		return c, mackereltest.OrgName, stop, nil
	}
	cred, err := mackerel.LoadCredentials(teamconf.Secrets(ws), func(err error) bool { return errors.Is(err, secrets.ErrNotFound) })
	if errors.Is(err, mackerel.ErrNoAPIKey) {
		return nil, "", func() {}, nil
	}
	if err != nil {
		return nil, "", nil, err
	}
	cfg := cred.Config()
	cfg.DB = ws.DB()
	c, err := mackerel.New(cfg)
	return c, cred.Org, func() {}, err
}

// startRoom starts LAN sync for the window: on the default port, or any
// port when a `pwg serve` of another workspace already has it.
func startRoom(ctx context.Context, ws *minutes.Workspace, log *slog.Logger) (*lansync.Node, error) {
	st := lansync.FromWorkspace(ws)
	opts := lansync.Options{Listen: fmt.Sprintf(":%d", lansync.DefaultPort), MDNS: true, Logger: log, StatusFile: lansync.StatusPath(ws.Dir())}
	n, err := lansync.Start(ctx, st, opts)
	if err != nil {
		opts.Listen = ":0"
		n, err = lansync.Start(ctx, st, opts)
	}
	return n, err
}
