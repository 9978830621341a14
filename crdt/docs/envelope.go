package docs

import "github.com/automerge/automerge-go"

// SchemaVersion is the version of the document schema this pwg writes. A
// document whose schema is newer opens read-only (storage.ErrNewerSchema).
const SchemaVersion = 1

// Every document's root holds its envelope: "schema" (SchemaVersion when
// written), "kind" and "id". Create writes it; loading and merging read it.

// Envelope reads a document's kind and schema version from its root (the
// domain's accessors, which read a missing or mistyped value as empty).
type Envelope func(d *automerge.Doc) (kind string, schema int64)
