// Package discovery finds devices of a team on the LAN with mDNS (DNS-SD
// service _pwg._tcp), through github.com/hashicorp/mdns over IPv4.
//
// An advert says as little as possible: the instance and host names are the
// device token, and the TXT record holds only
//
//	v=1           format version
//	t=<16 hex>    team token: derived from the team key, the same for every device of a team
//	d=<16 hex>    device token: derived from the team key and the device's public key
//
// plus the port in the SRV record. No team name, meeting title or person's
// name is ever advertised; outsiders see two random-looking ids. Tokens only
// help a device pick peers worth dialing: trust comes from the handshake.
package discovery

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/mdns"
)

// Service is the DNS-SD service type of pwg.
const Service = "_pwg._tcp"

// Config describes this device's advert and how often to look for others.
type Config struct {
	Team     string // team token
	Device   string // device token
	Port     int
	IPs      []net.IP
	Interval time.Duration // between queries (default 10s)
	Logger   *slog.Logger
}

// Found is a device of the same team seen on the LAN.
type Found struct {
	Device string // its device token
	Addr   string // host:port to dial
}

func (c Config) stdLogger() *log.Logger {
	if c.Logger == nil {
		return log.New(io.Discard, "", 0)
	}
	return slog.NewLogLogger(c.Logger.Handler(), slog.LevelDebug)
}

// Advertise answers mDNS queries for this device until Close.
func Advertise(c Config) (io.Closer, error) {
	host := c.Device + ".local."
	svc, err := mdns.NewMDNSService(c.Device, Service, "local.", host, c.Port, c.IPs,
		[]string{"v=1", "t=" + c.Team, "d=" + c.Device})
	if err != nil {
		return nil, fmt.Errorf("mDNS advert: %w", err)
	}
	srv, err := mdns.NewServer(&mdns.Config{Zone: svc, Logger: c.stdLogger()})
	if err != nil {
		return nil, fmt.Errorf("mDNS advert: %w", err)
	}
	return closer(srv.Shutdown), nil
}

type closer func() error

func (f closer) Close() error { return f() }

// Browse queries the LAN every Interval and calls found for each device of
// the team (including this one: compare Device) until ctx ends.
func Browse(ctx context.Context, c Config, found func(Found)) {
	if c.Interval <= 0 {
		c.Interval = 10 * time.Second
	}
	for {
		entries := make(chan *mdns.ServiceEntry, 32)
		done := make(chan struct{})
		go func() {
			defer close(done)
			for e := range entries {
				if f, ok := match(c.Team, e); ok {
					found(f)
				}
			}
		}()
		qctx, cancel := context.WithTimeout(ctx, min(c.Interval, 2*time.Second))
		err := mdns.QueryContext(qctx, &mdns.QueryParam{
			Service: Service, Domain: "local", Timeout: min(c.Interval, 2*time.Second),
			Entries: entries, DisableIPv6: true, Logger: c.stdLogger(),
		})
		cancel()
		close(entries)
		<-done
		if err != nil && ctx.Err() == nil && c.Logger != nil {
			c.Logger.Debug("mDNS query", "err", err)
		}
		t := time.NewTimer(c.Interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

func match(team string, e *mdns.ServiceEntry) (Found, bool) {
	if e.AddrV4 == nil || e.Port <= 0 {
		return Found{}, false
	}
	var t, d string
	for _, f := range e.InfoFields {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "t":
			t = v
		case "d":
			d = v
		}
	}
	if t != team || d == "" {
		return Found{}, false
	}
	return Found{Device: d, Addr: net.JoinHostPort(e.AddrV4.String(), strconv.Itoa(e.Port))}, true
}
