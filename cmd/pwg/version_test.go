package main

import (
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// fyneAppValue reads key = value from FyneApp.toml (quotes removed).
func fyneAppValue(t *testing.T, toml, key string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\s*` + key + `\s*=\s*(.+?)\s*$`).FindStringSubmatch(toml)
	if m == nil {
		t.Fatalf("FyneApp.toml has no %s", key)
	}
	return strings.Trim(m[1], `"`)
}

// The version, the app id and the latest release are written in three
// places (FyneApp.toml for fyne package, this binary, the AppStream
// metainfo); they must agree, or the launcher, the software centre and
// pwg --version tell different stories.
func TestPackageMetadataAgrees(t *testing.T) {
	b, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	toml := string(b)
	if got := fyneAppValue(t, toml, "Version"); got != version {
		t.Errorf("FyneApp.toml Version %q, pwg --version says %q", got, version)
	}
	if got := fyneAppValue(t, toml, "Build"); got != fmt.Sprint(buildNumber) {
		t.Errorf("FyneApp.toml Build %s, pwg --version says %d", got, buildNumber)
	}
	if got := fyneAppValue(t, toml, "ID"); got != appID {
		t.Errorf("FyneApp.toml ID %q, the window's app id %q", got, appID)
	}
	for _, key := range []string{"Website", "GenericName", "Categories", "Comment", "Keywords"} {
		fyneAppValue(t, toml, key)
	}
	// AppStream: reverse-DNS, no '-' (D-Bus and the spec want '_' instead).
	if !regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){2,}$`).MatchString(appID) {
		t.Errorf("app id %q is not a reverse-DNS AppStream id", appID)
	}

	b, err = os.ReadFile("../../assets/linux/" + appID + ".metainfo.xml")
	if err != nil {
		t.Fatalf("no metainfo named after the app id: %v", err)
	}
	var meta struct {
		ID         string `xml:"id"`
		Launchable string `xml:"launchable"`
		Binary     string `xml:"provides>binary"`
		Releases   []struct {
			Version string `xml:"version,attr"`
		} `xml:"releases>release"`
	}
	if err := xml.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	if meta.ID != appID || meta.Launchable != appID+".desktop" || meta.Binary != "pwg" {
		t.Errorf("metainfo id %q, launchable %q, binary %q; want %s, %s.desktop, pwg", meta.ID, meta.Launchable, meta.Binary, appID, appID)
	}
	if len(meta.Releases) == 0 || meta.Releases[0].Version != version {
		t.Errorf("metainfo's latest release %v, want %s first", meta.Releases, version)
	}
}

func TestVersionFlag(t *testing.T) {
	want := "pwg " + version + fmt.Sprintf(" (build %d, commit ", buildNumber)
	for _, arg := range []string{"--version", "version"} {
		out, err := exec.Command(pwgBin, arg).Output()
		if err != nil {
			t.Fatalf("pwg %s: %v", arg, err)
		}
		// TestMain's go build is a development build.
		if got := string(out); !strings.HasPrefix(got, want) || !strings.Contains(got, "development build)\n") {
			t.Errorf("pwg %s = %q, want %q… development build)", arg, got, want)
		}
	}
}
