package mackerel

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// WriteBack is a decision of the meeting written back into Mackerel: a
// graph annotation on the monitor's service and a dated line in the
// monitor's memo. Both carry Marker, so that a retry, or a second laptop
// writing back the same decision, finds it and does not write twice.
type WriteBack struct {
	Marker      string    `json:"marker"` // "pwg:" + 12 hex digits
	Date        time.Time `json:"date"`
	MonitorID   string    `json:"monitorId"`
	MonitorName string    `json:"monitorName"`
	// Change says what was decided, e.g. "warning 80 → 90", "deleted",
	// "muted", "alert 2wp… closed: deploy noise".
	Change string `json:"change"`
	// Service and Roles are where the annotation goes ("" : none).
	Service string   `json:"service,omitempty"`
	Roles   []string `json:"roles,omitempty"`
	// MinutesLink is put into the annotation when set.
	MinutesLink string `json:"minutesLink,omitempty"`
	// Annotate and Memo choose what is written (both on by default).
	Annotate bool `json:"annotate"`
	Memo     bool `json:"memo"`
}

// NewWriteBack prepares the write-back of a change of monitor m decided in
// meeting meetingID at now. The marker depends on the meeting, the monitor
// and the change only: every laptop of the meeting computes the same one.
func NewWriteBack(meetingID string, m Monitor, change string, now time.Time) WriteBack {
	svc, roles := MonitorService(m)
	return WriteBack{Marker: Marker(meetingID, m.ID, change), Date: now, MonitorID: m.ID, MonitorName: m.Name,
		Change: change, Service: svc, Roles: roles, Annotate: svc != "", Memo: true}
}

// Marker is the mark pwg puts on what it writes into Mackerel for a
// decision: "pwg:" and 12 hex digits of a hash of parts (the meeting and
// what was decided), the same on every laptop.
func Marker(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return "pwg:" + hex.EncodeToString(sum[:6])
}

// MonitorService returns the service (and roles) a monitor watches, where
// its annotation belongs: the service of a service or external monitor, or
// the first scope of a host monitor. "" when it has none.
func MonitorService(m Monitor) (string, []string) {
	if m.Service != "" {
		return m.Service, nil
	}
	// The first scope names the service (and its role, if it is one).
	if len(m.Scopes) > 0 {
		svc, role, ok := strings.Cut(m.Scopes[0], ":")
		if !ok {
			return svc, nil
		}
		var roles []string
		for _, x := range m.Scopes {
			if sv, r, ok := strings.Cut(x, ":"); ok && sv == svc {
				roles = append(roles, r)
			}
		}
		if len(roles) == 0 {
			roles = []string{role}
		}
		return svc, roles
	}
	return "", nil
}

// Title is the annotation's title, e.g. "PWG 2026-11-30: CPU % (web) warning 80 → 90".
func (w WriteBack) Title() string {
	t := fmt.Sprintf("PWG %s: %s %s", w.Date.Format(time.DateOnly), w.MonitorName, w.Change)
	if r := []rune(t); len(r) > 250 {
		t = string(r[:249]) + "…"
	}
	return t
}

// MemoLine is the dated line appended to the monitor's memo.
func (w WriteBack) MemoLine() string {
	return fmt.Sprintf("PWG %s: %s (alert review) [%s]", w.Date.Format(time.DateOnly), w.Change, w.Marker)
}

func (w WriteBack) description() string {
	d := "Decided in the PWG alert review."
	if w.MinutesLink != "" {
		d += " Minutes: " + w.MinutesLink
	}
	return d + " [" + w.Marker + "]"
}

// Annotation is the annotation the write-back creates.
func (w WriteBack) Annotation() Annotation {
	return Annotation{Title: w.Title(), Description: w.description(), From: w.Date, To: w.Date,
		Service: w.Service, Roles: w.Roles}
}

