/**
 * Incidents as people on call see them: which comes first (open before resolved, the most severe,
 * then the nearest SLA deadline), which open incidents belong to a team, who is on the swarm, and
 * what happened to a work package, in sentences with names. The incident desk and the standup
 * list incidents in this one order.
 */
import { storiesWithOpenWork } from './escalation';
import type {
	Comment,
	IncidentState,
	Person,
	Severity,
	Sprint,
	Story,
	TimelineAction,
	WorkPackage
} from './schema';
import { readSla, type SlaReading } from './sla';

const SEVERITY_RANK: Record<Severity, number> = {
	SEV1: 0,
	SEV2: 1,
	SEV3: 2,
	'non-production-defect': 3
};

/** Most severe first: SEV1 is 0, a non-production defect 3, work without a severity 4. */
export function severityRank(severity: Severity | null): number {
	return severity ? SEVERITY_RANK[severity] : 4;
}

/** What a severity is called on screen. */
export const SEVERITY_LABELS: Record<Severity, string> = {
	SEV1: 'SEV1 — critical',
	SEV2: 'SEV2 — major',
	SEV3: 'SEV3 — minor',
	'non-production-defect': 'Non-production defect'
};

/** Open work first, then by severity, then the nearest deadline, then the newest, then by id. */
export function incidentOrder(a: WorkPackage, b: WorkPackage): number {
	const open = Number(a.status !== 'open') - Number(b.status !== 'open');
	if (open) return open;
	const bySeverity = severityRank(a.severity) - severityRank(b.severity);
	if (bySeverity) return bySeverity;
	const deadline = (w: WorkPackage) => (w.slaDeadline ? Date.parse(w.slaDeadline) : Infinity);
	const byDeadline = deadline(a) - deadline(b);
	if (byDeadline) return byDeadline;
	return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? -1 : 1;
}

/** An open incident of a team, with its SLA clock read at the same instant for everyone. */
export interface TeamIncident {
	workPackage: WorkPackage;
	sla: SlaReading;
}

/** Stories a team works on: it participates in them, or one of its open sprints plans them. */
export function storiesOfTeam(
	teamId: string,
	stories: Iterable<Story>,
	sprints: Iterable<Sprint>
): Set<string> {
	const ids = new Set<string>();
	for (const story of stories) if (story.teamIds.includes(teamId)) ids.add(story.id);
	for (const sprint of sprints) {
		if (sprint.teamId !== teamId || sprint.state === 'closed') continue;
		for (const id of Object.keys(sprint.commitments)) ids.add(id);
		for (const id of Object.keys(sprint.reserved)) ids.add(id);
	}
	return ids;
}

/**
 * The team's open incidents (category `incident`, or any work package with a severity) whose
 * origin or current holder is one of its stories, in incident order (`incidentOrder`).
 */
export function openIncidentsOf(
	teamId: string,
	board: {
		stories: Iterable<Story>;
		sprints: Iterable<Sprint>;
		workPackages: Iterable<WorkPackage>;
	},
	now: number
): TeamIncident[] {
	const ours = storiesOfTeam(teamId, board.stories, board.sprints);
	const incidents: TeamIncident[] = [];
	for (const wp of board.workPackages) {
		if (wp.status !== 'open' || (wp.category !== 'incident' && wp.severity === null)) continue;
		if (!storiesWithOpenWork(wp).some((id) => ours.has(id))) continue;
		incidents.push({ workPackage: wp, sla: readSla(wp, now) });
	}
	return incidents.sort((a, b) => incidentOrder(a.workPackage, b.workPackage));
}

export interface SwarmMember {
	personId: string;
	name: string;
	/** On the board right now (presence), not only listed on the swarm. */
	here: boolean;
}

/** The swarm of `wp` by name, who is here now first. */
export function swarmRoster(
	wp: WorkPackage,
	person: (id: string) => Person | undefined,
	presentIds: ReadonlySet<string>
): SwarmMember[] {
	return wp.swarm
		.map((personId) => ({
			personId,
			name: person(personId)?.name ?? 'Someone who left',
			here: presentIds.has(personId)
		}))
		.sort((a, b) => Number(b.here) - Number(a.here) || a.name.localeCompare(b.name));
}

const ACTION_WORDS: Record<TimelineAction, string> = {
	created: 'opened it',
	severity: 'set the severity to',
	joined: 'joined the swarm',
	left: 'left the swarm',
	escalated: 'escalated it',
	returned: 'resolved their part; it came back',
	'task-added': 'added tasks:',
	completed: 'completed it',
	reopened: 'reopened it'
};

