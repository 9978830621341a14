// Package crashlog keeps a record of pwg's crashes in its workspace.
//
// Go cannot recover a panic in another goroutine, and a crash of the C code
// under cgo (Automerge, GLFW) is no panic at all; either way the runtime
// prints the error and every goroutine's stack, then exits. A desktop app
// started from a launcher has no terminal to print to, so the process that
// owns a workspace arms the runtime ([debug.SetCrashOutput]) to write that
// output also into a pending file of its own in the workspace
// (.crash-pending-<pid>), after a short header (version, platform, start
// time). A clean exit removes the file: call the disarm func only on a
// normal return, never from a deferred call that also runs while a panic
// unwinds (the runtime prints the panic after the deferred calls ran).
//
// The next process that owns the workspace collects the pending files: one
// that holds more than the header becomes crash-<time>.log with passwords,
// tokens and keys removed ([Redact]); a header-only file (the process was
// killed, or the machine lost power) is no crash and is removed.
//
// The package has no GUI: cmd/pwg tells the user, on the command line or in
// a dialog.
package crashlog

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// PendingPrefix starts the name of the file in the workspace that the
// runtime writes a crash into while a process owns the workspace; the
// process id follows. It does not match crash-*.log.
const PendingPrefix = ".crash-pending-"

// marker ends the header of a pending file; what follows it is the
// runtime's crash output.
const marker = "--- crash output ---\n"

// reportTime names report files: sortable and valid on every file system.
const reportTime = "20060102-150405"

var (
	armMu  sync.Mutex
	armGen int // which Arm call the runtime's crash output belongs to
)

// PendingPath is the pending file of the process with the given id.
func PendingPath(dir string, pid int) string {
	return filepath.Join(dir, PendingPrefix+strconv.Itoa(pid))
}

// Arm makes the runtime write this process's crash output (an unrecovered
// panic in any goroutine, a fatal error, a crash in C code) into dir's
// pending file of this process, after a header with the given version
// text. The caller must own the workspace (hold its lock), and should call
// [Collect] first. The returned disarm undoes it and removes the file; call
// it on a clean exit only (see the package doc).
func Arm(dir, version string) (disarm func(), err error) {
	path := PendingPath(dir, os.Getpid())
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("crash reports: %w", err)
	}
	defer f.Close() // SetCrashOutput keeps its own duplicate
	header := fmt.Sprintf("pwg crash report\nversion: %s\nplatform: %s/%s, %s\nstarted: %s\npid: %d\n%s",
		version, runtime.GOOS, runtime.GOARCH, runtime.Version(),
		time.Now().UTC().Format(time.RFC3339), os.Getpid(), marker)
	if _, err := f.WriteString(header); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("crash reports: %w", err)
	}
	armMu.Lock()
	defer armMu.Unlock()
	if err := debug.SetCrashOutput(f, debug.CrashOptions{}); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("crash reports: %w", err)
	}
	armGen++
	gen := armGen
	var once sync.Once
	return func() {
		once.Do(func() {
			armMu.Lock()
			defer armMu.Unlock()
			if armGen == gen { // not re-armed (for another workspace) since
				_ = debug.SetCrashOutput(nil, debug.CrashOptions{})
				os.Remove(path)
			}
		})
	}, nil
}

// Pending lists the pending files in dir that other processes left.
func Pending(dir string) []string {
	paths, _ := filepath.Glob(filepath.Join(dir, PendingPrefix+"*"))
	own := PendingPath(dir, os.Getpid())
	var out []string
	for _, p := range paths {
		if p != own {
			out = append(out, p)
		}
	}
	return out
}

// Collect turns the crashes left in dir's pending files by earlier
// processes into reports, crash-<time>.log (mode 0600), with [Redact]
// applied and the given secrets removed as well. It returns the paths of
// the new reports, oldest first. The caller must own the workspace, so that
// no other process is writing a pending file.
func Collect(dir string, secrets ...string) ([]string, error) {
	var reports []string
	var errs []error
	for _, p := range Pending(dir) {
		report, err := collectOne(p, dir, secrets)
		if err != nil {
			errs = append(errs, err)
		}
		if report != "" {
			reports = append(reports, report)
		}
	}
	sort.Strings(reports)
	return reports, errors.Join(errs...)
}

func collectOne(path, dir string, secrets []string) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("crash reports: %w", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("crash reports: %w", err)
	}
	header, output, ok := bytes.Cut(b, []byte(marker))
	if !ok || len(bytes.TrimSpace(output)) == 0 {
		// Killed, or the power went: nothing was written after the header.
		return "", removeIfExists(path)
	}
	crashed := st.ModTime().UTC() // the runtime's last write
	var buf bytes.Buffer
	buf.Write(header)
	fmt.Fprintf(&buf, "crashed: %s\n%s", crashed.Format(time.RFC3339), marker)
	buf.WriteString(Redact(string(output), secrets...))
	report, err := newReportFile(dir, crashed)
	if err != nil {
		return "", err
	}
	if _, err := report.Write(buf.Bytes()); err != nil {
		report.Close()
		os.Remove(report.Name())
		return "", fmt.Errorf("crash reports: %w", err)
	}
	if err := report.Close(); err != nil {
		os.Remove(report.Name())
		return "", fmt.Errorf("crash reports: %w", err)
	}
	// Only now: a failure above leaves the pending file for the next start.
	return report.Name(), removeIfExists(path)
}

// newReportFile creates crash-<time>.log in dir, or crash-<time>-N.log when
// a report of that second exists already.
func newReportFile(dir string, t time.Time) (*os.File, error) {
	base := "crash-" + t.Format(reportTime)
	for n := 1; ; n++ {
		name := base + ".log"
		if n > 1 {
			name = fmt.Sprintf("%s-%d.log", base, n)
		}
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if errors.Is(err, fs.ErrExist) && n < 100 {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("crash reports: %w", err)
		}
		return f, nil
	}
}

// Reports lists the crash reports in dir, oldest first.
func Reports(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "crash-*.log"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	return paths, nil
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("crash reports: %w", err)
	}
	return nil
}

// Summary is the first line of a report's crash output (for example
// "panic: runtime error: index out of range [3] with length 3"), or "" if
// the report cannot be read.
func Summary(report string) string {
	b, err := os.ReadFile(report)
	if err != nil {
		return ""
	}
	_, output, _ := bytes.Cut(b, []byte(marker))
	for _, line := range strings.Split(string(output), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return line
		}
	}
	return ""
}
