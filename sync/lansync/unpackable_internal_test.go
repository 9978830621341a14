package lansync

import (
	"testing"

	"github.com/pwg-team/pwg/crdt/docid"
)

// A peer answering pwg-sync-unpackable for documents this session is not
// syncing (a share-link peer may name any id, 500 times a second) leaves
// nothing behind: the session kept every id for as long as it lasted.
func TestUnpackableForUnknownDocumentsKeepsNothing(t *testing.T) {
	s := &session{docs: map[string]*docSync{}, noDict: map[string]bool{}}
	for i := 0; i < 1000; i++ {
		if err := s.onUnpackable(docid.New()); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.noDict) != 0 {
		t.Fatalf("%d document ids remembered for answers about documents not synced", len(s.noDict))
	}
}