export interface TimelineLine {
	at: string;
	who: string;
	text: string;
	action: TimelineAction | 'commented' | 'status' | 'alert-resolved';
	/** For a comment: its id, so the line can link to it. */
	commentId?: string;
}

/** How an incident's state reads, in status updates and on the timeline. */
export const INCIDENT_STATE_LABELS: Readonly<Record<IncidentState, string>> = {
	investigating: 'Investigating',
	identified: 'Identified',
	monitoring: 'Monitoring',
	resolved: 'Resolved'
};

/**
 * Who runs an incident and where it stands, in one line for the lists that show the swarm (the
 * incident desk, the standup): "Commander: Cleo · Comms: Dev · Identified"; null when it has no
 * roles and no status yet.
 */
export function incidentRunBy(
	wp: WorkPackage,
	nameOf: (personId: string) => string
): string | null {
	const parts: string[] = [];
	if (wp.commanderId) parts.push(`Commander: ${nameOf(wp.commanderId)}`);
	if (wp.commsLeadId) parts.push(`Comms: ${nameOf(wp.commsLeadId)}`);
	const latest = wp.statusUpdates.at(-1);
	if (latest) parts.push(INCIDENT_STATE_LABELS[latest.state]);
	return parts.length > 0 ? parts.join(' · ') : null;
}

/** Longest part of a comment a timeline line quotes. */
const QUOTE = 120;

/**
 * The timeline as sentences with names, newest first. The work package's comments (withdrawn
 * ones left out) join it in time order: the timeline is what happened, and what was said.
 */
export function timelineLines(
	wp: WorkPackage,
	person: (id: string) => Person | undefined,
	comments: Iterable<Comment> = []
): TimelineLine[] {
	const who = (id: string | null) => (id ? (person(id)?.name ?? 'Someone') : 'The board');
	const lines: TimelineLine[] = wp.timeline.map((entry) => ({
		at: entry.at,
		action: entry.action,
		who: who(entry.personId),
		text: entry.detail
			? `${ACTION_WORDS[entry.action]} ${entry.detail}`
			: ACTION_WORDS[entry.action]
	}));
	const said: TimelineLine[] = [];
	for (const c of comments) {
		if (c.targetKind !== 'workPackage' || c.targetId !== wp.id || c.deletedAt !== null) continue;
		const text = c.body.replace(/\s+/g, ' ').trim();
		said.push({
			at: c.createdAt,
			action: 'commented',
			who: who(c.authorId),
			text: `${c.parentId ? 'replied' : 'commented'}: "${text.length > QUOTE ? `${text.slice(0, QUOTE - 1)}…` : text}"`,
			commentId: c.id
		});
	}
	// Alertmanager's word that the alert is over (contract 2.4 keeps it on the work package).
	if (wp.alert?.resolvedAt) {
		said.push({
			at: wp.alert.resolvedAt,
			action: 'alert-resolved',
			who: 'Alertmanager',
			text: 'says the alert resolved'
		});
	}
	wp.statusUpdates.forEach((update) => {
		said.push({
			at: update.at,
			action: 'status',
			who: who(update.personId),
			text: `posted an update: ${INCIDENT_STATE_LABELS[update.state]}: ${update.text}`
		});
	});
	if (said.length === 0) return lines.reverse();
	said.sort((a, b) =>
		a.at < b.at
			? -1
			: a.at > b.at
				? 1
				: (a.commentId ?? '') < (b.commentId ?? '')
					? -1
					: (a.commentId ?? '') > (b.commentId ?? '')
						? 1
						: 0
	);
	// Both are in time order (the timeline is appended to): merge, the timeline first on a tie.
	const merged: TimelineLine[] = [];
	let i = 0;
	let j = 0;
	while (i < lines.length || j < said.length) {
		const line = lines[i];
		const comment = said[j];
		if (
			comment === undefined ||
			(line !== undefined && Date.parse(line.at) <= Date.parse(comment.at))
		) {
			merged.push(line!);
			i++;
		} else {
			merged.push(comment);
			j++;
		}
	}
	return merged.reverse();
}

/**
 * What the alert behind a work package says now, in a line: "Firing: DiskFull on db-1 (+2 more)",
 * or "Resolved"; null for work people opened.
 */
export function alertSummary(wp: WorkPackage): string | null {
	const alert = wp.alert;
	if (!alert) return null;
	if (alert.resolvedAt !== null) return 'Alert resolved';
	const more = alert.firingCount - alert.firing.length;
	const names = alert.firing.join(', ');
	return `Firing: ${names || `${alert.firingCount} alerts`}${more > 0 && names ? ` (+${more} more)` : ''}`;
}
