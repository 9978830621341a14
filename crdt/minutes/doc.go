// Package minutes is the domain of pwg: a team's production-readiness
// meetings kept as Automerge documents, and the Workspace that the app and
// the commands open.
//
// A team is a series document (KindSeries): its name, its agenda template,
// its members, the list of its meetings and its action items (kept in the
// series so that closing one in any meeting closes it for the team). Each
// meeting is a document of its own (KindMeeting): title, date, location,
// the agenda sections with their notes (Automerge text), attendance, alert
// reviews, SLO rows, attachments and links. A new meeting copies the
// series' template, lists every member as an attendee and carries the open
// action items over for review.
//
// Agenda sections are ordered by a fractional "order" so that concurrent
// moves merge; a removed section is marked, never deleted, and can be
// restored. Values are read through small typed accessors that read a
// missing or mistyped value as its zero value: a document edited by another
// Automerge tool never panics pwg. History lists who changed a section's
// notes and what, from the authors recorded in each change.
//
// A Workspace is a folder: one SQLite database (crdt/storage) locked for
// one process, the loaded documents (crdt/docs), this device's actor id and
// this person's id and display name. Meeting.Section gives an editor
// binding (crdt/textsync) a versioned splice target for one section's notes.
package minutes
