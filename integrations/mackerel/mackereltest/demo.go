package mackereltest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// StartDemo serves a freshly seeded fake on 127.0.0.1 (a free port) for
// pwg's demo mode. It returns the base URL and API key to give the real
// client, and stop, which shuts the server down (also done when ctx ends).
func StartDemo(ctx context.Context) (baseURL, apiKey string, stop func(), err error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", nil, fmt.Errorf("demo API key: %w", err)
	}
	apiKey = "demo-" + hex.EncodeToString(b[:])
	srv := New(Options{APIKey: apiKey, ReviewHistory: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", "", nil, fmt.Errorf("demo Mackerel server: %w", err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = ln.Close()
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		<-ctx.Done()
		sctx, scancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer scancel()
		_ = hs.Shutdown(sctx)
		close(done)
	}()
	stop = func() {
		cancel()
		<-done
	}
	return "http://" + ln.Addr().String() + "/", apiKey, stop, nil
}
