package main

import (
	"os/exec"
	"syscall"
)

// maxRSSKiB is the peak resident memory of an exited process.
func maxRSSKiB(ee *exec.ExitError) (int64, bool) {
	ru, ok := ee.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, false
	}
	return ru.Maxrss, true
}
