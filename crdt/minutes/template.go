package minutes

// PWGTemplate is the agenda of a Performance Working Group meeting as the
// seeds run it: the eight parts, plus the review of earlier action items,
// SLO review and cost. Timeboxes are minutes of a 90-minute meeting.
func PWGTemplate() []SectionTemplate {
	return []SectionTemplate{
		{Key: "previous-actions", Title: "前回までのTODO確認 / Earlier action items", Kind: SectionActions, Timebox: 5,
			Guidance: "Open action items carried over from earlier meetings: done, still open, or dropped?"},
		{Key: "incidents", Title: "障害ふりかえり / Incident review", Kind: SectionIncidents, Timebox: 15,
			Guidance: "Recent incidents and postmortems; root-cause work not yet done."},
		{Key: "worklog", Title: "作業ログ / Non-routine work log", Kind: SectionNotes, Timebox: 10,
			Guidance: "Near misses, manual work, repeated work that is toil."},
		{Key: "alerts", Title: "アラート / Alert review", Kind: SectionAlerts, Timebox: 15,
			Guidance: "Each alert of the period: why it fired, is it noise, change a threshold or delete the monitor."},
		{Key: "dashboard", Title: "ダッシュボード / PWG dashboard", Kind: SectionDashboard, Timebox: 10,
			Guidance: "The PWG custom dashboard: graphs and annotations (releases, incidents, campaigns); what changed."},
		{Key: "slo", Title: "SLOレビュー / SLO review", Kind: SectionSLO, Timebox: 5,
			Guidance: "Is each SLO met? Revisit dates of SLO documents."},
		{Key: "cost", Title: "コスト / Cost", Kind: SectionCost, Timebox: 5,
			Guidance: "Infrastructure cost of the month and its trend."},
		{Key: "topics", Title: "今日話したいこと / Topics", Kind: SectionNotes, Timebox: 10,
			Guidance: "Topics people want to raise; write yours before the meeting."},
		{Key: "changes", Title: "今後の変化共有 / Upcoming changes", Kind: SectionNotes, Timebox: 5,
			Guidance: "Campaigns, infrastructure changes, EOLs."},
		{Key: "todos", Title: "出たTODOのIssue化 / TODOs to issues", Kind: SectionActions, Timebox: 5,
			Guidance: "Each TODO with an owner, a target date and done criteria."},
		{Key: "impressions", Title: "感想・雑談 / Impressions", Kind: SectionNotes, Timebox: 5,
			Guidance: "How was this meeting? The agenda itself evolves."},
	}
}
