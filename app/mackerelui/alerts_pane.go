package mackerelui

import (
	"context"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/i18n"
	"github.com/pwg-team/pwg/app/internal/uido"
	"github.com/pwg-team/pwg/integrations/mackerel"
)

// loadTimeout bounds one load of a pane.
const loadTimeout = 2 * time.Minute

// AlertsPane shows the alert review: the hygiene board (per monitor, the
// review period and the three before, flags with reasons, verdict buttons)
// above the period's alerts grouped by monitor, with the actions of the
// review. Create it with NewAlertsPane.
type AlertsPane struct {
	pane

	retry    *widget.Button // shown while write-backs failed
	boardBox *fyne.Container
	list     *widget.List
	body     *fyne.Container // the board and the list (board_fold.go)
	fold     boardFold

	board     *mackerel.Board
	groups    []mackerel.AlertGroup
	rows      []listRow
	pendingMu sync.Mutex
	pending   []mackerel.WriteBack // write-backs that failed, for a retry

	// rowWidgets counts the row widgets the list made.
	rowWidgets int
	hosts      map[string]string // host id → name
	expanded   map[string]bool
}

// NewAlertsPane returns the pane for opt's period (by default the last 30
// days). It starts loading at once.
func NewAlertsPane(src Source, opt Options) *AlertsPane {
	p := &AlertsPane{expanded: map[string]bool{}, hosts: map[string]string{}}
	p.init(src, opt, p.Reload)
	p.status.Truncation = fyne.TextTruncateEllipsis
	p.retry = widget.NewButton(i18n.T("Retry write-back"), p.RetryWriteBacks)
	p.retry.Importance = widget.WarningImportance
	p.retry.Hide()
	p.boardBox = container.NewVBox()
	p.list = p.newList()
	top := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(p.retry, p.reload), p.status), p.banner)
	p.body = container.NewStack()
	p.fold.folded = opt.FoldBoard
	p.layoutBoard()
	p.content = container.NewBorder(top, nil, nil, nil, p.body)
	p.ExtendBaseWidget(p)
	p.Reload()
	return p
}

// Groups returns the alert groups shown, most alerts first.
func (p *AlertsPane) Groups() []mackerel.AlertGroup { return p.groups }

// Board returns the hygiene board shown (nil before the first load).
func (p *AlertsPane) Board() *mackerel.Board { return p.board }

// SetExpanded shows or hides the alerts of a monitor's group in the list.
func (p *AlertsPane) SetExpanded(monitorID string, on bool) {
	p.expanded[monitorID] = on
	p.rebuild()
}

// RowWidgets is how many row widgets the list made: about the rows in
// view, however many alerts there are.
func (p *AlertsPane) RowWidgets() int { return p.rowWidgets }

// ListView is the alert list's widget (for tests).
func (p *AlertsPane) ListView() fyne.CanvasObject { return p.list }

// BoardView is the hygiene board's widget (for goldens and tests).
func (p *AlertsPane) BoardView() fyne.CanvasObject { return p.boardBox }

// Reload computes the hygiene board (which reads the monitors, the alerts
// and their logs) and the host names on a goroutine.
func (p *AlertsPane) Reload() {
	live := p.loads.next(p.opt.Context)
	from, to := p.from, p.to
	p.reload.Disable()
	p.status.SetText(i18n.T("Reading alerts…"))
	verdicts := map[string]string{}
	if p.opt.Minutes != nil {
		if rs, err := p.opt.Minutes.AlertReviews(); err == nil {
			for _, r := range rs {
				verdicts[r.MonitorID] = r.Verdict
			}
		}
	}
	// The goroutine gets copies: the organisation learned by a load is
	// kept (below) on the UI goroutine while another may run.
	earlier, org := p.opt.Decisions, p.opt.Org
	go func() {
		ctx, cancel := context.WithTimeout(live, loadTimeout)
		defer cancel()
		var decisions []mackerel.Decision
		if earlier != nil { // reads earlier meetings: off the UI goroutine
			decisions = earlier()
		}
		if org == "" {
			if o, err := p.src.Org(ctx); err == nil {
				org = o.Value
			}
		}
		board, err := p.src.HygieneBoard(ctx, mackerel.BoardRequest{From: from, To: to, Verdicts: verdicts,
			Decisions: decisions, Progress: func(what string) {
				uido.Do(func() {
					if live.Err() == nil {
						p.status.SetText(what)
					}
				})
			}})
		hosts := map[string]string{}
		var groups []mackerel.AlertGroup
		nAlerts := 0
		if err == nil {
			if hs, herr := p.src.Hosts(ctx, ""); herr == nil {
				for _, h := range hs.Value {
					hosts[h.ID] = h.Name
				}
			}
			// the list's groups are computed here, not on the UI goroutine
			alerts := board.PeriodAlerts(from, to)
			nAlerts, groups = len(alerts), mackerel.GroupAlerts(alerts, board.Monitors)
		}
		uido.Do(func() {
			if live.Err() != nil {
				return
			}
			if org != "" {
				p.opt.Org = org
			}
			p.apply(board, groups, nAlerts, hosts, err)
		})
	}()
}

// apply shows a load: the board, the period's alert groups (nAlerts
// alerts in all) and the host names, or err.
func (p *AlertsPane) apply(board mackerel.Board, groups []mackerel.AlertGroup, nAlerts int, hosts map[string]string, err error) {
	p.reload.Enable()
	if err != nil {
		p.groups, p.board = nil, nil
		p.rebuild()
		p.renderBoard()
		p.status.SetText(i18n.T("No alerts to show"))
		p.banner.SetText(i18n.T("Could not read the alerts: ") + err.Error())
		p.banner.Show()
		p.opt.loaded(err)
		return
	}
	p.board, p.hosts, p.groups = &board, hosts, groups
	p.status.SetText(i18n.T("%d alerts from %d monitors, %s – %s", nAlerts, len(p.groups),
		p.from.In(p.opt.Location).Format("2006-01-02"), p.to.In(p.opt.Location).Format("2006-01-02")))
	if len(board.Notes) > 0 {
		p.banner.SetText(strings.Join(board.Notes, "\n"))
		p.banner.Show()
	} else {
		p.banner.Hide()
	}
	p.renderBoard()
	p.rebuild()
	p.opt.loaded(nil)
}

// hostName is the name of a host, or its id when unknown.
func (p *AlertsPane) hostName(id string) string {
	if n := p.hosts[id]; n != "" {
		return n
	}
	return id
}
