/**
 * What happened on a board that people outside it want to hear about (outbound webhooks): an SLA
 * at risk or breached, a work package opened, escalated, returned or completed, an R1
 * over-commitment, a sprint closed. Read from the board's state and findings, never from a
 * stream of changes, so any replica reading the same state names the same occurrences with the
 * same ids: that id is what lets the server send each occurrence once, whichever instance reads
 * it and however often.
 */
import type { Finding } from './findings';
import type { BoardState } from './state';
import { AT_RISK_SHARE, durationText, readSla } from './sla';
import type { WorkPackage } from './schema';

export const BOARD_EVENT_TYPES = [
	'sla.at-risk',
	'sla.breached',
	'work-package.opened',
	'work-package.escalated',
	'work-package.returned',
	'work-package.completed',
	'sprint.over-committed',
	'sprint.closed'
] as const;

export type BoardEventType = (typeof BOARD_EVENT_TYPES)[number];

/** The objects an occurrence is about; absent ones are not involved. */
export interface BoardEventRefs {
	workPackageId?: string;
	storyId?: string;
	sprintId?: string;
	teamId?: string;
}

/** One occurrence of an event on a board. */
export interface BoardEvent {
	/** Deterministic: the same occurrence read twice, anywhere, has the same id. */
	id: string;
	type: BoardEventType;
	/** ISO instant at which it happened (for R1: when it was first read). */
	occurredAt: string;
	refs: BoardEventRefs;
	/** One line a chat shows as it is. */
	text: string;
}

/**
 * Every occurrence the board's state holds now (at `now`, ms since epoch): what happened to its
 * work packages and sprints, the SLAs at risk or breached now, and the R1 findings now.
 */
export function boardEvents(
	state: BoardState,
	findings: readonly Finding[],
	now: number
): BoardEvent[] {
	const events: BoardEvent[] = [];
	for (const wp of state.workPackages.values()) events.push(...workPackageEvents(state, wp, now));
	for (const sprint of state.sprints.values()) {
		if (sprint.state !== 'closed' || sprint.closedAt === null) continue;
		const team = state.teams.get(sprint.teamId);
		events.push({
			id: `sprint-closed:${sprint.id}:${sprint.closedAt}`,
			type: 'sprint.closed',
			occurredAt: sprint.closedAt,
			refs: { sprintId: sprint.id, teamId: sprint.teamId },
			text: `Sprint closed: ${chatSafe(sprint.name)}${team ? ` of ${chatSafe(team.name)}` : ''}.`
		});
	}
	for (const finding of findings) {
		if (finding.rule !== 'R1') continue;
		const sprintId = finding.refs.find((ref) => ref.kind === 'sprint')?.id;
		if (sprintId === undefined) continue;
		const teamId = finding.refs.find((ref) => ref.kind === 'team')?.id;
		events.push({
			// The sentence carries the numbers: another amount over velocity is another occurrence.
			id: `r1:${sprintId}:${fingerprint(finding.message)}`,
			type: 'sprint.over-committed',
			occurredAt: new Date(now).toISOString(),
			refs: { sprintId, ...(teamId === undefined ? {} : { teamId }) },
			text: `Over-commitment (R1): ${chatSafe(finding.message)}`
		});
	}
	return events;
}

function workPackageEvents(state: BoardState, wp: WorkPackage, now: number): BoardEvent[] {
	const refs = { workPackageId: wp.id, storyId: wp.storyId };
	const what = `${wp.severity && wp.severity !== 'non-production-defect' ? `${wp.severity} ` : ''}'${chatSafe(wp.title)}'`;
	const storyOf = (storyId: string) => {
		const story = state.stories.get(storyId);
		return chatSafe(story?.title ?? storyId);
	};
	const events: BoardEvent[] = [
		{
			id: `wp-opened:${wp.id}:${wp.createdAt}`,
			type: 'work-package.opened',
			occurredAt: wp.createdAt,
			refs,
			text: `Work package opened: ${what} on ${storyOf(wp.storyId)}.`
		}
	];
	for (const entry of wp.timeline) {
		if (entry.action !== 'reopened') continue;
		events.push({
			id: `wp-opened:${wp.id}:${entry.at}`,
			type: 'work-package.opened',
			occurredAt: entry.at,
			refs,
			text: `Work package reopened: ${what}.`
		});
	}
	for (const hop of wp.escalations) {
		events.push({
			id: `wp-escalated:${wp.id}:${hop.at}:${hop.toStoryId}`,
			type: 'work-package.escalated',
			occurredAt: hop.at,
			refs: { ...refs, storyId: hop.toStoryId },
			text: `Escalated: ${what} from ${storyOf(hop.fromStoryId)} to ${storyOf(hop.toStoryId)} — ${chatSafe(hop.reason)}`
		});
		if (hop.resolvedAt !== null) {
			events.push({
				id: `wp-returned:${wp.id}:${hop.resolvedAt}:${hop.toStoryId}`,
				type: 'work-package.returned',
				occurredAt: hop.resolvedAt,
				refs: { ...refs, storyId: hop.fromStoryId },
				text: `Returned: ${what} from ${storyOf(hop.toStoryId)} back to ${storyOf(hop.fromStoryId)}.`
			});
		}
	}
	if (wp.status === 'done' && wp.completedAt !== null) {
		events.push({
			id: `wp-completed:${wp.id}:${wp.completedAt}`,
			type: 'work-package.completed',
			occurredAt: wp.completedAt,
			refs,
			text: `Completed: ${what} on ${storyOf(wp.storyId)}.`
		});
	}
	const sla = readSla(wp, now);
	if (sla.deadline !== null && wp.slaDeadline !== null) {
		const window = sla.deadline - Date.parse(wp.createdAt);
		if (sla.state === 'at-risk') {
			events.push({
				id: `sla-at-risk:${wp.id}:${wp.slaDeadline}`,
				type: 'sla.at-risk',
				occurredAt: new Date(sla.deadline - window * AT_RISK_SHARE).toISOString(),
				refs,
				text: `SLA at risk: ${what} on ${storyOf(wp.storyId)} — ${durationText(sla.remainingMs ?? 0)} left.`
			});
		} else if (sla.state === 'breached') {
			events.push({
				id: `sla-breached:${wp.id}:${wp.slaDeadline}`,
				type: 'sla.breached',
				occurredAt: new Date(sla.deadline).toISOString(),
				refs,
				text: `SLA breached: ${what} on ${storyOf(wp.storyId)} — ${durationText(sla.remainingMs ?? 0)} past deadline.`
			});
		}
	}
	return events;
}

/**
 * Text people wrote, made safe for a chat line: `&`, `<` and `>` escaped as Slack asks, so a
 * title cannot mention @channel (`<!channel>`) or forge a link.
 */
function chatSafe(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A short, stable digest of `text` (FNV-1a, 32 bits, hex): not a secret, only a name. */
function fingerprint(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(16).padStart(8, '0');
}
