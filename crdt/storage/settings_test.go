package storage_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/pwg-team/pwg/crdt/storage"
)

func TestSettingsUnsetReadEmptyAndPersist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pwg.db")
	st, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s := st.Settings()
	if v, err := s.CurrentTeam(); err != nil || v != "" {
		t.Fatalf("unset CurrentTeam = %q, %v; want \"\", nil", v, err)
	}
	if v, err := s.ManualPeers(); err != nil || v != nil {
		t.Fatalf("unset ManualPeers = %q, %v", v, err)
	}
	if err := s.SetTeamKey("T1", "abcd"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetManualPeers([]string{"10.0.0.1:7415", " ", "host:1"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetGitHub(storage.GitHub{Repo: "o/r", Labels: "a,b"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st, err = storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s = st.Settings()
	if k, _ := s.TeamKey("T1"); k != "abcd" {
		t.Fatalf("TeamKey after reopen = %q", k)
	}
	if k, _ := s.TeamKey("T2"); k != "" {
		t.Fatalf("another team's key = %q, want none", k)
	}
	if p, _ := s.ManualPeers(); !slices.Equal(p, []string{"10.0.0.1:7415", "host:1"}) {
		t.Fatalf("ManualPeers = %q", p)
	}
	if g, _ := s.GitHub(); g.Repo != "o/r" || g.Labels != "a,b" || g.BaseURL != "" {
		t.Fatalf("GitHub = %+v", g)
	}
}
