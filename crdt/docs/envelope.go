package docs

import "github.com/automerge/automerge-go"

// SchemaVersion is the version of the document schema this pwg writes. A
// document whose schema is newer opens read-only (storage.ErrNewerSchema).
const SchemaVersion = 1

// Every document's root holds its envelope: "schema" (SchemaVersion when
// written), "kind" and "id". Create writes it; loading and merging read it.

// rootString reads a string (or text) at the document's root; "" if absent
// or of another type.
func rootString(d *automerge.Doc, key string) string {
	v, err := d.RootMap().Get(key)
	if err != nil || v == nil {
		return ""
	}
	switch v.Kind() {
	case automerge.KindStr:
		return v.Str()
	case automerge.KindText:
		s, _ := v.Text().Get()
		return s
	}
	return ""
}

// rootInt reads a number at the document's root; 0 if absent or not a number.
func rootInt(d *automerge.Doc, key string) int64 {
	v, err := d.RootMap().Get(key)
	if err != nil || v == nil {
		return 0
	}
	switch v.Kind() {
	case automerge.KindInt64:
		return v.Int64()
	case automerge.KindUint64:
		return int64(v.Uint64())
	case automerge.KindFloat64:
		return int64(v.Float64())
	}
	return 0
}
