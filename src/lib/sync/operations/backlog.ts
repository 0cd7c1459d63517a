/** The product backlog: epics and user stories, their fields and their order. */
import { parseInput } from '../../domain/errors';
import { compareRanked, isValidRank, placeAt, rankAtEnd, type Ranked } from '../../domain/order';
import { Id, Points, type Epic, type Story } from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { setMembership } from '../codec';
import { storedMap, transact, type OpContext } from './context';
import { insertEntity, updateEntity } from './entities';
import { settleProposals } from './proposals';
import { clampPosition } from './tasks';

/** Creates an epic. */
export function createEpic(
	docs: BoardDocs,
	ctx: OpContext,
	input: { title: string; description?: string }
): Epic {
	return transact(docs.board, ctx, 'createEpic', () =>
		insertEntity(docs.collection('epics'), 'epics', { id: ctx.newId(), description: '', ...input })
	);
}

/**
 * Fields a person fills in when writing a story; everything else has its default, the story
 * docs/domain.md#kinds-of-work starts from (see createStory).
 */
export type StoryInput = Partial<Omit<Story, 'id' | 'rank' | 'createdAt'>> & { title: string };

/**
 * Creates a story at `position` of the backlog (default: the bottom). Defaults: finite, single
 * team, dev work, no SLA, no escalation.
 */
export function createStory(
	docs: BoardDocs,
	ctx: OpContext,
	input: StoryInput,
	position?: number
): Story {
	return transact(docs.board, ctx, 'createStory', () => {
		const stories = docs.collection('stories');
		const ordered = backlogOrder(docs);
		const placement =
			position === undefined
				? { rank: rankAtEnd(ordered), respaced: [] }
				: placeAt(ordered, clampPosition(position, ordered.length));
		const story = insertEntity(stories, 'stories', {
			id: ctx.newId(),
			asA: '',
			iWant: '',
			soThat: '',
			acceptanceCriteria: [],
			successMeasure: '',
			productOwnerIds: [],
			epicId: null,
			duration: 'finite',
			teaming: 'single',
			teamIds: [],
			workType: 'dev',
			sla: 'none',
			escalationAllowed: false,
			escalationTargetIds: [],
			estimates: {},
			createdAt: ctx.now(),
			...input,
			rank: placement.rank
		});
		applyRespacing(docs, placement.respaced);
		return story;
	});
}

/** Edits any story fields except its id, rank and creation time. */
export function editStory(
	docs: BoardDocs,
	ctx: OpContext,
	storyId: string,
	patch: Partial<Omit<Story, 'id' | 'rank' | 'createdAt'>>
): Story {
	return transact(docs.board, ctx, 'editStory', () =>
		updateEntity(docs.collection('stories'), 'stories', storyId, patch)
	);
}

/**
 * Makes `personId` the story's only Product Owner. Removes the owners this replica knows of, so
 * a concurrent assignment elsewhere survives next to this one and R3 reports the conflict.
 */
export function setProductOwner(
	docs: BoardDocs,
	ctx: OpContext,
	storyId: string,
	personId: string
): void {
	parseInput(Id, personId, 'Product Owner id');
	transact(docs.board, ctx, 'setProductOwner', () =>
		updateEntity(docs.collection('stories'), 'stories', storyId, { productOwnerIds: [personId] })
	);
}

/** Sets (or, with null, clears) one team's estimate of its portion of the story. */
export function setEstimate(
	docs: BoardDocs,
	ctx: OpContext,
	storyId: string,
	teamId: string,
	points: number | null
): void {
	parseInput(Id, teamId, 'team id');
	if (points !== null) parseInput(Points, points, 'estimate');
	transact(docs.board, ctx, 'setEstimate', () => {
		const story = storedMap(docs.collection('stories'), 'stories', storyId);
		setMembership(story, 'estimates', teamId, points !== null, points);
	});
}

/**
 * Moves a story to `position` (0 = top) of the backlog: a decision of whoever decides for it (A1),
 * which settles the moves proposed for it.
 */
export function moveStory(
	docs: BoardDocs,
	ctx: OpContext,
	storyId: string,
	position: number
): void {
	transact(docs.board, ctx, 'moveStory', () => {
		const story = storedMap(docs.collection('stories'), 'stories', storyId);
		const others = backlogOrder(docs).filter((s) => s.id !== storyId);
		const placement = placeAt(others, clampPosition(position, others.length));
		story.set('rank', placement.rank);
		applyRespacing(docs, placement.respaced);
		settleProposals(docs, storyId, (p) => p.kind === 'higher' || p.kind === 'lower');
	});
}

/** Story ids and ranks in backlog order, as this replica sees them. */
export function backlogOrder(docs: BoardDocs): Ranked[] {
	const ordered: Ranked[] = [];
	for (const [id, story] of docs.collection('stories')) {
		const rank = story.get('rank');
		// A malformed rank written by hand must not block everyone else's reordering.
		if (typeof rank === 'string' && isValidRank(rank)) ordered.push({ id, rank });
	}
	return ordered.sort(compareRanked);
}

function applyRespacing(docs: BoardDocs, respaced: readonly Ranked[]): void {
	const stories = docs.collection('stories');
	for (const { id, rank } of respaced) stories.get(id)?.set('rank', rank);
}
