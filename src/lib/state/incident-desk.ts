/**
 * What the incident screens read from a board, as plain functions over its state: where a work
 * package may be escalated (R7), how much of the sprint's reserved unknown-work budget it burns,
 * who is on the swarm now, and its timeline in names.
 */
import {
	escalationOptions,
	holdingStoryId,
	lookupIn,
	type EscalationOption
} from '../domain/escalation';
import type {
	Person,
	Severity,
	Sprint,
	Story,
	TimelineAction,
	WorkPackage
} from '../domain/schema';

/** Escalation targets split into those offered and those shown disabled with R7's reasons. */
export interface EscalationChoices {
	legal: EscalationOption[];
	refused: EscalationOption[];
}

/** Where `wp` may go now, from the story holding it. */
export function escalationChoices(
	wp: WorkPackage,
	stories: ReadonlyMap<string, Story>,
	sprints: ReadonlyMap<string, Sprint>
): EscalationChoices {
	const options = escalationOptions(wp, lookupIn({ stories, sprints }));
	return {
		legal: options.filter((o) => o.problems.length === 0),
		refused: options.filter((o) => o.problems.length > 0)
	};
}

/** Did a receiving team of `teamIds` get this work package, and has not resolved it yet? */
export function heldByTeams(
	wp: WorkPackage,
	story: (id: string) => Story | undefined,
	teamIds: readonly string[]
): boolean {
	const holding = holdingStoryId(wp);
	if (holding === wp.storyId || wp.status !== 'open') return false;
	return story(holding)?.teamIds.some((id) => teamIds.includes(id)) ?? false;
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
	action: TimelineAction;
}

/** The timeline as sentences with names, newest first. */
export function timelineLines(
	wp: WorkPackage,
	person: (id: string) => Person | undefined
): TimelineLine[] {
	return wp.timeline
		.map((entry) => ({
			at: entry.at,
			action: entry.action,
			who: entry.personId ? (person(entry.personId)?.name ?? 'Someone') : 'The board',
			text: entry.detail
				? `${ACTION_WORDS[entry.action]} ${entry.detail}`
				: ACTION_WORDS[entry.action]
		}))
		.reverse();
}

const SEVERITY_ORDER: Record<Severity, number> = {
	SEV1: 0,
	SEV2: 1,
	SEV3: 2,
	'non-production-defect': 3
};

/** Open work first, then by severity, then the nearest deadline, then the newest. */
export function incidentOrder(a: WorkPackage, b: WorkPackage): number {
	const open = Number(a.status !== 'open') - Number(b.status !== 'open');
	if (open) return open;
	const severity = (w: WorkPackage) => (w.severity ? SEVERITY_ORDER[w.severity] : 4);
	const bySeverity = severity(a) - severity(b);
	if (bySeverity) return bySeverity;
	const deadline = (w: WorkPackage) => (w.slaDeadline ? Date.parse(w.slaDeadline) : Infinity);
	const byDeadline = deadline(a) - deadline(b);
	if (byDeadline) return byDeadline;
	return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? -1 : 1;
}

export const SEVERITY_LABELS: Record<Severity, string> = {
	SEV1: 'SEV1 — critical',
	SEV2: 'SEV2 — major',
	SEV3: 'SEV3 — minor',
	'non-production-defect': 'Non-production defect'
};
