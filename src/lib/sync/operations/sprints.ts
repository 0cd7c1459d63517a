/** Sprint planning, review and closing with carry-over (R10). */
import * as Y from 'yjs';
import { ScrumOpsError, parseInput } from '../../domain/errors';
import { storiesWithOpenWork } from '../../domain/escalation';
import { Id, Points, Sprint, type Review } from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { setMembership } from '../codec';
import { readStored, storedMap, transact, type OpContext } from './context';
import { insertEntity, updateEntity } from './entities';
import { recordAcceptance } from './done';
import { settleProposals } from './proposals';

export interface SprintInput {
	teamId: string;
	name: string;
	goal?: string;
	start: string;
	end: string;
}

/** Plans a new sprint for a team. */
export function planSprint(docs: BoardDocs, ctx: OpContext, input: SprintInput): Sprint {
	if (input.end < input.start) {
		throw new ScrumOpsError(
			`Invalid sprint: it ends (${input.end}) before it starts (${input.start}); pick an end day on or after the start.`
		);
	}
	return transact(docs.board, ctx, 'planSprint', () => {
		storedMap(docs.collection('teams'), 'teams', input.teamId);
		return insertEntity(docs.collection('sprints'), 'sprints', {
			id: ctx.newId(),
			goal: '',
			state: 'planned',
			commitments: {},
			knownWork: {},
			reserved: {},
			reviews: {},
			closedAt: null,
			...input
		});
	});
}

/** What may change of a planned or active sprint: its name, dates and goal. */
export interface SprintPatch {
	name?: string;
	start?: string;
	end?: string;
	goal?: string;
}

const SprintPatch = Sprint.pick({ name: true, start: true, end: true, goal: true })
	.partial()
	.strict();

/**
 * Edits a sprint's name, dates or goal. Only the given fields are written, so one person moving
 * the dates and another rewording the goal both keep their change. A closed sprint is history
 * and stays as it was; an end day before the start day is refused.
 */
export function editSprint(
	docs: BoardDocs,
	ctx: OpContext,
	sprintId: string,
	patch: SprintPatch
): Sprint {
	const edit = parseInput(SprintPatch, patch, 'sprint edit');
	return transact(docs.board, ctx, 'editSprint', () => {
		const sprint = readStored(docs.collection('sprints'), 'sprints', sprintId);
		if (sprint.state === 'closed') {
			throw new ScrumOpsError(
				`Sprint "${sprint.name}" is closed; its dates and goal are kept as they were. Edit an open sprint.`
			);
		}
		const start = edit.start ?? sprint.start;
		const end = edit.end ?? sprint.end;
		if (end < start) {
			throw new ScrumOpsError(
				`Invalid dates for sprint "${sprint.name}": it would end (${end}) before it starts (${start}); pick an end day on or after the start.`
			);
		}
		return updateEntity(docs.collection('sprints'), 'sprints', sprintId, edit);
	});
}

/** Starts a planned sprint. */
export function startSprint(docs: BoardDocs, ctx: OpContext, sprintId: string): Sprint {
	return transact(docs.board, ctx, 'startSprint', () => {
		const sprint = readStored(docs.collection('sprints'), 'sprints', sprintId);
		if (sprint.state !== 'planned') {
			throw new ScrumOpsError(
				`Sprint "${sprint.name}" is ${sprint.state}; only a planned sprint can start.`
			);
		}
		return updateEntity(docs.collection('sprints'), 'sprints', sprintId, { state: 'active' });
	});
}

/** Commits a story to a sprint with the team's points for it (R1 counts them). */
export function commitStory(
	docs: BoardDocs,
	ctx: OpContext,
	sprintId: string,
	storyId: string,
	points: number
): void {
	setSprintEntry(docs, ctx, 'commitStory', sprintId, 'commitments', storyId, points);
}

/** Takes a story out of a sprint. */
export function uncommitStory(
	docs: BoardDocs,
	ctx: OpContext,
	sprintId: string,
	storyId: string
): void {
	setSprintEntry(docs, ctx, 'uncommitStory', sprintId, 'commitments', storyId, null);
}

