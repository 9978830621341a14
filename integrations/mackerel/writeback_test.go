package mackerel_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

func TestWriteBackExactlyOnceWithTwoLaptopsRacing(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	cpuID := mackereltest.MonitorID("cpu")
	mon, err := e.c.Monitor(e.ctx, cpuID)
	if err != nil {
		t.Fatal(err)
	}
	now := e.fake.Now()
	// the same decision on two laptops gives the same marker
	w1 := mackerel.NewWriteBack("meeting-1", mon.Value, "warning 70 → 80", now)
	w2 := mackerel.NewWriteBack("meeting-1", mon.Value, "warning 70 → 80", now)
	if w1.Marker != w2.Marker || w1.Service != mackereltest.ServiceName || len(w1.Roles) != 1 || w1.Roles[0] != "app" {
		t.Fatalf("write-backs %+v / %+v", w1, w2)
	}
	if want := "PWG " + now.Format(time.DateOnly) + ": " + mackereltest.CPUMonitorName + " warning 70 → 80"; w1.Title() != want {
		t.Fatalf("title %q, want %q", w1.Title(), want)
	}
	w1.MinutesLink = "https://wiki.example.com/pwg/2026-11"
	w2.MinutesLink = w1.MinutesLink
	laptopB := e.client(t, e.fake.APIKey())
	e.fake.SetLatency(3 * time.Millisecond) // widen the window between look and write
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i, c := range []*mackerel.Client{e.c, laptopB, e.c, laptopB} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := w1
			if i%2 == 1 {
				w = w2
			}
			if _, err := c.ApplyWriteBack(e.ctx, w); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// and a retry later finds both
	res, err := e.c.ApplyWriteBack(e.ctx, w1)
	if err != nil {
		t.Fatal(err)
	}
	if !res.AnnotationFound || !res.MemoFound || res.MemoWritten {
		t.Fatalf("retry: %+v", res)
	}
	anns, err := e.c.Annotations(e.ctx, mackereltest.ServiceName, now.Add(-time.Hour), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	marked := 0
	for _, a := range anns.Value {
		if strings.Contains(a.Description, w1.Marker) {
			marked++
			if a.Title != w1.Title() || !strings.Contains(a.Description, w1.MinutesLink) || len(a.Roles) != 1 {
				t.Fatalf("annotation %+v", a)
			}
		}
	}
	if marked != 1 {
		t.Fatalf("%d annotations with the marker, want 1", marked)
	}
	after, err := e.c.Monitor(e.ctx, cpuID)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(after.Value.Memo, w1.Marker); n != 1 || !strings.Contains(after.Value.Memo, w1.MemoLine()) {
		t.Fatalf("memo %q has the marker %d times", after.Value.Memo, n)
	}
	if ds := mackerel.MemoDecisions(after.Value.Memo); len(ds) != 1 || ds[0].Text != "warning 70 → 80 (alert review)" {
		t.Fatalf("memo decisions %+v", ds)
	}
}

func TestWriteBackWithoutService(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	mon, err := e.c.Monitor(e.ctx, mackereltest.MonitorID("expr"))
	if err != nil {
		t.Fatal(err)
	}
	w := mackerel.NewWriteBack("m", mon.Value, "warning 4 → 5", e.fake.Now())
	if w.Annotate || w.Service != "" {
		t.Fatalf("an expression monitor has no service: %+v", w)
	}
	res, err := e.c.ApplyWriteBack(e.ctx, w)
	if err != nil || !res.MemoWritten {
		t.Fatalf("res %+v err %v", res, err)
	}
}

func TestMuteAndDowntimeOnce(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	id := mackereltest.MonitorID("batch")
	before, after, err := e.c.SetMute(e.ctx, id, true)
	if err != nil || before.IsMute || !after.IsMute {
		t.Fatalf("mute: %v %v %v", before.IsMute, after.IsMute, err)
	}
	start := e.fake.Now().Add(48 * time.Hour).Truncate(time.Hour)
	d := mackerel.Downtime{Name: "DB maintenance", Start: start, Duration: 90 * time.Minute,
		Recurrence: "weekly", Roles: []string{"web:db"}, Monitors: []string{id}}
	got, found, err := e.c.ScheduleDowntime(e.ctx, d, "pwg:abc")
	if err != nil || found || got.ID == "" || got.Duration != 90*time.Minute || got.Recurrence != "weekly" || !got.Start.Equal(start) {
		t.Fatalf("downtime %+v found %v err %v", got, found, err)
	}
	again, found, err := e.c.ScheduleDowntime(e.ctx, d, "pwg:abc")
	if err != nil || !found || again.ID != got.ID || len(e.fake.Downtimes()) != 1 {
		t.Fatalf("second schedule: %+v found %v err %v (%d downtimes)", again, found, err, len(e.fake.Downtimes()))
	}
	d.Roles = []string{"web:nope"}
	if _, _, err := e.c.ScheduleDowntime(e.ctx, d, "pwg:def"); err == nil || !strings.Contains(err.Error(), "role not found") {
		t.Fatalf("unknown role: %v", err)
	}
	if err := (mackerel.Downtime{Name: "x", Start: start, Duration: time.Hour}).Validate(); err == nil {
		t.Fatal("a downtime without a scope was accepted")
	}
}
