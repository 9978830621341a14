package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// errNoDisplay is why the window cannot open: exit code exitNoGUI.
var errNoDisplay = errors.New("no display to open the window on")

const displayHint = "run pwg in a desktop session, or use its commands (pwg help) and pwg serve for a headless peer"

// checkDisplay reports errNoDisplay on a Unix desktop without an X11 or
// Wayland display, before anything is opened or written (macOS and Windows
// always have one).
func checkDisplay() error {
	switch runtime.GOOS {
	case "darwin", "windows", "android", "ios", "js":
		return nil
	}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return fmt.Errorf("%w: DISPLAY and WAYLAND_DISPLAY are unset; %s", errNoDisplay, displayHint)
	}
	return nil
}

// displayPanic turns the panic of a window system that could not start
// (an unreachable DISPLAY: GLFW fails to initialise, then the first window
// panics) into an error; any other panic goes on.
func displayPanic(r any) error {
	s := fmt.Sprint(r)
	for _, k := range []string{"GLFW", "glfw", "display", "X11", "EGL", "GLX"} {
		if strings.Contains(s, k) {
			return fmt.Errorf("%w: the window system failed to start (%s); %s", errNoDisplay, s, displayHint)
		}
	}
	panic(r)
}
