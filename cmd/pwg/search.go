package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/search"
	"github.com/spf13/pflag"
)

func init() {
	register("search", "QUERY [--json] [--limit N]", "lines of every meeting containing all words of QUERY", parseSearch)
}

// keepSearchIndex keeps the search index current while a window or a
// headless peer has the workspace open; the returned function stops it.
func keepSearchIndex(ws *minutes.Workspace, log *slog.Logger) func() {
	if log == nil {
		log = slog.Default()
	}
	x, err := search.Open(ws.DB())
	if err != nil {
		log.Error("search index unavailable", "err", err)
		return func() {}
	}
	k := search.Keep(ws, x, log)
	return func() {
		k.Close()
		search.Forget(ws.DB())
	}
}

// parseSearch: pwg search QUERY [--json] lists the lines of every meeting
// that contain all words of QUERY.
func parseSearch(g *globals, fs *pflag.FlagSet) parser {
	asJSON := fs.Bool("json", false, "print JSON")
	limit := fs.Int("limit", search.DefaultLimit, "at most this many hits")
	return func(pos []string) (*job, error) {
		q := strings.Join(pos, " ")
		if len(search.Terms(q)) == 0 {
			return nil, usageErr("search needs words to look for")
		}
		return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			x, err := search.Current(ws)
			if err != nil {
				return err
			}
			hits, err := x.Search(q, *limit)
			if err != nil {
				return err
			}
			if *asJSON {
				return writeJSONList(out, hits)
			}
			if len(hits) == 0 {
				fmt.Fprintf(out, "no meeting mentions %q\n", q)
				return nil
			}
			for _, h := range hits {
				fmt.Fprintf(out, "%s %s › %s\n    %s\n", h.Date, h.MeetingTitle, h.SectionTitle, strings.TrimSpace(h.Line))
			}
			return nil
		}}, nil
	}
}
