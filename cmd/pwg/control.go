package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/sync/lansync"
)

// The control socket lets a command run while a pwg window or "pwg serve"
// holds the workspace (one writer per database): the command line is sent
// to that process over <workspace>/pwg.sock (a Unix socket readable only by
// its owner), which carries it out on its open workspace.

const controlSocket = "pwg.sock"

type controlRequest struct {
	Args  []string `json:"args"`
	Stdin []byte   `json:"stdin,omitempty"`
	// Token names this command so that a retry after a lost reply does not
	// run it twice (see onceByToken).
	Token string `json:"token,omitempty"`
	// Dir is the sender's working folder: relative file names in Args
	// are relative to it (globals.path).
	Dir string `json:"dir,omitempty"`
}

type controlReply struct {
	Stdout []byte `json:"stdout"`
	Stderr string `json:"stderr"`
	Code   int    `json:"code"`
}

// runCommand runs the parsed command line args (job j) on the workspace,
// or sends it to the pwg that has the workspace open.
func runCommand(ctx context.Context, g *globals, j *job, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if j.local != nil {
		return j.local(ctx, stdin, stdout, stderr)
	}
	dir, err := g.dir()
	if err != nil {
		return exitCode(err, stderr)
	}
	req := controlRequest{Args: args, Token: newToken()}
	req.Dir, _ = os.Getwd()
	if j.readsStdin {
		// read once, and checked here only (the running pwg that carries
		// the command out gets text that passed readStdin): a retry sends
		// the same text
		text, err := readStdin(stdin)
		if err != nil {
			return exitCode(err, stderr)
		}
		req.Stdin = []byte(text)
		stdin = bytes.NewReader(req.Stdin)
	}
	if j.remote {
		code, _ := forward(dir, req, stdout, stderr, lansync.ErrNotRunning)
		return code
	}
	retryUntil := time.Now().Add(retryFor)
	for retry := false; ; retry = true {
		ws, err := minutes.Open(dir, minutes.Options{Name: g.name})
		if errors.Is(err, storage.ErrLocked) {
			code, lost := forward(dir, req, stdout, stderr, err)
			if !lost || time.Now().After(retryUntil) {
				return code
			}
			time.Sleep(200 * time.Millisecond) // the running pwg may be restarting
			continue
		}
		if err != nil {
			return exitCode(err, stderr)
		}
		guardCrashes(ws, stderr)
		if !retry {
			err = j.run(ctx, ws, stdin, stdout)
			if cerr := ws.Close(); err == nil {
				err = cerr
			}
			return exitCode(err, stderr)
		}
		// The running pwg went away without answering: it may have carried
		// the command out; its saved reply says so.
		rep := onceByToken(ws, req.Token, false, func() controlReply {
			return runJob(ctx, ws, j, bytes.NewReader(req.Stdin))
		})
		if err := ws.Close(); err != nil && rep.Code == exitOK {
			rep.Stderr, rep.Code = fmt.Sprintf("pwg: %v\n", err), exitFailed
		}
		stdout.Write(rep.Stdout)
		io.WriteString(stderr, rep.Stderr)
		return rep.Code
	}
}

// runJob runs j on ws and returns what it printed and its exit code.
func runJob(ctx context.Context, ws *minutes.Workspace, j *job, stdin io.Reader) controlReply {
	var out, errb bytes.Buffer
	code := exitCode(j.run(ctx, ws, stdin, &out), &errb)
	return controlReply{Stdout: out.Bytes(), Stderr: errb.String(), Code: code}
}

// forward sends req to the pwg that holds the workspace and prints its
// reply. lost reports a reply that did not arrive after the command was
// sent: the command may or may not have been carried out.
func forward(dir string, req controlRequest, stdout, stderr io.Writer, lockErr error) (code int, lost bool) {
	conn, err := net.DialTimeout("unix", filepath.Join(dir, controlSocket), 2*time.Second)
	if err != nil {
		return exitCode(fmt.Errorf("%w; and it does not answer on its control socket: %v", lockErr, err), stderr), false
	}
	defer conn.Close()
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return exitCode(fmt.Errorf("send command to the running pwg: %w", err), stderr), false
	}
	var rep controlReply
	if err := json.NewDecoder(conn).Decode(&rep); err != nil {
		return exitCode(fmt.Errorf("read reply of the running pwg: %w (it may have carried the command out; retried for %v with the same token, so it runs at most once)", err, retryFor), stderr), true
	}
	stdout.Write(rep.Stdout)
	io.WriteString(stderr, rep.Stderr)
	return rep.Code, false
}

// serveControl carries out commands sent by other pwg processes on ws until
// ctx ends. It returns once the socket listens.
func serveControl(ctx context.Context, ws *minutes.Workspace, g *globals) error {
	path := filepath.Join(ws.Dir(), controlSocket)
	_ = os.Remove(path) // a stale socket of a crashed pwg; we hold the lock, so it is ours
	ln, err := net.Listen("unix", path)
	if err != nil {
		return fmt.Errorf("control socket: %w", err)
	}
	_ = os.Chmod(path, 0o600)
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go handleControl(ctx, ws, g, conn)
		}
	}()
	return nil
}

func handleControl(ctx context.Context, ws *minutes.Workspace, g *globals, conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Minute))
	var req controlRequest
	if err := json.NewDecoder(io.LimitReader(conn, 64<<20)).Decode(&req); err != nil {
		return
	}
	rep := func() controlReply {
		var errb bytes.Buffer
		cg := *g
		cg.cwd = req.Dir
		j, err := parseCommand(&cg, req.Args, io.Discard)
		if err == nil && j == nil {
			err = usageErr("not a command to forward")
		}
		if err != nil {
			return controlReply{Code: exitCode(err, &errb), Stderr: errb.String()}
		}
		if j.local != nil {
			return controlReply{Code: exitCode(usageErr("this command cannot run while another pwg has the workspace open"), &errb), Stderr: errb.String()}
		}
		return onceByToken(ws, req.Token, j.mutates, func() controlReply {
			return runJob(ctx, ws, j, bytes.NewReader(req.Stdin))
		})
	}()
	if h := testDropReply.Load(); h != nil && (*h)() {
		return // a test's stand-in for a pwg killed before it answered
	}
	_ = json.NewEncoder(conn).Encode(rep)
}

// testDropReply, when set and returning true, makes the control socket
// carry out a command without answering (tests of a lost reply).
var testDropReply atomic.Pointer[func() bool]