/** Reserves points of a sprint for a recurring story's unknown work; 0 or null removes it. */
export function reserveUnknownWork(
	docs: BoardDocs,
	ctx: OpContext,
	sprintId: string,
	storyId: string,
	points: number | null
): void {
	const story = readStored(docs.collection('stories'), 'stories', storyId);
	if (points && story.duration !== 'recurring') {
		throw new ScrumOpsError(
			`"${story.title}" is a finite story; unknown work is reserved only for recurring stories. Make it recurring first.`
		);
	}
	setSprintEntry(docs, ctx, 'reserveUnknownWork', sprintId, 'reserved', storyId, points || null);
}

/** Plans a known work package into a sprint with its points; null removes it. */
export function planKnownWork(
	docs: BoardDocs,
	ctx: OpContext,
	sprintId: string,
	workPackageId: string,
	points: number | null
): void {
	storedMap(docs.collection('workPackages'), 'workPackages', workPackageId);
	setSprintEntry(docs, ctx, 'planKnownWork', sprintId, 'knownWork', workPackageId, points);
}

function setSprintEntry(
	docs: BoardDocs,
	ctx: OpContext,
	intent: string,
	sprintId: string,
	field: 'commitments' | 'reserved' | 'knownWork',
	key: string,
	points: number | null
): void {
	parseInput(Id, key, 'id');
	if (points !== null) parseInput(Points, points, 'points');
	transact(docs.board, ctx, intent, () => {
		if (field !== 'knownWork') storedMap(docs.collection('stories'), 'stories', key);
		const sprint = storedMap(docs.collection('sprints'), 'sprints', sprintId);
		if (sprint.get('state') === 'closed') {
			throw new ScrumOpsError(
				`Sprint "${String(sprint.get('name'))}" is closed; plan into an open sprint.`
			);
		}
		setMembership(sprint, field, key, points !== null, points);
	});
}

/**
 * Records the Product Owner's review of a story in a sprint: accepted or rejected for a finite
 * story, a periodic note for a recurring one. It settles the outcomes proposed for that review.
 */
export function reviewStory(
	docs: BoardDocs,
	ctx: OpContext,
	sprintId: string,
	storyId: string,
	outcome: Review['outcome'],
	note = ''
): void {
	const story = readStored(docs.collection('stories'), 'stories', storyId);
	if (story.duration === 'recurring' && outcome !== 'noted') {
		throw new ScrumOpsError(
			`"${story.title}" is recurring: it is reviewed with a periodic note, not accepted or rejected.`
		);
	}
	if (story.duration === 'finite' && outcome === 'noted') {
		throw new ScrumOpsError(`"${story.title}" is finite: accept or reject it.`);
	}
	transact(docs.board, ctx, 'reviewStory', () => {
		const sprint = readStored(docs.collection('sprints'), 'sprints', sprintId);
		if (!(storyId in sprint.commitments) && !(storyId in sprint.reserved)) {
			throw new ScrumOpsError(`"${story.title}" is not planned in sprint "${sprint.name}".`);
		}
		const review: Review = { outcome, note, byPersonId: ctx.actorId, at: ctx.now() };
		updateEntity(docs.collection('sprints'), 'sprints', sprintId, {
			reviews: { ...sprint.reviews, [storyId]: review }
		});
		settleProposals(docs, storyId, (p) => p.sprintId === sprintId);
		if (outcome === 'accepted') recordAcceptance(docs, ctx, story);
	});
}

export interface CarryOver {
	nextSprintId: string | null;
	/** Recurring stories with open work planned into the next sprint. */
	carriedStoryIds: string[];
	/** Unfinished known work packages planned into the next sprint. */
	carriedWorkPackageIds: string[];
	/** Finite stories not accepted: back in the backlog. */
	returnedStoryIds: string[];
}

/**
 * Closes a sprint in one transaction (R10): unfinished work of recurring stories moves to the
 * team's next open sprint (the earliest one starting after this one, unless `nextSprintId` names
 * another), and finite stories the Product Owner did not accept return to the backlog.
 */
