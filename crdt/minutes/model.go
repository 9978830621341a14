package minutes

import "time"

// SchemaVersion is the version of the document schema this pwg writes. A
// document whose schema is newer opens read-only (see ErrNewerSchema).
const SchemaVersion = 1

// Kinds of documents kept in a workspace.
const (
	KindSeries  = "series"
	KindMeeting = "meeting"
)

// Section kinds of the agenda template. A kind tells the GUI which pane to
// show beside the notes; every section has notes text.
const (
	SectionNotes     = "notes"
	SectionIncidents = "incidents"
	SectionAlerts    = "alerts"
	SectionDashboard = "dashboard"
	SectionActions   = "actions"
	SectionSLO       = "slo"
	SectionCost      = "cost"
)

// SectionTemplate is one part of a series' agenda template.
type SectionTemplate struct {
	Key      string `json:"key"`
	Title    string `json:"title"`
	Kind     string `json:"kind"`
	Timebox  int    `json:"timebox"` // minutes
	Guidance string `json:"guidance,omitempty"`
}

// Member is a person of the team.
type Member struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Role     string `json:"role"` // role in the team: "SRE", "tech lead", "app engineer", "product owner"
	Required bool   `json:"required"`
	GitHub   string `json:"github,omitempty"`
}

// Meeting roles.
const (
	RoleFacilitator = "facilitator"
	RoleScribe      = "scribe"
	RoleAttendee    = "attendee"
)

// Attendee is a member's attendance at one meeting.
type Attendee struct {
	MemberID string `json:"memberId"`
	Name     string `json:"name"`
	Present  bool   `json:"present"`
	Role     string `json:"role"` // facilitator, scribe, attendee
}

// Section is one agenda section of a meeting with its notes.
type Section struct {
	Key      string `json:"key"`
	Title    string `json:"title"`
	Kind     string `json:"kind"`
	Timebox  int    `json:"timebox"`
	Guidance string `json:"guidance,omitempty"`
	Notes    string `json:"notes"`
}

// Action item statuses.
const (
	ActionOpen    = "open"
	ActionDone    = "done"
	ActionDropped = "dropped"
)

// ActionItem is a TODO of the team. Action items live in the series document
// so that closing one in any meeting closes it for the team, and an issue link
// written by one laptop reaches everyone.
type ActionItem struct {
	ID            string    `json:"id"`
	Title         string    `json:"title"`
	Owner         string    `json:"owner"`
	TargetDate    string    `json:"targetDate,omitempty"` // YYYY-MM-DD
	DoneCriteria  string    `json:"doneCriteria,omitempty"`
	Status        string    `json:"status"`
	OriginMeeting string    `json:"originMeeting"` // meeting document id
	OriginSection string    `json:"originSection,omitempty"`
	IssueURL      string    `json:"issueUrl,omitempty"`
	Created       time.Time `json:"created"`
}

// Alert review verdicts.
const (
	VerdictKeep     = "keep"
	VerdictTune     = "tune"
	VerdictDelete   = "delete"
	VerdictFixCause = "fix-root-cause"
)

// AlertReview is the review of one monitor's alerts of the period.
type AlertReview struct {
	ID          string `json:"id"`
	MonitorID   string `json:"monitorId"`
	MonitorName string `json:"monitorName"`
	Count       int    `json:"count"`
	Verdict     string `json:"verdict"`
	Note        string `json:"note,omitempty"`
	Link        string `json:"link,omitempty"`
	// Change is what the meeting changed in Mackerel, e.g. "warning 80 →
	// 90", "deleted", "muted"; next month's board compares the alerts
	// before and after it.
	Change string `json:"change,omitempty"`
}

// SLORow is one SLO under review. A row naming an SLI is computed from
// Mackerel (integrations/review); one without is typed by hand.
type SLORow struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Objective   string `json:"objective"`
	Actual      string `json:"actual"`
	Met         bool   `json:"met"`
	RevisitDate string `json:"revisitDate,omitempty"` // YYYY-MM-DD
	// SLI is "service: good / total" or "service: metric <= number".
	SLI    string `json:"sli,omitempty"`
	Window string `json:"window,omitempty"` // "28d"
	// Snapshot is the computed numbers at the meeting (review.Result as
	// JSON), so the minutes stay true offline and after export.
	Snapshot string `json:"snapshot,omitempty"`
}

// MetricNote is the team's knowledge about one graph of the PWG dashboard
// ("upper limit 1000 connections; alarming only above 800"). Notes live in
// the series document, keyed by the graph, so every meeting shows them.
type MetricNote struct {
	Key     string    `json:"key"`   // the graph (mackerel.GraphSpec.Key)
	Title   string    `json:"title"` // the graph's title when the note was written
	Note    string    `json:"note"`
	Author  string    `json:"author,omitempty"`
	Updated time.Time `json:"updated"`
}

// Attachment describes an image or graph snapshot of a meeting. Its bytes
// are a content-addressed blob (sha256 hex) in the workspace; notes refer to
// it as ![caption](pwg-blob:HASH).
type Attachment struct {
	Hash    string    `json:"hash"`
	Name    string    `json:"name"`
	Mime    string    `json:"mime"`
	Size    int       `json:"size"`
	Caption string    `json:"caption,omitempty"`
	Link    string    `json:"link,omitempty"`   // e.g. the graph in Mackerel
	Period  string    `json:"period,omitempty"` // e.g. "2026-10-24 – 2026-11-24"
	Added   time.Time `json:"added"`
}

// Link is a URL noted in a meeting.
type Link struct {
	URL   string `json:"url"`
	Title string `json:"title,omitempty"`
}

// MeetingInfo is a meeting as listed in its series.
type MeetingInfo struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Date  string `json:"date"` // YYYY-MM-DD
}
