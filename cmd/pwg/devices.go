package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/spf13/pflag"
)

// Join codes, the device roster and revocation on the command line.

func init() {
	register("devices", "[--json]", "the team's devices (fingerprint, name, who let it in, when)", parseDevices)
	register("revoke", "FINGERPRINT", "remove a device from the team for good (the team key rotates)", parseRevoke)
}

// noteSelfOnRoster puts this device on its team's roster when a node
// starts, so that every running device can be revoked (and can be handed a
// new key after a revocation it missed).
func noteSelfOnRoster(st lansync.Store, ws *minutes.Workspace, log *slog.Logger) {
	if _, err := st.Team(); err != nil {
		return
	}
	if err := lansync.EnsureSelfOnRoster(st, deviceName(ws)); err != nil {
		log.Warn("put this device on the team's roster", "err", err)
	}
}

func parseRevoke(g *globals, fs *pflag.FlagSet) parser {
	return func(pos []string) (*job, error) {
		if len(pos) != 1 {
			return nil, usageErr("revoke needs the fingerprint of one device (see pwg devices)")
		}
		fp := strings.ToUpper(strings.TrimSpace(pos[0]))
		return &job{mutates: true, run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			n := liveNode.Load()
			var err error
			if n != nil {
				err = n.Revoke(fp)
			} else {
				err = lansync.Revoke(lansync.FromWorkspace(ws), fp)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "revoked %s; the team key rotated\n", fp)
			if n != nil {
				fmt.Fprintln(out, "connected devices have the new key; the others get it when they next connect to a device that has it")
			} else {
				fmt.Fprintln(out, "the other devices get the new key when they next connect to this one (or to a device that has it)")
			}
			return nil
		}}, nil
	}
}

// deviceName is how this device appears on the roster: the person's name
// and the host name.
func deviceName(ws *minutes.Workspace) string {
	host, _ := os.Hostname()
	if a := ws.Author().Name; a != "" && host != "" {
		return a + " (" + host + ")"
	} else if a != "" {
		return a
	}
	return host
}

// inviteCodeFlags are invite's flags for a code; the node flags matter
// only when no running pwg holds the workspace (the command then hosts the
// code itself).
type inviteCodeFlags struct {
	code   *bool
	listen *string
	noMDNS *bool
}

func addInviteCodeFlags(fs *pflag.FlagSet) inviteCodeFlags {
	return inviteCodeFlags{
		code:   fs.Bool("code", false, "show a short join code (valid 10 minutes, one use) instead of an invitation"),
		listen: fs.String("listen", fmt.Sprintf(":%d", lansync.DefaultPort), "with --code and no running pwg: TCP address to accept the new device on"),
		noMDNS: fs.Bool("no-mdns", false, "with --code and no running pwg: do not advertise the code by mDNS"),
	}
}

