// Package issues turns the team's open action items into tracker issues,
// exactly once, even when two laptops export at the same moment.
//
// A Tracker is the small interface a tracker implements (GitHub now, GitLab
// can follow); GitHub implements it with go-github against github.com or a
// GitHub Enterprise base URL. An Exporter plans and runs the export.
//
// # Exactly once
//
// Every issue pwg creates carries, on the last line of its body, the hidden
// marker
//
//	<!-- pwg:ITEM-ID -->
//
// The protocol, for each open action item without an issue URL:
//
//  1. Scan: read the repository's whole issue list (open and closed),
//     newest first. The list is consistent: an issue whose creation
//     returned is always in it. GitHub's search index lags behind creation
//     by seconds to minutes, so search is not used. The scan also records
//     the highest issue number seen.
//  2. If issues with the item's marker exist, the lowest-numbered one is the
//     item's issue: link it (write its URL into the action item) instead of
//     creating. Open marked issues with higher numbers are duplicates and
//     are closed (a "Duplicate of #N" comment, then closed as not planned).
//  3. Otherwise create the issue, then scan again the issues newer than the
//     highest number of step 1. If another exporter created one for the
//     same item in between, both now see both issues, and every exporter
//     keeps the lowest-numbered: the exporter whose issue is not the lowest
//     closes its own as a duplicate and links the lowest. Issue numbers only
//     grow, so an exporter that saw no lower-numbered marked issue after its
//     own creation returned can never be contradicted later.
//  4. Write the URL into the action item (LinkWriter, i.e.
//     minutes.Series.SetIssueURL). It syncs to every laptop, so later exports
//     skip the item.
//
// Each step is one API call that either happened or did not, so a crash or
// an error leaves nothing half written: an issue created but not yet linked
// is found by its marker on the next run and linked; a duplicate left open
// by a crashed exporter is closed by the next run's scan.
//
// # Errors
//
// A bad token (ErrUnauthorized), a missing repository (ErrNotFound), a
// rejected issue (ErrValidation, with the tracker's field errors) and a rate
// limit (a *RateLimitError, errors.Is ErrRateLimited, with the time to retry)
// are reported per item. After a rate limit or a bad token the remaining
// items are not tried and carry the same error; running again resumes.
package issues
