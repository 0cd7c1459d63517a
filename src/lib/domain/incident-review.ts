/**
 * The post-incident review as the swarm and the board see it: which incidents need one, when it
 * is due (R19), who marks it done, and the timeline it starts from. Pure: the operations, the
 * views and the rule read these once.
 */
import { isTeamMember } from './assignees';
import { timelineLines } from './incidents';
import {
	DEFAULT_REVIEW_DUE_DAYS,
	type Board,
	type IncidentReview,
	type Person,
	type Severity,
	type Team,
	type WorkPackage
} from './schema';

const DAY = 24 * 60 * 60 * 1000;

/** Severities whose incidents must have a finished review (R19). */
export const REVIEW_REQUIRED_SEVERITIES: readonly Severity[] = ['SEV1', 'SEV2'];

/** A SEV1 or SEV2 work package of category `incident` needs a review; any other may have one. */
export function reviewRequired(wp: WorkPackage): boolean {
	return (
		wp.category === 'incident' &&
		wp.severity !== null &&
		REVIEW_REQUIRED_SEVERITIES.includes(wp.severity)
	);
}

/**
 * Where a work package's review stands:
 * - `done`: marked done;
 * - `not-required`: no review is asked for (not a SEV1/SEV2 incident, or not completed yet);
 * - `due`: required, completed, not done yet, still within the days the board allows;
 * - `overdue`: past that, by `daysOverdue` (a started day counts as a day).
 */
export type ReviewStatus =
	| { readonly state: 'done'; readonly doneAt: string; readonly doneBy: string | null }
	| { readonly state: 'not-required' }
	| { readonly state: 'due'; readonly dueAt: number }
	| { readonly state: 'overdue'; readonly dueAt: number; readonly daysOverdue: number };

/** The review's status at `now` (ms), with the board's `reviewDueDays`. */
export function reviewStatus(
	wp: WorkPackage,
	review: IncidentReview | undefined,
	now: number,
	dueDays: number = DEFAULT_REVIEW_DUE_DAYS
): ReviewStatus {
	if (review?.doneAt) return { state: 'done', doneAt: review.doneAt, doneBy: review.doneBy };
	if (!reviewRequired(wp) || wp.status !== 'done' || wp.completedAt === null) {
		return { state: 'not-required' };
	}
	const dueAt = Date.parse(wp.completedAt) + dueDays * DAY;
	if (now <= dueAt) return { state: 'due', dueAt };
	return { state: 'overdue', dueAt, daysOverdue: Math.ceil((now - dueAt) / DAY) };
}

/** The board's days to finish a review; the default before the board has loaded. */
export function reviewDueDaysOf(board: Board | null): number {
	return board?.reviewDueDays ?? DEFAULT_REVIEW_DUE_DAYS;
}

/**
 * May `personId` mark the review done or reopen it? The incident commander; when nobody
 * commands it, anyone in a team of someone on the swarm, or, with nobody on the swarm either, in
 * one of the work package's teams (`wpTeamIds`).
 */
export function mayFinishReview(
	wp: WorkPackage,
	personId: string | null,
	teams: Iterable<Team>,
	wpTeamIds: readonly string[]
): boolean {
	if (personId === null) return false;
	if (wp.commanderId !== null) return wp.commanderId === personId;
	const all = [...teams];
	const swarmTeams = all.filter((team) => wp.swarm.some((id) => isTeamMember(team, id)));
	const deciding = swarmTeams.length > 0 ? swarmTeams : all.filter((t) => wpTeamIds.includes(t.id));
	return deciding.some((team) => isTeamMember(team, personId));
}

/** Who may mark the review done, in words, for the refusal and the page. */
export function reviewDecidersText(wp: WorkPackage, nameOf: (id: string) => string): string {
	return wp.commanderId !== null
		? `its incident commander, ${nameOf(wp.commanderId)}`
		: "someone in the swarm's teams";
}

/** One prefilled row: when, and the sentence. */
export interface PrefillRow {
	at: string;
	text: string;
}

/**
 * The rows a new review's timeline starts with: the work package's timeline and its status
 * updates, oldest first, in the sentences the incident page uses ("Cleo posted an update: …").
 */
export function prefillTimeline(
	wp: WorkPackage,
	person: (id: string) => Person | undefined
): PrefillRow[] {
	return timelineLines(wp, person)
		.reverse()
		.map((line) => ({ at: line.at, text: `${line.who} ${line.text}`.slice(0, 1000) }));
}

/** Rows in the order a review shows them: by time, then by id. */
export function byTime<T extends { at: string; id: string }>(a: T, b: T): number {
	const byAt = Date.parse(a.at) - Date.parse(b.at);
	return byAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
