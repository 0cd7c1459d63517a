/**
 * Tasks live in their owning team's document (R11): a team writes only its own tasks document,
 * and every task records that team as its owner.
 */
import { ScrumOpsError, parseInput } from '../../domain/errors';
import { compareRanked, isValidRank, placeAt, rankAtEnd, type Ranked } from '../../domain/order';
import { schemaOf, type Task } from '../../domain/schema';
import { entityToYMap } from '../codec';
import { FIELD_KINDS } from '../layout';
import type { BoardDocs } from '../board-docs';
import { storedMap, transact, type OpContext } from './context';
import { updateEntity } from './entities';

export type TaskInput = Partial<
	Omit<Task, 'id' | 'owningTeamId' | 'rank' | 'createdAt' | 'createdBy'>
> & {
	title: string;
};

/** Adds one task owned by `teamId`, at the bottom of its column. */
export function addTask(docs: BoardDocs, ctx: OpContext, teamId: string, input: TaskInput): Task {
	return addTasks(docs, ctx, teamId, [input])[0]!;
}

/**
 * Adds several tasks owned by `teamId` in one transaction, in the given order. Every task is
 * checked before any is written: one bad title adds none of them.
 */
export function addTasks(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	inputs: readonly TaskInput[]
): Task[] {
	storedMap(docs.collection('teams'), 'teams', teamId);
	const columns = new Map<Task['status'], Ranked[]>();
	const tasks = inputs.map((input) => {
		const status = input.status ?? 'todo';
		let column = columns.get(status);
		if (!column) columns.set(status, (column = columnOrder(docs, teamId, status)));
		const task = parseInput(
			schemaOf('tasks'),
			{
				id: ctx.newId(),
				workPackageId: null,
				storyId: null,
				assigneeId: null,
				estimate: null,
				createdBy: ctx.actorId,
				createdAt: ctx.now(),
				...input,
				status,
				owningTeamId: teamId,
				rank: rankAtEnd(column)
			},
			'task'
		);
		column.push(task);
		return task;
	});
	transact(docs.team(teamId), ctx, 'addTasks', () => {
		const collection = docs.teamCollection(teamId, 'tasks');
		for (const task of tasks) collection.set(task.id, entityToYMap(task, FIELD_KINDS.tasks));
	});
	return tasks;
}

/** Moves a task to a status column (todo/doing/done), at `position` or the bottom. */
export function moveTask(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	taskId: string,
	status: Task['status'],
	position?: number
): void {
	transact(docs.team(teamId), ctx, status === 'done' ? 'completeTask' : 'moveTask', () => {
		const tasks = docs.teamCollection(teamId, 'tasks');
		storedMap(tasks, 'tasks', taskId);
		const column = columnOrder(docs, teamId, status).filter((t) => t.id !== taskId);
		const placement =
			position === undefined
				? { rank: rankAtEnd(column), respaced: [] }
				: placeAt(column, clampPosition(position, column.length));
		updateEntity(tasks, 'tasks', taskId, { status, rank: placement.rank });
		for (const { id, rank } of placement.respaced) tasks.get(id)?.set('rank', rank);
	});
}

/** Edits a task's title, assignee or estimate. */
export function editTask(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	taskId: string,
	patch: Partial<Pick<Task, 'title' | 'assigneeId' | 'estimate'>>
): Task {
	if ('owningTeamId' in patch) {
		throw new ScrumOpsError('A task keeps the team that created it; create a new task instead.');
	}
	return transact(docs.team(teamId), ctx, 'editTask', () =>
		updateEntity(docs.teamCollection(teamId, 'tasks'), 'tasks', taskId, patch)
	);
}

function columnOrder(docs: BoardDocs, teamId: string, status: Task['status']): Ranked[] {
	const column: Ranked[] = [];
	for (const [id, task] of docs.teamCollection(teamId, 'tasks')) {
		const rank = task.get('rank');
		if (task.get('status') === status && typeof rank === 'string' && isValidRank(rank)) {
			column.push({ id, rank });
		}
	}
	return column.sort(compareRanked);
}

/** A position within 0…length; refuses what is not a number. */
export function clampPosition(position: number, length: number): number {
	if (!Number.isFinite(position)) {
		throw new ScrumOpsError(`Invalid position ${position}: give a number from 0 to ${length}.`);
	}
	return Math.max(0, Math.min(length, Math.trunc(position)));
}
