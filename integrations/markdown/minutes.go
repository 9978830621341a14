package markdown

import (
	"errors"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/review"
)

// Minutes is everything the exporter writes about one meeting.
type Minutes struct {
	Title    string
	Date     string // YYYY-MM-DD
	Location string
	// Series is the team or series name, written under the title when set.
	Series    string
	Attendees []minutes.Attendee
	// Members, when given, supply team roles for attendees and add members
	// missing from Attendees to the absent list.
	Members      []minutes.Member
	Sections     []minutes.Section
	AlertReviews []minutes.AlertReview
	SLOs         []minutes.SLORow
	// Carried are action items carried over from earlier meetings;
	// Actions those raised in this meeting.
	Carried     []minutes.ActionItem
	Actions     []minutes.ActionItem
	Attachments []minutes.Attachment
	// Cost is the cost review kept in the meeting, nil if none.
	Cost *review.CostReview
	// MetricNotes are the team's notes on the dashboard's graphs.
	MetricNotes []minutes.MetricNote
}

// BlobFunc returns the bytes of a blob by its hash, for example
// (*minutes.Workspace).Blob.
type BlobFunc func(hash string) (mime string, data []byte, err error)

// Options tune an export. The zero value is valid.
type Options struct {
	// Blobs fetches attachment bytes. Export uses it to check that each
	// image exists (a missing one is written as a note instead of a broken
	// link); WriteDir needs it to write the images. Nil in Export means
	// "assume every attachment is there".
	Blobs BlobFunc
	// Labels are the fixed words of the export; nil means English.
	Labels *Labels
}

// Labels are the fixed words the exporter writes around the minutes.
type Labels struct {
	Date, Location, Series, Attendees, Absent         string
	NoNotes                                           string
	AlertReview, Monitor, Alerts, Verdict, Note       string
	SLOs, SLO, Objective, Actual, Met, Revisit        string
	Yes, No                                           string
	Actions, Owner, Due, Issue, DoneCriteria, Dropped string
	Attachments, OpenInMackerel, MissingImage         string
	Verdicts                                          map[string]string
	Roles                                             map[string]string
	// Review are the words of the SLO, cost and graph-note blocks; nil
	// means EnglishReview.
	Review *ReviewLabels
}

// English are the default labels.
var English = Labels{
	Date: "Date", Location: "Location", Series: "Series", Attendees: "Attendees", Absent: "Absent",
	NoNotes:     "No notes.",
	AlertReview: "Alert review", Monitor: "Monitor", Alerts: "Alerts", Verdict: "Verdict", Note: "Note",
	SLOs: "SLOs", SLO: "SLO", Objective: "Objective", Actual: "Actual", Met: "Met", Revisit: "Revisit",
	Yes: "yes", No: "no",
	Actions: "Action items", Owner: "owner", Due: "due", Issue: "issue", DoneCriteria: "Done when", Dropped: "dropped",
	Attachments: "Attachments", OpenInMackerel: "Mackerel", MissingImage: "image not available",
	Verdicts: map[string]string{
		minutes.VerdictKeep: "keep", minutes.VerdictTune: "tune threshold",
		minutes.VerdictDelete: "delete monitor", minutes.VerdictFixCause: "fix root cause",
	},
	Roles: map[string]string{minutes.RoleFacilitator: "facilitator", minutes.RoleScribe: "scribe"},
}

// Japanese are labels for a Japanese wiki.
var Japanese = Labels{
	Date: "日付", Location: "場所", Series: "チーム", Attendees: "出席者", Absent: "欠席",
	NoNotes:     "記録なし。",
	AlertReview: "アラートレビュー", Monitor: "監視ルール", Alerts: "件数", Verdict: "判断", Note: "メモ",
	SLOs: "SLO", SLO: "SLO", Objective: "目標", Actual: "実績", Met: "達成", Revisit: "見直し日",
	Yes: "達成", No: "未達",
	Actions: "TODO", Owner: "担当", Due: "期限", Issue: "Issue", DoneCriteria: "完了条件", Dropped: "取り下げ",
	Attachments: "添付", OpenInMackerel: "Mackerel", MissingImage: "画像なし",
	Verdicts: map[string]string{
		minutes.VerdictKeep: "維持", minutes.VerdictTune: "閾値変更",
		minutes.VerdictDelete: "監視削除", minutes.VerdictFixCause: "根本対応",
	},
	Roles:  map[string]string{minutes.RoleFacilitator: "司会", minutes.RoleScribe: "書記"},
	Review: &JapaneseReview,
}

// ErrNoBlobs is returned by WriteDir when Options.Blobs is nil.
var ErrNoBlobs = errors.New("markdown: no blob source to read images from")
