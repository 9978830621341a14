package discovery

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/hashicorp/mdns"
)

func TestMatch(t *testing.T) {
	e := &mdns.ServiceEntry{AddrV4: net.IPv4(10, 0, 0, 7), Port: 7415, InfoFields: []string{"v=1", "t=aa", "d=bb"}}
	f, ok := match("aa", e)
	if !ok || f.Device != "bb" || f.Addr != "10.0.0.7:7415" {
		t.Fatalf("%+v %v", f, ok)
	}
	for _, bad := range []*mdns.ServiceEntry{
		{AddrV4: net.IPv4(10, 0, 0, 7), Port: 7415, InfoFields: []string{"t=other", "d=bb"}}, // another team
		{AddrV4: net.IPv4(10, 0, 0, 7), Port: 7415, InfoFields: []string{"t=aa"}},            // no device
		{Port: 7415, InfoFields: []string{"t=aa", "d=bb"}},                                   // no address
	} {
		if _, ok := match("aa", bad); ok {
			t.Errorf("matched %+v", bad)
		}
	}
}

// TestAdvertiseBrowse advertises two devices of a team and one of another
// on loopback; browsing finds exactly the team's two.
func TestAdvertiseBrowse(t *testing.T) {
	lo := []net.IP{net.IPv4(127, 0, 0, 1)}
	for _, c := range []Config{
		{Team: "7e57a", Device: "d1", Port: 40001, IPs: lo},
		{Team: "7e57a", Device: "d2", Port: 40002, IPs: lo},
		{Team: "07e7b", Device: "d3", Port: 40003, IPs: lo},
	} {
		adv, err := Advertise(c)
		if err != nil {
			t.Skipf("no multicast here: %v", err)
		}
		defer adv.Close()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	found := make(chan Found, 16)
	go Browse(ctx, Config{Team: "7e57a", Interval: 200 * time.Millisecond}, func(f Found) { found <- f })
	seen := map[string]string{}
	for len(seen) < 2 {
		select {
		case f := <-found:
			if f.Device == "d3" {
				t.Fatal("found a device of another team")
			}
			seen[f.Device] = f.Addr
		case <-ctx.Done():
			t.Fatalf("found only %v", seen)
		}
	}
	if seen["d1"] != "127.0.0.1:40001" || seen["d2"] != "127.0.0.1:40002" {
		t.Fatalf("addresses %v", seen)
	}
}
