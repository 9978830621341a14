package mackerel

import (
	"context"
	"fmt"
	"strings"
	"time"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// Downtime is a scheduled downtime: alerts of its scopes are not notified
// from Start for Duration, repeating when Recurrence is set.
type Downtime struct {
	ID       string        `json:"id,omitempty"`
	Name     string        `json:"name"`
	Memo     string        `json:"memo,omitempty"`
	Start    time.Time     `json:"start"`
	Duration time.Duration `json:"duration"` // whole minutes on the wire
	// Recurrence: "", "hourly", "daily", "weekly", "monthly", "yearly";
	// Interval (default 1) and Until (zero: no end).
	Recurrence string    `json:"recurrence,omitempty"`
	Interval   int64     `json:"interval,omitempty"`
	Until      time.Time `json:"until,omitzero"`
	Services   []string  `json:"services,omitempty"` // service scopes
	Roles      []string  `json:"roles,omitempty"`    // "service:role"
	Monitors   []string  `json:"monitors,omitempty"` // monitor ids
}

var recurrenceTypes = map[string]mkr.DowntimeRecurrenceType{
	"hourly": mkr.DowntimeRecurrenceTypeHourly, "daily": mkr.DowntimeRecurrenceTypeDaily,
	"weekly": mkr.DowntimeRecurrenceTypeWeekly, "monthly": mkr.DowntimeRecurrenceTypeMonthly,
	"yearly": mkr.DowntimeRecurrenceTypeYearly,
}

// Validate checks a downtime before it is sent, with messages for the form.
func (d Downtime) Validate() error {
	switch {
	case strings.TrimSpace(d.Name) == "":
		return fmt.Errorf("%w: the downtime needs a name", ErrRejected)
	case d.Start.IsZero():
		return fmt.Errorf("%w: the downtime needs a start", ErrRejected)
	case d.Duration < time.Minute:
		return fmt.Errorf("%w: the downtime must last at least a minute", ErrRejected)
	case len(d.Services)+len(d.Roles)+len(d.Monitors) == 0:
		return fmt.Errorf("%w: choose a service, role or monitor for the downtime", ErrRejected)
	}
	if d.Recurrence != "" {
		if _, ok := recurrenceTypes[d.Recurrence]; !ok {
			return fmt.Errorf("%w: recurrence %q: want hourly, daily, weekly, monthly or yearly", ErrRejected, d.Recurrence)
		}
	}
	return nil
}

func (d Downtime) toAPI() *mkr.Downtime {
	out := &mkr.Downtime{ID: d.ID, Name: d.Name, Memo: d.Memo, Start: d.Start.Unix(), Duration: int64(d.Duration / time.Minute),
		ServiceScopes: d.Services, RoleScopes: d.Roles, MonitorScopes: d.Monitors}
	if t, ok := recurrenceTypes[d.Recurrence]; ok {
		out.Recurrence = &mkr.DowntimeRecurrence{Type: t, Interval: max(1, d.Interval)}
		if !d.Until.IsZero() {
			out.Recurrence.Until = d.Until.Unix()
		}
	}
	return out
}

func downtimeFromAPI(d *mkr.Downtime) Downtime {
	out := Downtime{ID: d.ID, Name: d.Name, Memo: d.Memo, Start: time.Unix(d.Start, 0), Duration: time.Duration(d.Duration) * time.Minute,
		Services: d.ServiceScopes, Roles: d.RoleScopes, Monitors: d.MonitorScopes}
	if r := d.Recurrence; r != nil {
		out.Recurrence, out.Interval = r.Type.String(), r.Interval
		if r.Until != 0 {
			out.Until = time.Unix(r.Until, 0)
		}
	}
	return out
}

// Downtimes lists the scheduled downtimes.
func (c *Client) Downtimes(ctx context.Context) (Fetched[[]Downtime], error) {
	return read(ctx, c, "downtimes", func(ctx context.Context) ([]Downtime, error) {
		ds, err := c.api.FindDowntimesContext(ctx)
		if err != nil {
			return nil, fmt.Errorf("list downtimes: %w", classify(err))
		}
		out := make([]Downtime, 0, len(ds))
		for _, d := range ds {
			out = append(out, downtimeFromAPI(d))
		}
		return out, nil
	})
}

// ScheduleDowntime creates a downtime once: when marker is not empty it is
// put into the memo, and an existing downtime carrying it is returned
// instead of creating a second one (found is then true).
func (c *Client) ScheduleDowntime(ctx context.Context, d Downtime, marker string) (out Downtime, found bool, err error) {
	if c.Offline() {
		return Downtime{}, false, fmt.Errorf("schedule downtime: %w", ErrOffline)
	}
	if err := d.Validate(); err != nil {
		return Downtime{}, false, err
	}
	if marker != "" {
		tag := "[" + marker + "]"
		ds, err := retryDo(ctx, c.retry, true, func(ctx context.Context) ([]*mkr.Downtime, error) {
			r, err := c.api.FindDowntimesContext(ctx)
			return r, classify(err)
		})
		if err != nil {
			return Downtime{}, false, fmt.Errorf("list downtimes: %w", err)
		}
		for _, x := range ds {
			if strings.Contains(x.Memo, tag) {
				return downtimeFromAPI(x), true, nil
			}
		}
		d.Memo = strings.TrimSpace(d.Memo + " " + tag)
	}
	d.ID = ""
	res, err := retryDo(ctx, c.retry, false, func(ctx context.Context) (*mkr.Downtime, error) {
		r, err := c.api.CreateDowntimeContext(ctx, d.toAPI())
		return r, classify(err)
	})
	if err != nil {
		return Downtime{}, false, fmt.Errorf("schedule downtime %q: %w", d.Name, err)
	}
	return downtimeFromAPI(res), false, nil
}