// WriteBackResult says what a write-back did.
type WriteBackResult struct {
	AnnotationID string `json:"annotationId,omitempty"`
	// AnnotationFound: an annotation with the marker existed already.
	AnnotationFound bool `json:"annotationFound,omitempty"`
	// DuplicatesRemoved: annotations with the marker another writer made at
	// the same moment, deleted so that one remains.
	DuplicatesRemoved int  `json:"duplicatesRemoved,omitempty"`
	MemoWritten       bool `json:"memoWritten,omitempty"`
	MemoFound         bool `json:"memoFound,omitempty"`
}

// Text describes the result for the minutes.
func (r WriteBackResult) Text() string {
	var parts []string
	switch {
	case r.AnnotationFound:
		parts = append(parts, "annotation already in Mackerel")
	case r.AnnotationID != "":
		parts = append(parts, "annotation added")
	}
	switch {
	case r.MemoFound:
		parts = append(parts, "memo line already there")
	case r.MemoWritten:
		parts = append(parts, "memo line added")
	}
	return strings.Join(parts, ", ")
}

// ErrNoService: the monitor has no service to annotate.
var ErrNoService = errors.New("the monitor watches no service, so there is no graph to annotate")

// ApplyWriteBack writes w into Mackerel exactly once: it looks for the
// marker first, and after creating the annotation it lists the annotations
// again and keeps only the one with the smallest id among those with the
// marker (every writer keeps the same one), so two laptops racing end with
// one annotation. The memo line is appended with a read-change-write of the
// whole monitor; a writer that reads the marker does not write.
func (c *Client) ApplyWriteBack(ctx context.Context, w WriteBack) (WriteBackResult, error) {
	var res WriteBackResult
	if c.Offline() {
		return res, fmt.Errorf("write back %q: %w", w.Change, ErrOffline)
	}
	if w.Memo {
		found, err := c.appendMemo(ctx, w.MonitorID, w.Marker, w.MemoLine())
		if err != nil {
			return res, fmt.Errorf("memo of %q: %w", w.MonitorName, err)
		}
		res.MemoFound, res.MemoWritten = found, !found
	}
	if w.Annotate {
		if w.Service == "" {
			return res, fmt.Errorf("annotation for %q: %w", w.MonitorName, ErrNoService)
		}
		if err := c.annotateOnce(ctx, w, &res); err != nil {
			return res, fmt.Errorf("annotation for %q: %w", w.MonitorName, err)
		}
	}
	return res, nil
}

