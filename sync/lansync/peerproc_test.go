package lansync_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
)

// The real-process tests re-run this test binary as a headless peer: a
// crdt workspace in its own folder and a sync node, driven by one-line
// commands on stdin, each answered by one line "ok ..." or "err ...".

const peerEnv = "PWG_SYNC_TEST_PEER"

func TestMain(m *testing.M) {
	if dir := os.Getenv(peerEnv); dir != "" {
		os.Exit(peerMain(dir))
	}
	os.Exit(m.Run())
}

func peerMain(dir string) int {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	// PWG_SYNC_TEST_IDLE: how soon idle documents are unloaded and idle
	// sync states dropped (default: the workspace's and node's own).
	idle, _ := time.ParseDuration(os.Getenv("PWG_SYNC_TEST_IDLE"))
	ws, err := minutes.Open(dir, minutes.Options{Name: "peer", Logger: log, IdleUnload: idle})
	if err != nil {
		fmt.Println("err", err)
		return 1
	}
	defer ws.Close()
	st := lansync.FromWorkspace(ws)
	var node *lansync.Node
	listen := "127.0.0.1:0" // kept across stop/start, so peers can redial
	stop := func() {
		if node != nil {
			node.Close()
			node = nil
		}
	}
	defer stop()
	firstSection := func() (*minutes.Meeting, string, error) {
		infos, err := ws.Meetings()
		if err != nil {
			return nil, "", err
		}
		if len(infos) == 0 {
			return nil, "", fmt.Errorf("no meeting yet")
		}
		m, err := ws.Meeting(infos[0].ID)
		if err != nil {
			return nil, "", err
		}
		secs, err := m.Sections()
		if err != nil || len(secs) == 0 {
			return nil, "", fmt.Errorf("no sections yet: %v", err)
		}
		return m, secs[0].Key, nil
	}
	notes := func() string {
		m, key, err := firstSection()
		if err != nil {
			return ""
		}
		s, _ := m.Notes(key)
		return s
	}
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		cmd, arg, _ := strings.Cut(in.Text(), " ")
		reply, err := func() (string, error) {
			switch cmd {
			case "setup":
				_, err := ws.Setup("SRE", time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
				return "", err
			case "join":
				return "", lansync.Join(st, arg)
			case "forget-peers":
				return "", lansync.SetManualPeers(st, nil)
			case "peer":
				return "", lansync.SetManualPeers(st, []string{arg})
			case "start": // start [mdns]
				opts := lansync.Options{Listen: listen, MDNS: arg == "mdns", Logger: log, DocIdle: idle,
					MDNSInterval: 300 * time.Millisecond, RedialMin: 50 * time.Millisecond, RedialMax: time.Second}
				n, err := lansync.Start(context.Background(), st, opts)
				if err != nil {
					return "", err
				}
				node = n
				listen = n.Addr().String()
				return n.Addr().String() + " " + n.Fingerprint(), nil
			case "stop":
				stop()
				return "", nil
			case "invite":
				return lansync.Invite(st)
			case "append": // waits (30 s) for the meeting to arrive first
				evs, unsub := ws.Subscribe()
				defer unsub()
				deadline := time.After(30 * time.Second)
				m, key, err := firstSection()
				for err != nil {
					select {
					case <-evs:
					case <-deadline:
						return "", fmt.Errorf("timed out waiting for the meeting: %w", err)
					}
					m, key, err = firstSection()
				}
				return "", m.AppendNotes(key, arg)
			case "wait": // wait SUBSTRING: until the notes contain it (30 s: CI runs loaded)
				evs, unsub := ws.Subscribe()
				defer unsub()
				deadline := time.After(30 * time.Second)
				for !strings.Contains(notes(), arg) {
					select {
					case <-evs:
					case <-deadline:
						return "", fmt.Errorf("timed out; notes are %q", notes())
					}
				}
				return "", nil
			case "unload": // unload now whatever is idle; answers how many, and how many stay
				n := ws.UnloadIdle(0)
				return strconv.Itoa(n) + " " + strconv.Itoa(ws.Resident()), nil
			case "notes":
				return strconv.Quote(notes()), nil
			case "heads":
				var hs []string
				ids, _ := ws.DocIDs()
				for _, id := range ids {
					h, err := ws.Doc(id)
					if err != nil {
						return "", err
					}
					for _, x := range h.Heads() {
						hs = append(hs, id[:6]+":"+x.String()[:12])
					}
				}
				slices.Sort(hs)
				return strings.Join(hs, ","), nil
			case "peers":
				c := 0
				if node != nil {
					for _, p := range node.Peers() {
						if p.Connected {
							c++
						}
					}
				}
				return strconv.Itoa(c), nil
			}
			return "", fmt.Errorf("unknown command %q", cmd)
		}()
		if err != nil {
			fmt.Println("err", strings.ReplaceAll(err.Error(), "\n", " "))
		} else {
			fmt.Println("ok", reply)
		}
	}
	return 0
}
