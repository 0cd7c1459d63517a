/**
 * The Definition of Done: its criteria (board-wide, or for a team or a kind of work), ticked per
 * story by its teams, and recorded as they read when the story is first accepted (R16).
 */
import { criteriaFor } from '../../domain/done';
import { parseInput, ScrumOpsError } from '../../domain/errors';
import {
	DoneTick,
	Id,
	type DoneChecklist,
	type DoneCriterion,
	type Story
} from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { setMembership } from '../codec';
import { readStored, storedMap, transact, type OpContext } from './context';
import { insertEntity, updateEntity } from './entities';

export interface DoneCriterionInput {
	text: string;
	/** Only this team's stories; absent or null: every team. */
	teamId?: string | null;
	/** Only dev or ops work; absent or null: both. */
	workType?: Story['workType'] | null;
}

/** Adds a criterion to the Definition of Done. */
export function addDoneCriterion(
	docs: BoardDocs,
	ctx: OpContext,
	input: DoneCriterionInput
): DoneCriterion {
	return transact(docs.board, ctx, 'addDoneCriterion', () => {
		const teamId = input.teamId ?? null;
		if (teamId !== null) readStored(docs.collection('teams'), 'teams', teamId);
		return insertEntity(docs.collection('doneCriteria'), 'doneCriteria', {
			id: ctx.newId(),
			text: input.text,
			teamId,
			workType: input.workType ?? null,
			createdBy: ctx.actorId,
			createdAt: ctx.now(),
			retiredAt: null
		});
	});
}

/** Rewords a criterion; stories already accepted keep the words they were accepted against. */
export function rewordDoneCriterion(
	docs: BoardDocs,
	ctx: OpContext,
	criterionId: string,
	text: string
): DoneCriterion {
	return transact(docs.board, ctx, 'rewordDoneCriterion', () =>
		updateEntity(docs.collection('doneCriteria'), 'doneCriteria', criterionId, { text })
	);
}

/** Retires a criterion: it stops applying to stories not yet accepted. */
export function retireDoneCriterion(docs: BoardDocs, ctx: OpContext, criterionId: string): void {
	transact(docs.board, ctx, 'retireDoneCriterion', () => {
		const criterion = readStored(docs.collection('doneCriteria'), 'doneCriteria', criterionId);
		if (criterion.retiredAt !== null) return;
		updateEntity(docs.collection('doneCriteria'), 'doneCriteria', criterionId, {
			retiredAt: ctx.now()
		});
	});
}

/** Ticks (or unticks) one criterion of the story's Definition of Done. */
export function setDoneTick(
	docs: BoardDocs,
	ctx: OpContext,
	storyId: string,
	criterionId: string,
	ticked: boolean
): void {
	parseInput(Id, criterionId, 'criterion id');
	transact(docs.board, ctx, ticked ? 'tickDone' : 'untickDone', () => {
		readStored(docs.collection('stories'), 'stories', storyId);
		const criterion = readStored(docs.collection('doneCriteria'), 'doneCriteria', criterionId);
		const checklist = checklistOf(docs, storyId);
		if (ticked && checklist.acceptedAt === null && criterion.retiredAt !== null) {
			throw new ScrumOpsError(`"${criterion.text}" is retired: it no longer applies.`);
		}
		const tick = parseInput(DoneTick, { at: ctx.now(), by: ctx.actorId }, 'tick');
		const map = storedMap(docs.collection('doneChecklists'), 'doneChecklists', storyId);
		setMembership(map, 'ticks', criterionId, ticked, tick);
	});
}

/**
 * Records the criteria the story is accepted against, as they read now, at its first
 * acceptance. Call inside the transaction that accepts it.
 */
export function recordAcceptance(docs: BoardDocs, ctx: OpContext, story: Story): void {
	const checklist = checklistOf(docs, story.id);
	if (checklist.acceptedAt !== null) return;
	const criteria: DoneCriterion[] = [];
	for (const id of docs.collection('doneCriteria').keys()) {
		// A criterion damaged in storage holds nobody's acceptance back: it is left out.
		try {
			criteria.push(readStored(docs.collection('doneCriteria'), 'doneCriteria', id));
		} catch (error) {
			if (!(error instanceof ScrumOpsError)) throw error;
		}
	}
	updateEntity(docs.collection('doneChecklists'), 'doneChecklists', story.id, {
		acceptedAgainst: criteriaFor(story, criteria).map(({ id, text }) => ({ id, text })),
		acceptedAt: ctx.now()
	});
}

/** The story's checklist, written empty first if it has none yet. Inside a transaction. */
function checklistOf(docs: BoardDocs, storyId: string): DoneChecklist {
	const checklists = docs.collection('doneChecklists');
	if (checklists.has(storyId)) return readStored(checklists, 'doneChecklists', storyId);
	return insertEntity(checklists, 'doneChecklists', {
		id: storyId,
		ticks: {},
		acceptedAgainst: [],
		acceptedAt: null
	});
}
