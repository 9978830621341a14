// Package teamconf reads and writes the integration settings of a workspace
// (tracker repository, labels, where the minutes are published) and builds
// the exporters from them, for the command line and the GUI alike. Secrets
// (tokens, API keys) go through integrations/secrets, never the database.
package teamconf

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/integrations/issues"
	"github.com/pwg-team/pwg/integrations/markdown"
	"github.com/pwg-team/pwg/integrations/secrets"
)

// ErrNotConfigured is returned when a needed setting is missing.
var ErrNotConfigured = errors.New("not configured")

// GitHub is the team's tracker settings.
type GitHub struct {
	Repo       string   // owner/name
	BaseURL    string   // GitHub Enterprise API; empty for github.com
	Labels     []string // nil: the default ("pwg")
	MinutesURL string   // where exported minutes are read, linked from issues
}

// LoadGitHub reads the tracker settings.
func LoadGitHub(ws *minutes.Workspace) (GitHub, error) {
	st, err := ws.Settings().GitHub()
	g := GitHub{Repo: st.Repo, BaseURL: st.BaseURL, MinutesURL: st.MinutesURL}
	if err != nil {
		return g, err
	}
	for _, l := range strings.Split(st.Labels, ",") {
		if l = strings.TrimSpace(l); l != "" {
			g.Labels = append(g.Labels, l)
		}
	}
	return g, nil
}

// SaveGitHub stores the tracker settings (the repository is checked).
func SaveGitHub(ws *minutes.Workspace, g GitHub) error {
	if g.Repo != "" {
		if _, _, err := issues.ParseRepo(g.Repo); err != nil {
			return err
		}
	}
	return ws.Settings().SetGitHub(storage.GitHub{Repo: g.Repo, BaseURL: g.BaseURL, MinutesURL: g.MinutesURL, Labels: strings.Join(g.Labels, ",")})
}

// Secrets returns the workspace's secret store.
func Secrets(ws *minutes.Workspace) *secrets.Store { return secrets.New(ws.Dir()) }

// Tracker builds the GitHub tracker from the settings and the stored token.
func Tracker(ws *minutes.Workspace) (*issues.GitHub, GitHub, error) {
	g, err := LoadGitHub(ws)
	if err != nil {
		return nil, g, err
	}
	if g.Repo == "" {
		return nil, g, fmt.Errorf("GitHub repository %w: set it in Settings or with `pwg config github --repo owner/name`", ErrNotConfigured)
	}
	tok, err := Secrets(ws).Get(issues.TokenSecret)
	if errors.Is(err, secrets.ErrNotFound) {
		return nil, g, fmt.Errorf("GitHub token %w: set it in Settings or with `pwg config github-token` (reads stdin)", ErrNotConfigured)
	}
	if err != nil {
		return nil, g, err
	}
	tr, err := issues.NewGitHub(issues.GitHubConfig{BaseURL: g.BaseURL, Token: tok, Repo: g.Repo})
	return tr, g, err
}

// IssueExporter builds the exporter of a meeting's action items (links are
// written into the team's series, so they sync to every laptop) and returns
// the items to export: those raised in the meeting and those carried over.
func IssueExporter(ws *minutes.Workspace, m *minutes.Meeting, tr issues.Tracker, g GitHub) (*issues.Exporter, []minutes.ActionItem, error) {
	s, err := m.Series()
	if err != nil {
		return nil, nil, err
	}
	members, err := s.Members()
	if err != nil {
		return nil, nil, err
	}
	carried, raised, err := m.ActionItems()
	if err != nil {
		return nil, nil, err
	}
	titles := map[string]string{}
	if secs, err := m.Sections(); err == nil {
		for _, sec := range secs {
			titles[sec.Key] = sec.Title
		}
	}
	ex := &issues.Exporter{
		Tracker: tr, Links: s, Labels: g.Labels, Logins: issues.LoginsFromMembers(members),
		Origin: func(it minutes.ActionItem) issues.Origin {
			return issues.Origin{Meeting: m.Title(), Date: m.Date(), Section: titles[it.OriginSection], MinutesURL: g.MinutesURL}
		},
	}
	return ex, append(raised, carried...), nil
}

// Minutes gathers a meeting for the Markdown export.
func Minutes(m *minutes.Meeting) (*markdown.Minutes, error) {
	s, err := m.Series()
	if err != nil {
		return nil, err
	}
	members, err := s.Members()
	if err != nil {
		return nil, err
	}
	mins, err := markdown.FromMeeting(m, members, s.Name())
	if err != nil {
		return nil, err
	}
	if mins.MetricNotes, err = s.MetricNoteList(); err != nil {
		return nil, fmt.Errorf("reading the graph notes: %w", err)
	}
	if mins.Cost, err = costSnapshot(m); err != nil {
		return nil, fmt.Errorf("reading the cost snapshot: %w", err)
	}
	return mins, nil
}
