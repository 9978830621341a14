package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version and buildNumber are pwg's release, as in FyneApp.toml (Version,
// Build) and the AppStream metainfo's latest release; a test keeps them equal.
const (
	version     = "0.1.0"
	buildNumber = 1
)

// wantsVersion reports whether the command line asks for the version.
func wantsVersion(args []string) bool {
	return len(args) == 1 && (args[0] == "--version" || args[0] == "-version" || args[0] == "version")
}

// versionText is "0.1.0 (build 1, commit 1a2b3c4d5e6f, 2026-11-30T03:04:05Z, release)":
// the commit and its time come from the build info that go build stamps
// from git (absent under go run or -buildvcs=false: "commit unknown").
func versionText() string {
	commit, when, dirty := "unknown", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
				if len(commit) > 12 {
					commit = commit[:12]
				}
			case "vcs.time":
				when = ", " + s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if dirty {
		commit += " with local changes"
	}
	kind := "development build"
	if releaseBuild {
		kind = "release"
	}
	return fmt.Sprintf("%s (build %d, commit %s%s, %s)", version, buildNumber, commit, when, kind)
}

func printVersion(out io.Writer) {
	fmt.Fprintf(out, "pwg %s\n%s %s/%s\n", versionText(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
