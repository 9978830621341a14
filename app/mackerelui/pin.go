package mackerelui

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/pwg-team/pwg/app/i18n"
	"github.com/pwg-team/pwg/app/internal/uido"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
)

// pinGraph renders data to a PNG, attaches it to the minutes and inserts
// its Markdown into the section. It runs off the UI goroutine and returns
// the line for the status.
func pinGraph(opt *Options, title, link string, data mackerel.GraphData, refs []mackerel.ReferenceLine) (string, error) {
	if opt.Minutes == nil {
		return "", errors.New("no minutes are open")
	}
	period := fmt.Sprintf("%s – %s", data.From.In(opt.Location).Format("2006-01-02 15:04"),
		data.To.In(opt.Location).Format("2006-01-02 15:04"))
	var buf bytes.Buffer
	footer := period
	if link != "" {
		footer += "  " + link
	}
	err := mackerel.RenderPNG(&buf, data, mackerel.RenderOptions{Width: 960, Height: 400, Title: title,
		Footer: footer, Location: opt.Location, ReferenceLines: refs})
	if err != nil {
		return "", err
	}
	att := minutes.Attachment{Name: slug(title) + ".png", Mime: "image/png", Caption: title + " (" + period + ")",
		Link: link, Period: period, Added: opt.Now().UTC()}
	att, err = opt.Minutes.AddAttachment(att, buf.Bytes())
	if err != nil {
		return "", fmt.Errorf("attach the graph to the minutes: %w", err)
	}
	if err := opt.insert(minutes.AttachmentMarkdown(att) + "\n"); err != nil {
		return "", fmt.Errorf("insert the graph into the notes: %w", err)
	}
	return "pinned “" + title + "” to the minutes", nil
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if out == "" {
		return "graph"
	}
	return out
}

// pinGroup pins a picture of an alert group's timeline.
func (p *AlertsPane) pinGroup(g *mackerel.AlertGroup) {
	group := *g
	from, to := p.from, p.to
	title := fmt.Sprintf("Alerts of %s: %d (%d open)", g.MonitorName, g.Count, g.Open)
	link := p.monitorLink(g.MonitorID)
	p.status.SetText(i18n.T("Pinning…"))
	go func() {
		data := mackerel.AlertTimeline(group, from, to, time.Hour)
		line, err := pinGraph(&p.opt, title, link, data, nil)
		uido.Do(func() {
			if err != nil {
				p.fail("pin", err)
				return
			}
			p.status.SetText(i18n.T("Done: ") + line)
			p.opt.acted("pin", nil)
		})
	}()
}
