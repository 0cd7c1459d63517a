/**
 * Small pure helpers the rule checks share: point sums, sprint states, refs, and the wording of
 * names, points, instants and durations in finding messages.
 */
import type { Finding, FindingSeverity, Ref, RefKind, RuleId } from '../../findings';
import type { Sprint } from '../../schema';
import type { RuleContext } from '../context';

/** The Finding schema caps refs; a huge sprint must not produce an invalid finding. */
const MAX_REFS = 100;
const MAX_MESSAGE = 2000;

/** Builds a finding, dropping duplicate refs and keeping it within the Finding schema's limits. */
export function finding(
	rule: RuleId,
	severity: FindingSeverity,
	message: string,
	refs: readonly Ref[]
): Finding {
	const seen = new Set<string>();
	const unique = refs.filter((r) => {
		const key = `${r.kind}:${r.id}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
	return {
		rule,
		severity,
		message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
		refs: unique.slice(0, MAX_REFS)
	};
}

/** Refs of one kind, sorted by id, so a finding's refs depend only on the data. */
export function refsOf(kind: RefKind, ids: Iterable<string>): Ref[] {
	return sortedUnique(ids).map((id) => ({ kind, id }));
}

export function sortedUnique(ids: Iterable<string>): string[] {
	const list = Array.isArray(ids) ? (ids as string[]) : [...ids];
	// Most lists hold zero or one id: skip the Set and the sort (this runs once per story).
	if (list.length < 2) return list.slice();
	return [...new Set(list)].sort(compareIds);
}

export function compareIds(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A record's own value for a key. Ids like "constructor" are legal, so a plain index would
 * find Object.prototype members instead of "no entry".
 */
export function own(record: Readonly<Record<string, number>>, key: string): number | undefined {
	return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function has(record: Readonly<Record<string, unknown>>, key: string): boolean {
	return Object.hasOwn(record, key);
}

/**
 * Sums points, rounded to a millionth: points may be fractional, and 0.1 + 0.2 must not exceed
 * a velocity of 0.3.
 */
export function sumPoints(values: Iterable<number>): number {
	let total = 0;
	for (const v of values) total += v;
	return Math.round(total * 1e6) / 1e6;
}

export function sumRecord(record: Readonly<Record<string, number>>): number {
	return sumPoints(Object.values(record));
}

/** Planned and active sprints still take commitments; closed ones are history. */
export function isOpen(sprint: Sprint): boolean {
	return sprint.state === 'planned' || sprint.state === 'active';
}

/** Whether the sprint commits the story or reserves unknown-work points for it. */
export function plansStory(sprint: Sprint, storyId: string): boolean {
	return has(sprint.commitments, storyId) || has(sprint.reserved, storyId);
}

/** Every story and work package a sprint plans, as refs (stories first, each sorted by id). */
export function sprintWorkRefs(sprint: Sprint): Ref[] {
	return [
		...refsOf('story', [...Object.keys(sprint.commitments), ...Object.keys(sprint.reserved)]),
		...refsOf('workPackage', Object.keys(sprint.knownWork))
	];
}

/** Points as a Scrum Master writes them: 21, 2.5 — never 2.5000000001. */
export function formatPoints(points: number): string {
	return String(Math.round(points * 100) / 100);
}

/** "A", "A and B", "A, B and C". */
export function listing(items: readonly string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A team's name for messages; a dangling id is shown as-is so the finding stays actionable. */
export function teamName(ctx: RuleContext, teamId: string): string {
	return ctx.team(teamId)?.name ?? `unknown team "${teamId}"`;
}

export function personName(ctx: RuleContext, personId: string): string {
	return ctx.person(personId)?.name ?? `unknown person "${personId}"`;
}

export function storyTitle(ctx: RuleContext, storyId: string): string {
	const story = ctx.story(storyId);
	return story ? `"${story.title}"` : `unknown story "${storyId}"`;
}

/** An instant as "2026-11-21 09:00 UTC": minutes are the finest grain an SLA talks about. */
export function formatInstant(iso: string): string {
	const ms = Date.parse(iso);
	if (Number.isNaN(ms)) return iso;
	return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const MINUTE = 60_000;

/**
 * A span as "1 d 2 h 5 min", rounded down to whole minutes (a deadline is never made to look
 * further away than it is); under a minute reads "less than a minute".
 */
export function formatDuration(ms: number): string {
	const minutes = Math.floor(Math.max(0, ms) / MINUTE);
	if (minutes === 0) return 'less than a minute';
	const days = Math.floor(minutes / (24 * 60));
	const hours = Math.floor((minutes % (24 * 60)) / 60);
	const rest = minutes % 60;
	const parts: string[] = [];
	if (days > 0) parts.push(`${days} d`);
	if (hours > 0) parts.push(`${hours} h`);
	if (rest > 0) parts.push(`${rest} min`);
	return parts.join(' ');
}
