package main

import (
	"context"
	"fmt"
	"io"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/teamconf"
	"github.com/spf13/pflag"
)

func init() {
	register("config mackerel", "[--monitors-as-code mkr|terraform|none]", "monitors kept in code: the alert review makes action items", parseConfigMackerel)
}

// parseConfigMackerel: pwg config mackerel [--monitors-as-code mkr|terraform|none]
// shows or sets how the team keeps its monitors (in code: the alert review
// makes action items instead of changing Mackerel).
func parseConfigMackerel(g *globals, fs *pflag.FlagSet) parser {
	asCode := fs.String("monitors-as-code", "", "mkr, terraform, or none (pwg changes monitors through the API)")
	return func([]string) (*job, error) {
		set := fs.Changed("monitors-as-code")
		return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, stdout io.Writer) error {
			if set {
				v := *asCode
				if v == "none" {
					v = teamconf.MonitorsInMackerel
				}
				if err := teamconf.SetMonitorsAsCode(ws, v); err != nil {
					return usageErr("%v", err)
				}
			}
			v, err := teamconf.MonitorsAsCode(ws)
			if err != nil {
				return err
			}
			if v == "" {
				v = "none"
			}
			fmt.Fprintf(stdout, "monitors-as-code=%s\n", v)
			return nil
		}}, nil
	}
}
