// Package markdown exports the minutes of one meeting as GitHub-flavoured
// Markdown, with the pictures of the meeting in an images/ folder beside it.
//
// The exporter works on a plain Minutes value, so it does not depend on how
// documents are loaded. The output is, in this order:
//
//   - "# Title", then a list with the date, the location, the attendees with
//     their meeting role (facilitator, scribe) and team role, and who was
//     absent;
//   - every agenda section in order as "## Section title" followed by its
//     notes exactly as written (notes are Markdown);
//   - in the alert-review section, a table of the reviewed monitors; in the
//     SLO section, a table of the SLOs with their revisit dates; in the
//     action-item section, a task list ("- [ ]" / "- [x]") with owner,
//     target date, issue link and done criteria (with two action
//     sections, items carried over from earlier meetings go to the first and
//     items raised in this meeting to the last). When the agenda has no
//     section of that kind the block gets its own section at the end;
//   - attachments not referenced from the notes (pinned graphs, pasted
//     images) as figures in the dashboard section, or in an "Attachments"
//     section at the end.
//
// Notes refer to attachments as ![caption](pwg-blob:HASH). The exporter
// rewrites each such reference to images/<first 12 hex digits of HASH>-<name>.<ext>;
// a reference standing alone on its line becomes a figure: the image, then a
// caption line with the period and a link to the graph in Mackerel. A
// reference inside fenced code or a code span is left as written.
//
// Structured fields (titles, names, captions, owners) are plain text and are
// escaped; table cells also have pipes escaped and line breaks turned into
// <br>. Only http and https URLs become links.
//
// The output is deterministic: the same Minutes produce byte-identical
// Markdown. Slices are written in the order given, except attachments listed
// as figures, which are ordered by time added, then hash.
package markdown
