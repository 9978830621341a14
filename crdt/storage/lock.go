package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrLocked is returned by AcquireLock when another pwg process has the workspace open.
var ErrLocked = errors.New("workspace is open in another pwg")

// Lock is an exclusive advisory lock on <dir>/pwg.lock, held for the life
// of an open workspace: one writer per database.
type Lock struct{ f *os.File }

// AcquireLock takes the lock of dir, or fails with ErrLocked naming the pid
// of the pwg that holds it.
func AcquireLock(dir string) (*Lock, error) {
	path := filepath.Join(dir, "pwg.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		f.Close()
		pid := strings.TrimSpace(string(b))
		if _, perr := strconv.Atoi(pid); perr != nil {
			pid = "unknown"
		}
		return nil, fmt.Errorf("%w (pid %s): %s; close that pwg first, or choose another workspace with --workspace", ErrLocked, pid, dir)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &Lock{f: f}, nil
}

// Release gives the lock up; it may be called more than once.
func (l *Lock) Release() {
	if l == nil || l.f == nil {
		return
	}
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
	l.f = nil
}
