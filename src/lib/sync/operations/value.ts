/**
 * The evidence behind a story's value: readings of its success measure (observations), taken
 * after it is done and compared by the dashboard with the story's target. The target, its
 * direction and unit and the value estimate are story fields, edited with `editStory`.
 */
import { ScrumOpsError } from '../../domain/errors';
import type { Observation } from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { readStored, transact, type OpContext } from './context';
import { insertEntity } from './entities';

export interface ObservationInput {
	storyId: string;
	value: number;
	/** When it was observed; absent: now. */
	at?: string;
	note?: string;
}

/** Records a reading of the story's success measure, in the acting person's name. */
export function recordObservation(
	docs: BoardDocs,
	ctx: OpContext,
	input: ObservationInput
): Observation {
	return transact(docs.board, ctx, 'recordObservation', () => {
		readStored(docs.collection('stories'), 'stories', input.storyId);
		return insertEntity(docs.collection('observations'), 'observations', {
			id: ctx.newId(),
			storyId: input.storyId,
			at: input.at ?? ctx.now(),
			value: input.value,
			note: input.note ?? '',
			recordedBy: ctx.actorId
		});
	});
}

/** Removes a reading recorded by mistake. */
export function removeObservation(docs: BoardDocs, ctx: OpContext, observationId: string): void {
	transact(docs.board, ctx, 'removeObservation', () => {
		const observations = docs.collection('observations');
		if (!observations.has(observationId)) {
			throw new ScrumOpsError('This observation is no longer on the board.');
		}
		observations.delete(observationId);
	});
}
