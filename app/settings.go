package app

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/i18n"
	"github.com/pwg-team/pwg/integrations/issues"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/secrets"
	"github.com/pwg-team/pwg/integrations/teamconf"
	"github.com/pwg-team/pwg/sync/lansync"
)

// showSettings edits the person's name, the UI language, the Mackerel
// account and the GitHub tracker. Keys and tokens go to the OS keyring (or a
// 0600 file), never into the minutes; a secret field left empty keeps the
// stored value.
func (u *UI) showSettings() {
	name := widget.NewEntry()
	name.SetText(u.ws.Author().Name)
	lang := widget.NewSelect([]string{"English", "日本語"}, nil)
	if i18n.Language() == "ja" {
		lang.SetSelected("日本語")
	} else {
		lang.SetSelected("English")
	}
	store := teamconf.Secrets(u.ws)
	notFound := func(err error) bool { return errors.Is(err, secrets.ErrNotFound) }
	mc, _ := mackerel.LoadCredentials(store, notFound)
	mkKey := widget.NewPasswordEntry()
	mkKey.SetPlaceHolder(secretHint(mc.APIKey != ""))
	mkOrg := widget.NewEntry()
	mkOrg.SetText(mc.Org)
	gh, _ := teamconf.LoadGitHub(u.ws)
	repo := widget.NewEntry()
	repo.SetPlaceHolder("owner/name")
	repo.SetText(gh.Repo)
	base := widget.NewEntry()
	base.SetPlaceHolder("https://ghe.example.com/api/v3/ (GitHub Enterprise only)")
	base.SetText(gh.BaseURL)
	labels := widget.NewEntry()
	labels.SetPlaceHolder("pwg")
	labels.SetText(strings.Join(gh.Labels, ","))
	minutes := widget.NewEntry()
	minutes.SetText(gh.MinutesURL)
	pmLabel := widget.NewEntry()
	pmLabel.SetPlaceHolder(issues.DefaultPostmortemLabel)
	if l, err := u.ws.Settings().PostmortemLabel(); err == nil {
		pmLabel.SetText(l)
	}
	_, terr := store.Get(issues.TokenSecret)
	token := widget.NewPasswordEntry()
	token.SetPlaceHolder(secretHint(terr == nil))
	st := lansync.FromWorkspace(u.ws)
	known, _ := lansync.ManualPeers(st)
	peers := widget.NewMultiLineEntry()
	peers.SetPlaceHolder("192.168.1.20:7415")
	peers.SetText(strings.Join(known, "\n"))
	items := []*widget.FormItem{
		widget.NewFormItem(T("Your name"), name),
		widget.NewFormItem(T("Language"), lang),
		widget.NewFormItem("Mackerel API key", mkKey),
		widget.NewFormItem("Mackerel org", mkOrg),
		widget.NewFormItem("GitHub repository", repo),
		widget.NewFormItem("GitHub API URL", base),
		widget.NewFormItem(T("Issue labels"), labels),
		widget.NewFormItem(T("Minutes URL"), minutes),
		widget.NewFormItem(T("Postmortem label"), pmLabel),
		widget.NewFormItem("GitHub token", token),
		widget.NewFormItem(T("LAN peers (host:port per line)"), peers),
	}
	d := dialog.NewForm(T("Settings"), T("Save"), T("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		var errs []error
		if n := strings.TrimSpace(name.Text); n != "" && n != u.ws.Author().Name {
			errs = append(errs, u.ws.SetName(n))
		}
		l := "en"
		if lang.Selected == "日本語" {
			l = "ja"
		}
		if l != i18n.Language() {
			errs = append(errs, u.ws.Settings().SetLang(l))
			dialog.ShowInformation(T("Settings"), T("Restart pwg to apply the language."), u.win)
		}
		if k := strings.TrimSpace(mkKey.Text); k != "" || mkOrg.Text != mc.Org {
			nc := mc
			nc.Org = strings.TrimSpace(mkOrg.Text)
			if k != "" {
				nc.APIKey = k
			}
			if nc.APIKey != "" {
				errs = append(errs, mackerel.SaveCredentials(store, nc))
			}
		}
		gh.Repo, gh.BaseURL, gh.MinutesURL = strings.TrimSpace(repo.Text), strings.TrimSpace(base.Text), strings.TrimSpace(minutes.Text)
		gh.Labels = nil
		for _, x := range strings.Split(labels.Text, ",") {
			if x = strings.TrimSpace(x); x != "" {
				gh.Labels = append(gh.Labels, x)
			}
		}
		errs = append(errs, teamconf.SaveGitHub(u.ws, gh), teamconf.SetPostmortemLabel(u.ws, pmLabel.Text))
		if t := strings.TrimSpace(token.Text); t != "" {
			errs = append(errs, store.Set(issues.TokenSecret, t))
		}
		addrs := strings.Fields(peers.Text)
		if err := validPeers(addrs); err != nil {
			errs = append(errs, err)
		} else {
			errs = append(errs, lansync.SetManualPeers(st, addrs))
			if u.opts.Room != nil {
				for _, a := range addrs {
					u.opts.Room.AddPeer(a)
				}
			}
		}
		if err := errors.Join(errs...); err != nil {
			u.showError(err)
			return
		}
		u.status.SetText(T("Settings saved (secrets in: %s)", store.Backend()))
	}, u.win)
	d.Resize(fyne.NewSize(620, 560))
	d.Show()
}

// validPeers checks host:port addresses.
func validPeers(addrs []string) error {
	for _, a := range addrs {
		if _, _, err := net.SplitHostPort(a); err != nil {
			return fmt.Errorf("%s: %s", a, T("want host:port"))
		}
	}
	return nil
}

func secretHint(set bool) string {
	if set {
		return T("stored — leave empty to keep")
	}
	return T("not set")
}
