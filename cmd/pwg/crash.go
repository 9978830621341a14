package main

import (
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"github.com/pwg-team/pwg/app/i18n"
	"github.com/pwg-team/pwg/cmd/pwg/internal/crashlog"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/issues"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/teamconf"
)

// guardCrashes is called by every process that opens a workspace (and so
// owns it) right after opening it: crashes of earlier owners become
// crash-<time>.log in the workspace, named on stderr, and this process's
// own crash output is armed to go there too, until main disarms it after a
// clean exit (a deferred disarm would run while a panic unwinds, before the
// runtime prints it). It returns the newest new report, "" if none.
func guardCrashes(ws *minutes.Workspace, stderr io.Writer) (report string) {
	dir := ws.Dir()
	if len(crashlog.Pending(dir)) > 0 {
		reports, err := crashlog.Collect(dir, knownSecrets(ws)...)
		if err != nil {
			fmt.Fprintf(stderr, "pwg: %v\n", err)
		}
		for _, r := range reports {
			fmt.Fprintf(stderr, "pwg: the last run crashed (%s); the report is %s\n", crashlog.Summary(r), r)
			report = r
		}
	}
	disarm, err := crashlog.Arm(dir, versionText())
	if err != nil {
		fmt.Fprintf(stderr, "pwg: %v\n", err)
		return report
	}
	crashMu.Lock()
	disarms = append(disarms, disarm)
	crashMu.Unlock()
	return report
}

var (
	crashMu sync.Mutex
	disarms []func() // of the workspaces this process armed
)

// disarmCrashReports undoes guardCrashes on a clean exit: no crash report.
func disarmCrashReports() {
	crashMu.Lock()
	defer crashMu.Unlock()
	for _, d := range disarms {
		d()
	}
	disarms = nil
}

// knownSecrets are the stored credentials, removed from a crash report
// wherever they appear (the patterns of crashlog.Redact catch most anyway).
func knownSecrets(ws *minutes.Workspace) []string {
	var vals []string
	st := teamconf.Secrets(ws)
	for _, name := range []string{mackerel.SecretAPIKey, issues.TokenSecret} {
		if v, err := st.Get(name); err == nil && v != "" {
			vals = append(vals, v)
		}
	}
	return vals
}

// showCrashNotice tells the user in window w that the last run crashed,
// and offers to open the workspace folder that holds the report (with
// open: the app's OpenURL).
func showCrashNotice(w fyne.Window, report string, open func(*url.URL) error) {
	dir := filepath.Dir(report)
	msg := i18n.T("pwg stopped unexpectedly the last time it ran. A crash report was saved in the workspace folder:") +
		"\n\n" + filepath.Base(report) + "\n\n" +
		i18n.T("It holds the error and where in the program it happened, with passwords, tokens and keys removed. Please attach it to a bug report.")
	d := dialog.NewConfirm(i18n.T("pwg crashed last time"), msg, func(ok bool) {
		if !ok {
			return
		}
		u, err := url.Parse(storage.NewFileURI(dir).String())
		if err == nil {
			err = open(u)
		}
		if err != nil {
			dialog.ShowError(fmt.Errorf("%s: %w", dir, err), w)
		}
	}, w)
	d.SetConfirmText(i18n.T("Open folder"))
	d.SetDismissText(i18n.T("Close"))
	d.Show()
}
