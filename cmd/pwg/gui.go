package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/assets"
	"github.com/pwg-team/pwg/crdt"
)

// appID is the application id, as in FyneApp.toml.
const appID = "io.github.pwg-team.pwg"

func runGUI(ctx context.Context, g *globals, stderr io.Writer) int {
	dir, err := g.dir()
	if err != nil {
		return exitCode(err, stderr)
	}
	ws, err := crdt.Open(dir, crdt.Options{Name: g.name})
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
	ui := app.New(a, ws, app.Options{Demo: g.demo})
	ui.Run(ctx)
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	ui.Window().ShowAndRun()
	return exitOK
}