export function closeSprint(
	docs: BoardDocs,
	ctx: OpContext,
	sprintId: string,
	nextSprintId?: string
): CarryOver {
	return transact(docs.board, ctx, 'closeSprint', () => {
		const sprints = docs.collection('sprints');
		const sprint = readStored(sprints, 'sprints', sprintId);
		if (sprint.state === 'closed')
			throw new ScrumOpsError(`Sprint "${sprint.name}" is already closed.`);
		const next = nextSprintId
			? readStored(sprints, 'sprints', nextSprintId)
			: nextOpenSprint(docs, sprint);
		if (
			next &&
			(next.id === sprint.id ||
				next.teamId !== sprint.teamId ||
				next.state === 'closed' ||
				next.start <= sprint.start)
		) {
			throw new ScrumOpsError(
				`Sprint "${next.name}" cannot take the carry-over: pick an open sprint of the same team that starts after ${sprint.start}.`
			);
		}
		const openWork = openWorkPackages(docs);
		const carry: CarryOver = {
			nextSprintId: next?.id ?? null,
			carriedStoryIds: [],
			carriedWorkPackageIds: [],
			returnedStoryIds: []
		};
		const nextMap = next ? storedMap(sprints, 'sprints', next.id) : null;
		for (const storyId of Object.keys({ ...sprint.commitments, ...sprint.reserved }).sort()) {
			const story = docs.collection('stories').get(storyId);
			if (!story) continue;
			if (story.get('duration') === 'recurring') {
				if (!openWork.byStory.has(storyId) || !nextMap) continue;
				carryEntry(nextMap, 'commitments', storyId, sprint.commitments[storyId]);
				carryEntry(nextMap, 'reserved', storyId, sprint.reserved[storyId]);
				carry.carriedStoryIds.push(storyId);
			} else if (sprint.reviews[storyId]?.outcome !== 'accepted') {
				carry.returnedStoryIds.push(storyId);
			}
		}
		for (const [wpId, points] of Object.entries(sprint.knownWork).sort(([a], [b]) =>
			a < b ? -1 : 1
		)) {
			if (!openWork.ids.has(wpId) || !nextMap) continue;
			carryEntry(nextMap, 'knownWork', wpId, points);
			carry.carriedWorkPackageIds.push(wpId);
		}
		updateEntity(sprints, 'sprints', sprintId, { state: 'closed', closedAt: ctx.now() });
		return carry;
	});
}

/** Copies a planned entry into the next sprint unless that sprint already plans it. */
function carryEntry(
	next: Y.Map<unknown>,
	field: 'commitments' | 'reserved' | 'knownWork',
	key: string,
	points: number | undefined
): void {
	if (points === undefined) return;
	const entries = next.get(field);
	if (entries instanceof Y.Map && entries.has(key)) return;
	setMembership(next, field, key, true, points);
}

function nextOpenSprint(docs: BoardDocs, sprint: Sprint): Sprint | null {
	let best: Sprint | null = null;
	for (const id of docs.collection('sprints').keys()) {
		if (id === sprint.id) continue;
		const candidate = readStored(docs.collection('sprints'), 'sprints', id);
		if (candidate.teamId !== sprint.teamId || candidate.state === 'closed') continue;
		if (candidate.start <= sprint.start) continue;
		if (
			!best ||
			candidate.start < best.start ||
			(candidate.start === best.start && candidate.id < best.id)
		) {
			best = candidate;
		}
	}
	return best;
}

/** Open work packages, and the stories they are unfinished business of (escalations included). */
function openWorkPackages(docs: BoardDocs): { ids: Set<string>; byStory: Set<string> } {
	const ids = new Set<string>();
	const byStory = new Set<string>();
	const workPackages = docs.collection('workPackages');
	for (const [id, map] of workPackages) {
		if (map.get('status') !== 'open') continue;
		const wp = readStored(workPackages, 'workPackages', id);
		ids.add(id);
		for (const storyId of storiesWithOpenWork(wp)) byStory.add(storyId);
	}
	return { ids, byStory };
}
