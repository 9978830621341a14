package minutes

import (
	"encoding/binary"
	"fmt"
	"hash"
	"hash/fnv"
	"slices"

	"github.com/automerge/automerge-go"
)

// metaDigest digests everything of a meeting but its section notes and its
// attachments' bytes (docs.Kind.Meta): when a merge leaves it unchanged,
// only notes changed, and the change event says so (docs.Event.Meta), so
// the window does not re-read the header, attendance and agenda.
func metaDigest(d *automerge.Doc) uint64 {
	h := fnv.New64a()
	digestMap(h, d.RootMap(), "")
	return h.Sum64()
}

func digestMap(h hash.Hash64, m *automerge.Map, path string) {
	keys, err := m.Keys()
	if err != nil {
		return
	}
	slices.Sort(keys)
	for _, k := range keys {
		p := path + "/" + k
		if skipDigest(path, k) {
			continue
		}
		v, err := m.Get(k)
		if err != nil || v == nil {
			continue
		}
		h.Write([]byte(p))
		digestValue(h, v, p)
	}
}

// skipDigest leaves out what change events report otherwise: the notes of
// a section (sections/KEY/notes) and an attachment's bytes, which never
// change under their hash (attachments/HASH/data).
func skipDigest(parent, key string) bool {
	dir, _ := splitParent(parent)
	return (dir == "/sections" && key == "notes") || (dir == "/attachments" && key == "data")
}

// splitParent returns the path above the last element, and that element.
func splitParent(p string) (string, string) {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[:i], p[i+1:]
		}
	}
	return "", p
}

func digestValue(h hash.Hash64, v *automerge.Value, path string) {
	var n [8]byte
	switch v.Kind() {
	case automerge.KindMap:
		digestMap(h, v.Map(), path)
	case automerge.KindList:
		vals, err := v.List().Values()
		if err != nil {
			return
		}
		for i, x := range vals {
			binary.LittleEndian.PutUint64(n[:], uint64(i))
			h.Write(n[:])
			digestValue(h, x, path)
		}
	case automerge.KindText:
		s, _ := v.Text().Get()
		h.Write([]byte(s))
	case automerge.KindBytes:
		h.Write(v.Bytes())
	case automerge.KindCounter:
		c, _ := v.Counter().Get()
		binary.LittleEndian.PutUint64(n[:], uint64(c))
		h.Write(n[:])
	default:
		fmt.Fprint(h, v.Kind(), v.Interface())
	}
}
