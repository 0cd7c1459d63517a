/**
 * One sentence per figure of the measures, for a Scrum Master to read next to it. Keys are the
 * figure's path in the `measures()` answer (`*` for a severity, a work type, a team or a story).
 * The screens and docs/domain.md#measures say the same; this is the one source.
 */
export const MEASURE_DEFINITIONS = {
	period:
		'The whole days from "from" to "to", both included, read in the board\'s time zone (UTC unless the board names one).',
	'sla.*.resolved':
		'Work packages of this severity with an SLA deadline that were completed on a day of the period.',
	'sla.*.met': 'Of those, the ones completed on or before their deadline.',
	'sla.*.missed': 'Of those, the ones completed after their deadline.',
	'sla.*.compliance': 'Met divided by resolved; empty when none was resolved.',
	'sla.*.timeToResolveMinutes':
		"Minutes from a resolved work package's creation to its completion: mean, median and 90th percentile.",
	'sla.*.openBreached':
		'Work packages of this severity not done at the end of the period (or now, if sooner) whose deadline had passed by then.',
	'leadTimeDays.*':
		"Days from a story's creation to its first acceptance at a sprint review, for stories accepted in the period, by dev or ops work.",
	'throughput.acceptedStories': 'Stories first accepted at a sprint review during the period.',
	'throughput.perWeek': 'Accepted stories per seven days of the period.',
	'escalations.total': 'Escalation hops made during the period.',
	'escalations.byStory.*': 'Hops made during the period, by the story the work left.',
	'escalations.awayMinutes':
		'Minutes a hop made in the period stayed with the receiving story until it resolved its part (resolved hops only).',
	'escalations.awayMinutesByStory.*': 'The same, by the story the work left.',
	'escalations.stillAway': 'Hops made in the period that the receiving story has not resolved yet.',
	'sprints.*.committedPoints':
		'Points of the stories the sprint commits plus the points of its planned (known) work packages.',
	'sprints.*.reservedPoints':
		'Points the sprint reserves for unknown work, over all its recurring stories.',
	'sprints.*.acceptedPoints': "Committed points of the stories accepted at the sprint's review.",
	'sprints.*.unknownWorkPoints':
		'Points of unplanned work packages that arrived on a day of the sprint under a story it reserves points for.',
	'sprints.*.incidents':
		'Incidents (a severity or the category "incident") that arrived on a day of the sprint under a story or work package it plans.',
	'velocity.*':
		'Accepted points per closed sprint of the team, over its sprints that overlap the period.',
	'burndown.*':
		"Tasks of the team's active sprint left and done at the end of each day so far, known work (committed stories, planned work packages) apart from unknown work (work packages that arrived unplanned).",
	'reserve.uses.*':
		'Points reserved for unknown work under a recurring story, used by the work that arrived, and left.',
	'reserve.suggestions.*':
		"A reserve for the next sprint: the 80th percentile of the points the team's last six closed sprints used under the story, rounded up.",
	'balance.planned':
		"Dev and ops points planned in the period's sprints: committed ops or recurring stories, planned work packages and reserves are ops.",
	'balance.actual':
		"Dev and ops points delivered: accepted story points, plus points of planned or reserved-for work packages done by the sprint's end (ops).",
	'balance.targetOpsPercent':
		'The ops share of capacity the board aims at, in percent, give or take the tolerance.',
	'innovation.newWorkShare':
		'Share of planned points on new work: committed finite dev stories, out of everything planned.',
	'innovation.supportShare': 'Share of planned points on keeping the product running: the rest.',
	'innovation.trend':
		'Incidents (a production severity or the category "incident") and defects (non-production defects, bugs, defects) that arrived in each week of the period.',
	'innovation.experiments':
		'Experiments (stories driven by a hypothesis) still running at the end of the period, and those first accepted during it by their verdict: validated, invalidated, inconclusive, or awaiting one.',
	'value.current.measuredStories':
		'Finite stories done (first accepted at a review) by the end of the period that have a success target.',
	'value.current.observedStories':
		'Of those, the ones whose success measure was observed at least once by then.',
	'value.current.meetingTarget':
		'Of the observed ones, those whose latest observation reaches the target: at least it, or at most it, as the story says.',
	'value.current.attainment': 'Meeting target divided by observed; empty when none was observed.',
	'value.unrealized.openStories':
		'Finite stories created and not yet accepted by the end of the period.',
	'value.unrealized.totalEstimate':
		'The value estimates of the open stories that have one, added up, in value points.',
	'value.delivered':
		'Stories first accepted during the period that carry a value estimate, and their estimates added up.'
} as const satisfies Record<string, string>;

export type MeasureFigure = keyof typeof MEASURE_DEFINITIONS;
