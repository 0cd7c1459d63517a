/**
 * The evidence behind a story's value: readings of its success measure (observations), taken
 * after it is done and compared by the dashboard with the story's target. The target, its
 * direction and unit and the value estimate are story fields, edited with `editStory`.
 */
import type * as Y from 'yjs';
import { ScrumOpsError } from '../../domain/errors';
import type { Observation, Story, Verdict } from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { readStored, transact, type OpContext } from './context';
import { insertEntity, updateEntity } from './entities';

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

/**
 * Records what an experiment's evidence said, once the story was accepted at a review; null
 * withdraws the verdict.
 */
export function judgeExperiment(
	docs: BoardDocs,
	ctx: OpContext,
	storyId: string,
	verdict: Verdict | null,
	evidence: string
): Story {
	return transact(docs.board, ctx, 'judgeExperiment', () => {
		const story = readStored(docs.collection('stories'), 'stories', storyId);
		if (!story.experiment) {
			throw new ScrumOpsError(`"${story.title}" is not an experiment: mark it as one first.`);
		}
		const accepted = [...docs.collection('sprints').values()].some((sprint) => {
			const review = (sprint.get('reviews') as Y.Map<unknown> | undefined)?.get(storyId);
			return (review as { outcome?: unknown } | undefined)?.outcome === 'accepted';
		});
		if (verdict !== null && !accepted) {
			throw new ScrumOpsError(
				`"${story.title}" has not been accepted yet: judge the experiment once its sprint review accepted it.`
			);
		}
		if (verdict !== null && evidence.trim() === '') {
			throw new ScrumOpsError('Say what the evidence was: the measure read, what people did.');
		}
		return updateEntity(docs.collection('stories'), 'stories', storyId, { verdict, evidence });
	});
}
