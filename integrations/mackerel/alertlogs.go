package mackerel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// AlertLog is one entry of an alert's history: the alert opened, changed
// status, or closed (Status "OK").
type AlertLog struct {
	At      time.Time `json:"at"`
	Status  string    `json:"status"`
	Trigger string    `json:"trigger"` // "monitoring" (the value), "manual" (a person), ...
	Value   *float64  `json:"value,omitempty"`
	Message string    `json:"message,omitempty"`
}

const alertLogsKey = "alertlogs:"

// AlertLogs reads the history of an alert, oldest first, following nextId.
// The logs of a closed alert no longer change: they are read from the cache
// when cached, and only then from Mackerel.
func (c *Client) AlertLogs(ctx context.Context, a Alert) ([]AlertLog, error) {
	if !a.Open() && c.cache != nil {
		var logs []AlertLog
		if _, ok, err := c.cache.get(ctx, alertLogsKey+a.ID, &logs); err == nil && ok {
			return logs, nil
		}
	}
	f, err := read(ctx, c, alertLogsKey+a.ID, func(ctx context.Context) ([]AlertLog, error) {
		return c.fetchAlertLogs(ctx, a.ID)
	})
	return f.Value, err
}

func (c *Client) fetchAlertLogs(ctx context.Context, id string) ([]AlertLog, error) {
	var out []AlertLog
	var next *string
	for page := 0; page < 100; page++ {
		resp, err := c.api.FindAlertLogsContext(ctx, id, &mkr.FindAlertLogsParam{NextId: next})
		if err != nil {
			return nil, fmt.Errorf("logs of alert %s: %w", id, classify(err))
		}
		for _, l := range resp.AlertLogs {
			al := AlertLog{At: time.Unix(l.CreatedAt, 0), Status: l.Status, Trigger: l.Trigger, Value: l.TargetValue}
			if l.StatusDetail != nil {
				al.Message = strings.TrimSpace(l.StatusDetail.Detail.Message)
			}
			out = append(out, al)
		}
		if resp.NextID == "" {
			break
		}
		n := resp.NextID
		next = &n
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// alertLogsOf reads the logs of many alerts with a few requests at a time.
// Cached logs of closed alerts are read in one query. It returns the logs
// by alert id and the first error (the alerts whose logs failed are left
// out: the board then counts them without flaps).
func (c *Client) alertLogsOf(ctx context.Context, alerts []Alert, workers int, progress func(done, all int)) (map[string][]AlertLog, error) {
	out := make(map[string][]AlertLog, len(alerts))
	if c.cache != nil {
		cached, err := c.cache.getPrefix(ctx, alertLogsKey)
		if err == nil {
			for _, a := range alerts {
				if b, ok := cached[alertLogsKey+a.ID]; ok && !a.Open() {
					var logs []AlertLog
					if json.Unmarshal(b, &logs) == nil {
						out[a.ID] = logs
					}
				}
			}
		}
	}
	var todo []Alert
	for _, a := range alerts {
		if _, ok := out[a.ID]; !ok {
			todo = append(todo, a)
		}
	}
	if len(todo) == 0 {
		return out, nil
	}
	var (
		mu    sync.Mutex
		first error
		done  int
		wg    sync.WaitGroup
	)
	// the first failure stops the rest: when Mackerel is down or hangs, a
	// thousand alerts must not each wait out their timeout
	fctx, stop := context.WithCancel(ctx)
	defer stop()
	ch := make(chan Alert)
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range ch {
				if fctx.Err() != nil {
					continue
				}
				logs, err := readLive(fctx, c, func(ctx context.Context) ([]AlertLog, error) {
					return c.fetchAlertLogs(ctx, a.ID)
				})
				mu.Lock()
				if err != nil && first == nil && fctx.Err() == nil {
					first = err
					if !errors.Is(err, ErrNotFound) { // one alert gone is not an outage
						stop()
					}
				}
				if err == nil {
					out[a.ID] = logs
				}
				done++
				if progress != nil {
					progress(done, len(todo))
				}
				mu.Unlock()
			}
		}()
	}
	for _, a := range todo {
		if fctx.Err() != nil {
			break
		}
		ch <- a
	}
	close(ch)
	wg.Wait()
	if c.cache != nil {
		fresh := map[string]any{}
		for _, a := range todo {
			if logs, ok := out[a.ID]; ok {
				fresh[alertLogsKey+a.ID] = logs
			}
		}
		_ = c.cache.putMany(ctx, fresh, c.now())
	}
	if first == nil && ctx.Err() != nil {
		first = ctx.Err()
	}
	return out, first
}
