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
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/storage"
)

// The control socket lets a command run while a pwg window or "pwg serve"
// holds the workspace (one writer per database): the command line is sent
// to that process over <workspace>/pwg.sock (a Unix socket readable only by
// its owner), which carries it out on its open workspace.

const controlSocket = "pwg.sock"

type controlRequest struct {
	Args  []string `json:"args"`
	Stdin []byte   `json:"stdin,omitempty"`
}

type controlReply struct {
	Stdout []byte `json:"stdout"`
	Stderr string `json:"stderr"`
	Code   int    `json:"code"`
}

func runCommand(ctx context.Context, g *globals, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	j, err := parseCommand(g, args)
	if err != nil {
		return exitCode(err, stderr)
	}
	if j.local != nil {
		return j.local(ctx, stdin, stdout, stderr)
	}
	dir, err := g.dir()
	if err != nil {
		return exitCode(err, stderr)
	}
	ws, err := minutes.Open(dir, minutes.Options{Name: g.name})
	if errors.Is(err, storage.ErrLocked) {
		return forward(dir, args, j, stdin, stdout, stderr, err)
	}
	if err != nil {
		return exitCode(err, stderr)
	}
	err = j.run(ctx, ws, stdin, stdout)
	if cerr := ws.Close(); err == nil {
		err = cerr
	}
	return exitCode(err, stderr)
}

func forward(dir string, args []string, j *job, stdin io.Reader, stdout, stderr io.Writer, lockErr error) int {
	req := controlRequest{Args: args}
	if j.readsStdin {
		b, err := io.ReadAll(stdin)
		if err != nil {
			return exitCode(fmt.Errorf("read stdin: %w", err), stderr)
		}
		req.Stdin = b
	}
	conn, err := net.DialTimeout("unix", filepath.Join(dir, controlSocket), 2*time.Second)
	if err != nil {
		return exitCode(fmt.Errorf("%w; and it does not answer on its control socket: %v", lockErr, err), stderr)
	}
	defer conn.Close()
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return exitCode(fmt.Errorf("send command to the running pwg: %w", err), stderr)
	}
	var rep controlReply
	if err := json.NewDecoder(conn).Decode(&rep); err != nil {
		return exitCode(fmt.Errorf("read reply of the running pwg: %w", err), stderr)
	}
	stdout.Write(rep.Stdout)
	io.WriteString(stderr, rep.Stderr)
	return rep.Code
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
	var out, errb bytes.Buffer
	code := func() int {
		cg := *g
		j, err := parseCommand(&cg, req.Args)
		if err != nil {
			return exitCode(err, &errb)
		}
		if j.local != nil {
			return exitCode(usageErr("this command cannot run while another pwg has the workspace open"), &errb)
		}
		return exitCode(j.run(ctx, ws, bytes.NewReader(req.Stdin), &out), &errb)
	}()
	_ = json.NewEncoder(conn).Encode(controlReply{Stdout: out.Bytes(), Stderr: errb.String(), Code: code})
}