func (c *Client) markedAnnotations(ctx context.Context, a Annotation, marker string) ([]Annotation, error) {
	list, err := retryDo(ctx, c.retry, true, func(ctx context.Context) ([]Annotation, error) {
		return c.findAnnotations(ctx, a.Service, a.From.Add(-time.Hour), a.To.Add(time.Hour))
	})
	if err != nil {
		return nil, err
	}
	var out []Annotation
	for _, x := range list {
		if strings.Contains(x.Description, "["+marker+"]") {
			out = append(out, x)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (c *Client) annotateOnce(ctx context.Context, w WriteBack, res *WriteBackResult) error {
	id, found, removed, err := c.AnnotateOnce(ctx, w.Annotation(), w.Marker)
	res.AnnotationID, res.AnnotationFound, res.DuplicatesRemoved = id, found, removed
	return err
}

// AnnotateOnce creates the annotation a unless one carrying marker (in its
// description, as "[marker]") exists around its time. After creating it, it
// lists again and deletes all but the one with the smallest id among those
// with the marker, so that writers racing end with one annotation. It
// returns the annotation's id, whether it existed, and how many duplicates
// it removed.
func (c *Client) AnnotateOnce(ctx context.Context, a Annotation, marker string) (id string, found bool, removed int, err error) {
	if c.Offline() {
		return "", false, 0, fmt.Errorf("annotation: %w", ErrOffline)
	}
	tag := "[" + marker + "]"
	if !strings.Contains(a.Description, tag) {
		a.Description = strings.TrimSpace(a.Description + " " + tag)
	}
	marked, err := c.markedAnnotations(ctx, a, marker)
	if err != nil {
		return "", false, 0, err
	}
	if len(marked) > 0 {
		found = true
	} else if _, err := c.CreateAnnotation(ctx, a); err != nil {
		return "", false, 0, err
	}
	if marked, err = c.markedAnnotations(ctx, a, marker); err != nil {
		return "", found, 0, err
	}
	if len(marked) == 0 {
		return "", found, 0, fmt.Errorf("the annotation %q is not listed after it was created", a.Title)
	}
	for _, dup := range marked[1:] {
		if _, err := c.DeleteAnnotation(ctx, dup.ID); err != nil && !errors.Is(err, ErrNotFound) {
			return marked[0].ID, found, removed, fmt.Errorf("remove the duplicate annotation %s: %w", dup.ID, err)
		}
		removed++
	}
	return marked[0].ID, found, removed, nil
}

// appendMemo appends line to the monitor's memo unless marker is in it.
func (c *Client) appendMemo(ctx context.Context, id, marker, line string) (found bool, err error) {
	m, err := c.monitorForWrite(ctx, id)
	if err != nil {
		return false, err
	}
	memo := memoField(m)
	if memo == nil {
		return false, fmt.Errorf("%w (%s)", ErrUnsupported, m.MonitorType())
	}
	if strings.Contains(*memo, "["+marker+"]") {
		return true, nil
	}
	if *memo != "" && !strings.HasSuffix(*memo, "\n") {
		*memo += "\n"
	}
	*memo += line
	if _, err := c.writeMonitor(ctx, id, m); err != nil {
		return false, err
	}
	return false, nil
}

// memoField points at the memo of a monitor of any known type.
func memoField(m mkr.Monitor) *string {
	switch v := m.(type) {
	case *mkr.MonitorHostMetric:
		return &v.Memo
	case *mkr.MonitorServiceMetric:
		return &v.Memo
	case *mkr.MonitorExternalHTTP:
		return &v.Memo
	case *mkr.MonitorExpression:
		return &v.Memo
	case *mkr.MonitorQuery:
		return &v.Memo
	case *mkr.MonitorConnectivity:
		return &v.Memo
	case *mkr.MonitorAnomalyDetection:
		return &v.Memo
	}
	return nil
}

// muteField points at the isMute of a monitor of any known type.
func muteField(m mkr.Monitor) *bool {
	switch v := m.(type) {
	case *mkr.MonitorHostMetric:
		return &v.IsMute
	case *mkr.MonitorServiceMetric:
		return &v.IsMute
	case *mkr.MonitorExternalHTTP:
		return &v.IsMute
	case *mkr.MonitorExpression:
		return &v.IsMute
	case *mkr.MonitorQuery:
		return &v.IsMute
	case *mkr.MonitorConnectivity:
		return &v.IsMute
	case *mkr.MonitorAnomalyDetection:
		return &v.IsMute
	}
	return nil
}

// SetMute mutes or unmutes a monitor (a read-change-write of the whole
// monitor) and returns it before and after.
func (c *Client) SetMute(ctx context.Context, id string, mute bool) (before, after Monitor, err error) {
	if c.Offline() {
		return Monitor{}, Monitor{}, fmt.Errorf("mute monitor %s: %w", id, ErrOffline)
	}
	m, err := c.monitorForWrite(ctx, id)
	if err != nil {
		return Monitor{}, Monitor{}, fmt.Errorf("read monitor %s: %w", id, err)
	}
	before = monitorFromAPI(m)
	p := muteField(m)
	if p == nil {
		return before, Monitor{}, fmt.Errorf("mute %q: %w (%s)", before.Name, ErrUnsupported, before.Type)
	}
	*p = mute
	after, err = c.writeMonitor(ctx, id, m)
	if err != nil {
		return before, Monitor{}, fmt.Errorf("mute %q: %w", before.Name, err)
	}
	return before, after, nil
}
