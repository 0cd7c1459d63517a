/** Daily Standup entries, impediments and retrospective items. */
import type { Impediment, RetroItem, StandupEntry } from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { transact, type OpContext } from './context';
import { insertEntity, updateEntity } from './entities';

/** Records one person's standup: done, next, impediments. */
export function addStandupEntry(
	docs: BoardDocs,
	ctx: OpContext,
	input: Omit<StandupEntry, 'id' | 'round'> & { round?: string | null }
): StandupEntry {
	return transact(docs.board, ctx, 'addStandupEntry', () =>
		insertEntity(docs.collection('standups'), 'standups', {
			id: ctx.newId(),
			round: null,
			...input
		})
	);
}

/**
 * Records what one person says in a standup, or leaves for it before (`round` null): the entry
 * (D6.10), and each impediment, one per line, raised for the team (D6.11), naming the other teams
 * it blocks. The board's form and the REST API both write through this.
 */
export function recordStandup(
	docs: BoardDocs,
	ctx: OpContext,
	input: Omit<StandupEntry, 'id' | 'round'> & { round?: string | null; blocks?: string[] }
): { entry: StandupEntry; impediments: Impediment[] } {
	const { blocks = [], ...said } = input;
	const lines = said.impediments
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean);
	return transact(docs.board, ctx, 'recordStandup', () => {
		const entry = addStandupEntry(docs, ctx, {
			...said,
			done: said.done.trim(),
			next: said.next.trim(),
			impediments: lines.join('\n')
		});
		const impediments = lines.map((title) =>
			raiseImpediment(docs, ctx, {
				teamId: said.teamId,
				sprintId: said.sprintId,
				title: title.slice(0, 200),
				affectedTeamIds: blocks
			})
		);
		return { entry, impediments };
	});
}

/** Raises an impediment for a team, optionally naming other teams it blocks. */
export function raiseImpediment(
	docs: BoardDocs,
	ctx: OpContext,
	input: {
		teamId: string;
		title: string;
		sprintId?: string | null;
		affectedTeamIds?: string[];
		description?: string;
	}
): Impediment {
	return transact(docs.board, ctx, 'raiseImpediment', () =>
		insertEntity(docs.collection('impediments'), 'impediments', {
			id: ctx.newId(),
			sprintId: null,
			affectedTeamIds: [],
			raisedBy: ctx.actorId,
			status: 'open',
			createdAt: ctx.now(),
			...input
		})
	);
}

/** Marks an impediment resolved. */
export function resolveImpediment(docs: BoardDocs, ctx: OpContext, impedimentId: string): void {
	transact(docs.board, ctx, 'resolveImpediment', () =>
		updateEntity(docs.collection('impediments'), 'impediments', impedimentId, {
			status: 'resolved'
		})
	);
}

/** Adds a retrospective item. */
export function addRetroItem(
	docs: BoardDocs,
	ctx: OpContext,
	input: Pick<RetroItem, 'teamId' | 'sprintId' | 'kind' | 'text'> &
		Partial<Omit<RetroItem, 'id' | 'personId'>>
): RetroItem {
	return transact(docs.board, ctx, 'addRetroItem', () =>
		insertEntity(docs.collection('retro'), 'retro', {
			id: ctx.newId(),
			personId: ctx.actorId,
			...input
		})
	);
}
