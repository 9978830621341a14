package lansync

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/pwg-team/pwg/sync/discovery"
	"github.com/pwg-team/pwg/sync/joincode"
)

// CodeTTL is how long a join code works (it also works only once).
const CodeTTL = 10 * time.Minute

// codePayload is what the inviting device hands a device that proved it has
// the code: the invitation (team id, key, addresses) and the team's devices.
type codePayload struct {
	Invitation string   `cbor:"i"`
	Devices    []Device `cbor:"d,omitempty"`
}

// InviteByCode offers a join code on this node for ttl (CodeTTL if 0) and
// one use: a device that runs JoinByCode with it receives the team key and
// the device roster. The offer's Done reports who joined. The code is also
// advertised by mDNS (its number only) when the node does mDNS.
func (n *Node) InviteByCode(ttl time.Duration) (*joincode.Offer, error) {
	if n.ln == nil {
		return nil, errors.New("a join code needs a node that listens for peers")
	}
	if ttl <= 0 {
		ttl = CodeTTL
	}
	o, err := n.codes.Offer(ttl, func(h joincode.Hello) ([]byte, error) {
		return n.admitByCode(h)
	})
	if err != nil {
		return nil, err
	}
	if n.opts.MDNS {
		n.advertiseCode(o)
	}
	n.log.Info("join code offered", "expires", o.Expires().Format(time.TimeOnly))
	return o, nil
}

// admitByCode is the payload for a device that proved it has the code: it
// is added to the roster (let in by this device), then handed the
// invitation and the roster.
func (n *Node) admitByCode(h joincode.Hello) ([]byte, error) {
	if err := AddDevice(n.st, Device{Fingerprint: h.Fingerprint, Name: h.Name, AddedBy: n.peerID, Added: time.Now().UTC()}); err != nil {
		n.log.Warn("add the new device to the roster", "err", err)
	}
	inv, err := Invite(n.st)
	if err != nil {
		return nil, err
	}
	devs, err := Devices(n.st)
	if err != nil {
		n.log.Warn("read the roster", "err", err)
	}
	n.log.Info("device joined with a code", "peer", h.Fingerprint, "name", h.Name)
	return cbor.Marshal(codePayload{Invitation: inv, Devices: devs})
}

func (n *Node) advertiseCode(o *joincode.Offer) {
	var tok [8]byte
	_, _ = rand.Read(tok[:])
	adv, err := discovery.Advertise(discovery.Config{
		Team: o.Code().Token(), Device: hex.EncodeToString(tok[:]),
		Port: n.ln.Addr().(*net.TCPAddr).Port, IPs: advertisedIPs(n.ln.Addr()), Logger: n.log,
	})
	if err != nil {
		n.log.Warn("mDNS advert of the join code; join with --peer", "err", err)
		return
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		select {
		case <-o.Ended():
		case <-n.ctx.Done():
		}
		adv.Close()
	}()
}

// acceptCode tells a code exchange from a Noise handshake on an accepted
// connection: the joining side starts with joincode.Magic. It returns the
// connection to run Noise on (with what was read put back), or nil when it
// was a code exchange (answered and closed here).
func (n *Node) acceptCode(c net.Conn, admitted func(error)) net.Conn {
	_ = c.SetReadDeadline(time.Now().Add(n.gate.Deadline()))
	head := make([]byte, len(joincode.Magic))
	k, err := io.ReadFull(c, head)
	_ = c.SetReadDeadline(time.Time{})
	if err != nil || !bytes.Equal(head, []byte(joincode.Magic)) {
		return &prefixConn{Conn: c, r: io.MultiReader(bytes.NewReader(head[:k]), c)}
	}
	_ = c.SetDeadline(time.Now().Add(n.gate.Deadline()))
	err = n.codes.Serve(c)
	admitted(err)
	c.Close()
	if err != nil {
		n.log.Warn("join code refused", "addr", c.RemoteAddr().String(), "reason", err)
	}
	return nil
}

// prefixConn is a connection some of whose first bytes were already read.
type prefixConn struct {
	net.Conn
	r io.Reader
}

func (p *prefixConn) Read(b []byte) (int, error) { return p.r.Read(b) }

