package wsnet_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/pwg-team/pwg/sync/wsnet"
)

// TestOpenClientsBounded: unauthenticated clients that start large messages
// at once get no more than the bytes-in-flight bound between them (the
// client over it is dropped; before, eight 60 MiB messages took the server
// to 1.44 GB), and no more clients than the bound are served.
func TestOpenClientsBounded(t *testing.T) {
	d := newDevices(t, 1)[0]
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	s := wsnet.NewServer(ctx, d.node, d.ws.Settings(), testLogger())
	const inFlight = 3 << 19 // 1.5 MiB: one 700 KiB message takes 1 MiB of buffer
	s.Limit(wsnet.Limits{Clients: 3, InFlight: inFlight})
	hs := httptest.NewServer(s)
	defer hs.Close()
	url := "ws://" + strings.TrimPrefix(hs.URL, "http://")

	ended := make(chan int, 3)
	var conns []*websocket.Conn
	for i := range 3 {
		ws, _, err := websocket.Dial(ctx, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, ws)
		defer ws.CloseNow()
		// Start a 700 KiB message and never finish it: the server holds
		// what it read.
		w, err := ws.Writer(ctx, websocket.MessageBinary)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(make([]byte, 700<<10)); err != nil {
			t.Fatal(err)
		}
		go func() {
			_, _, err := ws.Read(ctx)
			if err != nil && ctx.Err() == nil {
				ended <- i
			}
		}()
	}
	select {
	case i := <-ended:
		t.Logf("client %d dropped", i)
	case <-ctx.Done():
		t.Fatalf("three clients hold 2.1 MiB of unfinished messages and none was dropped (bound %d bytes): %+v", inFlight, s.Stats())
	}
	st := s.Stats()
	if st.PeakInFlight > inFlight || st.Refused < 1 {
		t.Fatalf("stats %+v: want a peak ≤ %d and a refusal", st, inFlight)
	}
	for _, c := range conns {
		c.CloseNow()
	}

	// The client bound: with room for one client, a second is turned away.
	s2 := wsnet.NewServer(ctx, d.node, d.ws.Settings(), testLogger())
	s2.Limit(wsnet.Limits{Clients: 1})
	hs2 := httptest.NewServer(s2)
	defer hs2.Close()
	url2 := "ws://" + strings.TrimPrefix(hs2.URL, "http://")
	first, _, err := websocket.Dial(ctx, url2, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.CloseNow()
	if second, resp, err := websocket.Dial(ctx, url2, nil); err == nil {
		second.CloseNow()
		t.Fatal("a second client was served with room for one")
	} else if resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("second client: %v, want 503", err)
	}
}
