package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/issues"
	"github.com/pwg-team/pwg/integrations/markdown"
	"github.com/pwg-team/pwg/integrations/teamconf"
	"github.com/spf13/pflag"
)

func init() {
	register("export md", "ID [-o DIR]", "Markdown + images/ of a meeting", parseExportMD)
	register("export issues", "ID [--dry-run]", "TODOs to GitHub issues, exactly once", parseExportIssues)
	register("config github", "--repo OWNER/NAME [--base-url URL] [--labels L] [--minutes-url URL] [--postmortem-label L]", "the team's GitHub repository for action items", parseConfigGitHub)
	register("config github-token", "", "store the GitHub token read from stdin", parseConfigToken)
}

func parseExportMD(g *globals, fs *pflag.FlagSet) parser {
	out := fs.StringP("o", "o", ".", "folder to write the .md file and images/ into")
	return func(pos []string) (*job, error) {
		if len(pos) != 1 {
			return nil, usageErr("export md needs one meeting id")
		}
		return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, stdout io.Writer) error {
			m, err := ws.Meeting(pos[0])
			if err != nil {
				return err
			}
			mins, err := teamconf.Minutes(m)
			if err != nil {
				return err
			}
			res, err := markdown.WriteDir(*out, mins, markdown.Options{Blobs: ws.Blob})
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, res.File)
			if len(res.Missing) > 0 {
				return fmt.Errorf("%d image(s) not in this workspace yet (not synced?): %s", len(res.Missing), strings.Join(res.Missing, ", "))
			}
			return nil
		}}, nil
	}
}

func parseExportIssues(g *globals, fs *pflag.FlagSet) parser {
	dry := fs.Bool("dry-run", false, "only show what would be created or linked")
	return func(pos []string) (*job, error) {
		if len(pos) != 1 {
			return nil, usageErr("export issues needs one meeting id")
		}
		return &job{run: func(ctx context.Context, ws *minutes.Workspace, _ io.Reader, stdout io.Writer) error {
			m, err := ws.Meeting(pos[0])
			if err != nil {
				return err
			}
			tr, conf, err := teamconf.Tracker(ws)
			if err != nil {
				return err
			}
			ex, items, err := teamconf.IssueExporter(ws, m, tr, conf)
			if err != nil {
				return err
			}
			plan, err := ex.Plan(ctx, items)
			if err != nil {
				return err
			}
			for _, it := range plan.Items {
				fmt.Fprintf(stdout, "plan\t%s\t%s\n", it.Action, it.Item.Title)
			}
			if *dry {
				return nil
			}
			rep, err := ex.Run(ctx, items, func(p issues.Progress) {
				if p.Result != nil {
					status := p.Result.URL
					if p.Result.Err != nil {
						status = "error: " + p.Result.Err.Error()
					}
					fmt.Fprintf(stdout, "[%d/%d]\t%s\t%s\t%s\n", p.Done, p.Total, p.Result.Action, p.Title, status)
				}
			})
			if err != nil {
				return err
			}
			if n := len(rep.Failed()); n > 0 {
				return fmt.Errorf("%d action item(s) not exported; run again to resume", n)
			}
			return nil
		}}, nil
	}
}

func parseConfigGitHub(g *globals, fs *pflag.FlagSet) parser {
	repo := fs.String("repo", "", "owner/name of the team's repository")
	base := fs.String("base-url", "", "GitHub Enterprise API URL (empty: github.com)")
	labels := fs.String("labels", "", "comma-separated labels for new issues (default pwg)")
	minutesURL := fs.String("minutes-url", "", "where the exported minutes are read")
	pmLabel := fs.String("postmortem-label", "", "label of postmortem issues listed in the incident review (default postmortem)")
	return func([]string) (*job, error) {
		return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, stdout io.Writer) error {
			c, err := teamconf.LoadGitHub(ws)
			if err != nil {
				return err
			}
			fs.Visit(func(f *pflag.Flag) {
				switch f.Name {
				case "repo":
					c.Repo = *repo
				case "base-url":
					c.BaseURL = *base
				case "labels":
					c.Labels = strings.Split(*labels, ",")
				case "minutes-url":
					c.MinutesURL = *minutesURL
				}
			})
			if err := teamconf.SaveGitHub(ws, c); err != nil {
				return err
			}
			if fs.Changed("postmortem-label") {
				if err := teamconf.SetPostmortemLabel(ws, *pmLabel); err != nil {
					return err
				}
			}
			pm, err := teamconf.PostmortemLabel(ws)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "repo=%s base-url=%s labels=%s minutes-url=%s postmortem-label=%s\n", c.Repo, c.BaseURL, strings.Join(c.Labels, ","), c.MinutesURL, pm)
			return nil
		}}, nil
	}
}

func parseConfigToken(g *globals, fs *pflag.FlagSet) parser {
	return func([]string) (*job, error) {
		return &job{readsStdin: true, run: func(_ context.Context, ws *minutes.Workspace, stdin io.Reader, stdout io.Writer) error {
			b, err := io.ReadAll(io.LimitReader(stdin, 4096))
			if err != nil {
				return err
			}
			tok := strings.TrimSpace(string(b))
			if tok == "" {
				return errors.New("no token on stdin")
			}
			if err := teamconf.Secrets(ws).Set(issues.TokenSecret, tok); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "token stored (%s)\n", teamconf.Secrets(ws).Backend())
			return nil
		}}, nil
	}
}