// inviteByCode offers a join code: through the running pwg's node if this
// runs in it (forwarded over pwg.sock), else on a node of its own, until
// the code is used or expires.
func inviteByCode(ctx context.Context, g *globals, f inviteCodeFlags, ws *minutes.Workspace, out io.Writer) error {
	st := lansync.FromWorkspace(ws)
	if err := lansync.EnsureSelfOnRoster(st, deviceName(ws)); err != nil {
		return err
	}
	if n := liveNode.Load(); n != nil {
		offer, err := n.InviteByCode(0)
		if err != nil {
			return err
		}
		printCode(out, offer.Code().String(), offer.Expires(), st)
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n, err := lansync.Start(ctx, st, lansync.Options{Listen: *f.listen, MDNS: !*f.noMDNS})
	if err != nil && *f.listen == fmt.Sprintf(":%d", lansync.DefaultPort) {
		// the default port is taken (a pwg of another workspace): any port,
		// advertised by mDNS and printed for --peer
		n, err = lansync.Start(ctx, st, lansync.Options{Listen: ":0", MDNS: !*f.noMDNS})
	}
	if err != nil {
		return err
	}
	defer n.Close()
	liveNode.Store(n)
	defer liveNode.Store(nil)
	if err := serveControl(ctx, ws, g); err != nil {
		fmt.Fprintf(out, "(other pwg commands cannot reach this one: %v)\n", err)
	}
	offer, err := n.InviteByCode(0)
	if err != nil {
		return err
	}
	printCode(out, offer.Code().String(), offer.Expires(), st)
	fmt.Fprintln(out, "waiting for the new device (Ctrl+C to stop)…")
	select {
	case o := <-offer.Done():
		if o.Err != nil {
			return o.Err
		}
		fmt.Fprintf(out, "device %s (%s) joined the team\n", o.Joined.Fingerprint, o.Joined.Name)
		return nil
	case <-ctx.Done():
		offer.Cancel()
		return ctx.Err()
	}
}

func printCode(out io.Writer, code string, expires time.Time, st lansync.Store) {
	fmt.Fprintf(out, "join code: %s\n", code)
	fmt.Fprintf(out, "valid until %s (10 minutes), for one device\n", expires.Local().Format(time.TimeOnly))
	addrs, _ := st.Settings().ListenAddrs()
	fmt.Fprintf(out, "on the new laptop: pwg join --code %s", code)
	if len(addrs) > 0 {
		fmt.Fprintf(out, "   (where multicast is blocked: --peer %s)", addrs[0])
	}
	fmt.Fprintln(out)
	if len(addrs) > 0 {
		fmt.Fprintf(out, "addresses: %s\n", strings.Join(addrs, " "))
	}
}

// joinCodeFlags are join's flags for a code.
type joinCodeFlags struct {
	code   *string
	peers  *[]string
	noMDNS *bool
}

func addJoinCodeFlags(fs *pflag.FlagSet) joinCodeFlags {
	return joinCodeFlags{
		code:   fs.String("code", "", "join with a short code shown on a teammate's screen (e.g. 7-guitar-orbit)"),
		peers:  fs.StringArray("peer", nil, "with --code: host:port of the inviting laptop (where multicast is blocked; repeatable)"),
		noMDNS: fs.Bool("no-mdns", false, "with --code: do not look for the inviting laptop by mDNS"),
	}
}

func joinByCode(ctx context.Context, f joinCodeFlags, switchTeam bool, ws *minutes.Workspace, out io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	inv, devs, err := lansync.JoinByCode(ctx, lansync.FromWorkspace(ws), *f.code, lansync.JoinCodeOptions{
		Peers: *f.peers, MDNS: !*f.noMDNS, Name: deviceName(ws), Switch: switchTeam,
	})
	if errors.Is(err, lansync.ErrOtherTeam) {
		return fmt.Errorf("%w: this workspace already has its own team; use --switch to make the invited team current, or join in a new workspace with --workspace DIR", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "joined team %s, let in by %s; %d devices on the team; its minutes arrive at the next sync\n", inv.TeamID, inv.From, len(devs))
	return nil
}

func parseDevices(g *globals, fs *pflag.FlagSet) parser {
	asJSON := fs.Bool("json", false, "print JSON")
	return func([]string) (*job, error) {
		return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, out io.Writer) error {
			st := lansync.FromWorkspace(ws)
			devs, err := lansync.Devices(st)
			if err != nil {
				return err
			}
			if *asJSON {
				return writeJSONList(out, devs)
			}
			self, _ := lansync.Fingerprint(st)
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "FINGERPRINT\tNAME\tLET IN BY\tADDED\tSTATUS")
			for _, d := range devs {
				status := "member"
				if d.Revoked != nil {
					status = "revoked " + d.Revoked.Local().Format(time.DateTime) + " by " + d.RevokedBy
				}
				if d.Fingerprint == self {
					status += " (this device)"
				}
				by := d.AddedBy
				if by == "" {
					by = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Fingerprint, d.Name, by, d.Added.Local().Format(time.DateTime), status)
			}
			return tw.Flush()
		}}, nil
	}
}
