package lansync

import (
	"bytes"
	"errors"
	"net"
	"strconv"
	"time"

	"github.com/pwg-team/pwg/sync/discovery"
	"github.com/pwg-team/pwg/sync/transport"
)

// dial keeps a connection to addr: it redials with backoff while the node
// runs. A persistent target (manual peer) is retried forever; one found by
// mDNS is dropped after a few failures (discovery brings it back).
func (n *Node) dial(addr string, persistent bool) {
	n.mu.Lock()
	if n.closed || n.dialing[addr] || n.self[addr] {
		n.mu.Unlock()
		return
	}
	n.dialing[addr] = true
	n.mu.Unlock()
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		defer func() {
			n.mu.Lock()
			delete(n.dialing, addr)
			n.mu.Unlock()
		}()
		n.dialLoop(addr, persistent)
	}()
}

func (n *Node) dialLoop(addr string, persistent bool) {
	backoff := n.opts.RedialMin
	failures := 0
	d := net.Dialer{Timeout: n.opts.HandshakeTimeout}
	for n.ctx.Err() == nil {
		if n.connectedVia(addr) {
			// Already connected to the device last reached here (perhaps
			// through its own dial): check again later.
			if !n.wait(n.opts.RedialMax) {
				return
			}
			continue
		}
		c, err := d.DialContext(n.ctx, "tcp", addr)
		var began time.Time
		if err == nil {
			began = time.Now()
			err = n.attach(c, true, addr, nil)
			if errors.Is(err, errRekeyed) && !began.IsZero() {
				continue // at once, with the new key
			}
			if errors.Is(err, transport.ErrHandshake) && n.offerNewKey(addr) {
				continue // the device there now has the current key
			}
			if errors.Is(err, errSelf) {
				n.mu.Lock()
				n.self[addr] = true
				n.mu.Unlock()
				return
			}
		}
		if n.ctx.Err() != nil {
			return
		}
		if !began.IsZero() && time.Since(began) > 2*n.opts.RedialMin {
			backoff, failures = n.opts.RedialMin, 0 // it worked for a while
		} else {
			failures++
			n.log.Debug("peer unreachable", "addr", addr, "err", err)
			if !persistent && failures >= 3 {
				return
			}
		}
		if !n.wait(backoff) {
			return
		}
		backoff = min(2*backoff, n.opts.RedialMax)
	}
}

func (n *Node) wait(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-n.ctx.Done():
		return false
	}
}

func (n *Node) connectedVia(addr string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	id, ok := n.addrPeer[addr]
	if !ok {
		return false
	}
	s, ok := n.sessions[id]
	return ok && !s.failed()
}

func (n *Node) connectedToken(token string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, s := range n.sessions {
		if s.token == token && !s.failed() {
			return true
		}
	}
	return false
}

func (n *Node) startMDNS() error {
	if n.ln == nil {
		return errors.New("mDNS needs a listening address")
	}
	port := n.ln.Addr().(*net.TCPAddr).Port
	// The team key's tokens, and after a rotation the previous key's too,
	// so that a device offline during the rotation (which looks for the
	// old tokens) and this one still find each other.
	keys := [][]byte{n.team.Key}
	if _, old := n.keys(); len(old) > 0 && !bytes.Equal(old[0], n.team.Key) {
		keys = append(keys, old[0])
	}
	for i, key := range keys {
		cfg := discovery.Config{
			Team:     teamToken(key),
			Device:   deviceToken(key, n.id.Public),
			Port:     port,
			IPs:      advertisedIPs(n.ln.Addr()),
			Interval: n.opts.MDNSInterval,
			Logger:   n.log,
		}
		adv, err := discovery.Advertise(cfg)
		if err != nil {
			if i == 0 {
				return err
			}
			n.log.Warn("mDNS advert for devices with the previous team key", "err", err)
			continue
		}
		n.wg.Add(1)
		go func() {
			defer n.wg.Done()
			defer adv.Close()
			discovery.Browse(n.ctx, cfg, func(f discovery.Found) {
				if f.Device == cfg.Device || n.connectedToken(f.Device) {
					return
				}
				n.dial(f.Addr, false)
			})
		}()
	}
	return nil
}

// advertisedIPs are the addresses peers can reach a listener on: its own IP
// if bound to one, else every up interface's IPv4 addresses (loopback only
// if there is nothing else).
func advertisedIPs(a net.Addr) []net.IP {
	ta, ok := a.(*net.TCPAddr)
	if ok && ta.IP != nil && !ta.IP.IsUnspecified() {
		return []net.IP{ta.IP}
	}
	var ips, loop []net.IP
	ifs, _ := net.Interfaces()
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagUp == 0 {
			continue
		}
		addrs, _ := ifc.Addrs()
		for _, ad := range addrs {
			ipn, ok := ad.(*net.IPNet)
			if !ok || ipn.IP.To4() == nil {
				continue
			}
			if ipn.IP.IsLoopback() {
				loop = append(loop, ipn.IP.To4())
			} else {
				ips = append(ips, ipn.IP.To4())
			}
		}
	}
	if len(ips) == 0 {
		return loop
	}
	return ips
}

func advertisedAddrs(a net.Addr) []string {
	port := ""
	if ta, ok := a.(*net.TCPAddr); ok {
		port = strconv.Itoa(ta.Port)
	}
	var out []string
	for _, ip := range advertisedIPs(a) {
		out = append(out, net.JoinHostPort(ip.String(), port))
	}
	return out
}