// JoinCodeOptions say where JoinByCode looks for the inviting device.
type JoinCodeOptions struct {
	// Peers are host:port addresses to try (where multicast is blocked).
	Peers []string
	// MDNS looks for the code's advert on the LAN.
	MDNS bool
	// Name is this device's name, shown on the roster.
	Name string
	// Switch makes the invited team current in a workspace of another team.
	Switch bool
}

// JoinByCode finds the device offering code (at opts.Peers, or by mDNS),
// proves it knows the code, and joins its team as Join does with an
// invitation. It returns the invitation and the team's devices. A wrong
// code is joincode.ErrWrongCode; a used, expired or burnt one
// joincode.ErrCodeGone. It gives up when ctx ends.
func JoinByCode(ctx context.Context, st Store, code string, opts JoinCodeOptions) (Invitation, []Device, error) {
	c, err := joincode.Parse(code)
	if err != nil {
		return Invitation{}, nil, err
	}
	id, err := DeviceIdentity(st)
	if err != nil {
		return Invitation{}, nil, err
	}
	hello := joincode.Hello{Fingerprint: id.Fingerprint(), Name: opts.Name}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// candidates: the --peer addresses, then what mDNS finds (dev is the
	// advert's token: one inviting device may answer on several addresses,
	// and must be asked once, or a wrong code would burn several tries).
	type candidate struct{ addr, dev string }
	cands := make(chan candidate, len(opts.Peers)+16)
	for _, a := range opts.Peers {
		cands <- candidate{addr: a}
	}
	if opts.MDNS {
		go discovery.Browse(ctx, discovery.Config{Team: c.Token(), Interval: time.Second}, func(f discovery.Found) {
			select {
			case cands <- candidate{addr: f.Addr, dev: f.Device}:
			case <-ctx.Done():
			}
		})
	} else {
		close(cands)
	}
	tried := map[string]bool{}
	lastErr := errors.New("no inviting device found: check the code's number, or give its address with --peer host:port")
	// A refusal (wrong code, code gone) from one device is the answer
	// unless another device with the same number answers soon.
	var refusal error
	var giveUp <-chan time.Time
	for {
		var cand candidate
		select {
		case cc, ok := <-cands:
			if !ok {
				return Invitation{}, nil, cmp.Or(refusal, lastErr)
			}
			cand = cc
		case <-giveUp:
			return Invitation{}, nil, refusal
		case <-ctx.Done():
			if refusal != nil {
				return Invitation{}, nil, refusal
			}
			return Invitation{}, nil, fmt.Errorf("%w (%v)", lastErr, ctx.Err())
		}
		if tried[cand.addr] || (cand.dev != "" && tried[cand.dev]) {
			continue
		}
		tried[cand.addr] = true
		raw, err := exchangeCode(ctx, cand.addr, c, hello)
		if errors.Is(err, joincode.ErrWrongCode) || errors.Is(err, joincode.ErrCodeGone) {
			if cand.dev != "" {
				tried[cand.dev] = true
			}
			refusal = err
			if giveUp == nil {
				giveUp = time.After(3 * time.Second)
			}
			continue
		}
		if err != nil {
			lastErr = fmt.Errorf("join code at %s: %w", cand.addr, err)
			continue
		}
		if cand.dev != "" {
			tried[cand.dev] = true
		}
		var p codePayload
		if err := cbor.Unmarshal(raw, &p); err != nil {
			return Invitation{}, nil, fmt.Errorf("%w: %v", joincode.ErrProtocol, err)
		}
		inv, err := JoinOrSwitch(st, p.Invitation, opts.Switch)
		if err != nil {
			return inv, nil, err
		}
		if err := keepRoster(st, p.Devices); err != nil {
			return inv, p.Devices, err
		}
		return inv, p.Devices, nil
	}
}

func exchangeCode(ctx context.Context, addr string, c joincode.Code, hello joincode.Hello) ([]byte, error) {
	d := net.Dialer{Timeout: 5 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	raw, err := joincode.Join(conn, c, hello)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("the device at %s closed the connection: it offers no join code (%w)", addr, err)
	}
	return raw, err
}
