package docid_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pwg-team/pwg/crdt/docid"
)

func TestRoundTrip(t *testing.T) {
	raw := [16]byte{1, 2, 3, 4, 5, 6, 0x40, 8, 0x80, 10, 11, 12, 13, 14, 15, 16}
	id := docid.Encode(raw)
	got, err := docid.Decode(id)
	if err != nil || got != raw {
		t.Fatalf("Decode(Encode(raw)) = %x, %v", got, err)
	}
	n := docid.New()
	if !docid.Valid(n) || n == docid.New() {
		t.Fatalf("New gave %q: invalid or not random", n)
	}
	if r, _ := docid.Decode(n); r[6]>>4 != 4 || r[8]>>6 != 2 {
		t.Fatalf("New is not a UUIDv4: %x", r)
	}
}

// An id known from automerge-repo (the JS implementation) decodes.
func TestAutomergeRepoID(t *testing.T) {
	// the id in automerge-repo's README example of a URL
	if !docid.Valid("4NMNnkMhL8jXrdJ9jamS58PAVdXu") {
		t.Fatal("automerge-repo's example id refused")
	}
}

func TestBadIDs(t *testing.T) {
	good := docid.Encode([16]byte{9, 9, 9, 9, 9, 9, 0x40, 9, 0x80})
	flipped := []byte(good)
	flipped[3] ^= 1
	for _, id := range []string{"", "0OIl", string(flipped), good + "1", strings.Repeat("2", 41)} {
		if _, err := docid.Decode(id); !errors.Is(err, docid.ErrBad) {
			t.Errorf("Decode(%q) = %v, want ErrBad", id, err)
		}
	}
}
