package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/app/i18n"
	"github.com/pwg-team/pwg/app/mackerelui"
	"github.com/pwg-team/pwg/assets"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
	"github.com/pwg-team/pwg/integrations/secrets"
	"github.com/pwg-team/pwg/integrations/teamconf"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/sharing"
	"github.com/pwg-team/pwg/sync/wsnet"
)

// appID is the application id, as in FyneApp.toml.
const appID = "io.github.pwg_team.pwg"

func runGUI(ctx context.Context, g *globals, stderr io.Writer) (code int) {
	if err := checkDisplay(); err != nil {
		return exitCode(err, stderr)
	}
	var started atomic.Bool // the window system is up: a panic now is a bug, not a missing display
	defer func() {
		if r := recover(); r != nil {
			if started.Load() {
				panic(r) // for the crash report, with its stack
			}
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
	crashReport := guardCrashes(ws, stderr)
	defer keepSearchIndex(ws, slog.New(slog.NewTextHandler(stderr, nil)))()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := serveControl(ctx, ws, g); err != nil {
		fmt.Fprintf(stderr, "pwg: %v (commands from other processes will not reach this window)\n", err)
	}
	lang, err := ws.Settings().Lang()
	if err != nil || lang == "" {
		lang = i18n.SystemLanguage()
	}
	i18n.SetLanguage(lang)
	a := fyneapp.NewWithID(appID)
	a.Lifecycle().SetOnStarted(func() { started.Store(true) })
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	code = exitOK
	var closers []func()
	start := func() {
		if err := firstStart(ws, time.Now()); err != nil {
			code = exitCode(fmt.Errorf("first start: %w", err), stderr)
			a.Quit()
			return
		}
		closers = openMain(ctx, a, ws, g, stderr, crashReport)
	}
	if g.name != "" {
		_ = ws.Settings().SetNameAsked()
	}
	if asked, _ := ws.Settings().NameAsked(); !asked {
		// Nothing is signed before this person said their name.
		app.AskName(a, ws.Author().Name, func(name string) {
			if err := ws.SetName(name); err != nil {
				fmt.Fprintf(stderr, "pwg: %v\n", err)
			}
			_ = ws.Settings().SetNameAsked()
			start()
		})
	} else {
		start()
	}
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	a.Run()
	for _, c := range closers {
		c()
	}
	return code
}

// firstStart makes sure the workspace has a team and a meeting to write
// in, whether it is new or was first touched by a command (which makes the
// team only). A workspace that joined a team whose minutes have not arrived
// yet gets none: its meetings come from the other laptops (a meeting made
// here before the team's series arrived had no agenda, and a meeting list
// of its own that the team's would not merge with).
func firstStart(ws *minutes.Workspace, now time.Time) error {
	if _, err := ws.Setup("PWG", now); err != nil {
		return err
	}
	infos, err := ws.Meetings()
	if err != nil || len(infos) > 0 {
		return err
	}
	date := now.Format(time.DateOnly)
	if _, err = ws.NewMeeting("PWG "+date, date); errors.Is(err, minutes.ErrTeamNotArrived) {
		return nil // the team's meetings come with its minutes
	}
	return err
}

// openMain opens the main window (and the facilitator's, with
// --facilitator) on a workspace ready to write in, and tells about the
// last run's crash report if there is one.
// It returns what to stop after the app ended, in order.
func openMain(ctx context.Context, a fyne.App, ws *minutes.Workspace, g *globals, stderr io.Writer, crashReport string) (closers []func()) {
	opts := app.Options{Demo: g.demo}
	mk, org, stopMk, err := mackerelClient(ctx, ws, g.demo)
	if err != nil {
		fmt.Fprintf(stderr, "pwg: Mackerel: %v\n", err)
	} else if mk != nil {
		closers = append(closers, stopMk)
		opts.Mackerel, opts.MackerelOrg = mk, org
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	node, err := startRoom(ctx, ws, log)
	if err != nil {
		fmt.Fprintf(stderr, "pwg: LAN sync is off: %v\n", err)
	} else {
		closers = append(closers, func() { node.Close() })
		opts.Room = node
		if url, err := sharing.RelayURL(ws.Settings()); err == nil && url != "" {
			go func() {
				if err := wsnet.Relay(ctx, node, url, ws.Settings(), log); err != nil && ctx.Err() == nil {
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
	ui.Window().SetMaster()
	ui.Window().Show()
	if crashReport != "" {
		showCrashNotice(ui.Window(), crashReport, a.OpenURL)
	}
	if g.facilitator {
		// Once the app runs and the main window is up, so that the
		// facilitator's window is on top (a second window shown before
		// the run loop never appeared).
		go fyne.Do(func() { ui.OpenFacilitator(g.section) })
	}
	slices.Reverse(closers)
	return closers
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
	noteSelfOnRoster(st, ws, log)
	opts := lansync.Options{Listen: fmt.Sprintf(":%d", lansync.DefaultPort), MDNS: true, Logger: log, Started: liveNode.Store}
	n, err := lansync.Start(ctx, st, opts)
	if err != nil {
		opts.Listen = ":0"
		n, err = lansync.Start(ctx, st, opts)
	}
	return n, err
}
