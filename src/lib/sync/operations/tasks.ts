/**
 * Tasks live in their owning team's document (R11): a team writes only its own tasks document,
 * and every task records that team as its owner.
 */
import { ScrumOpsError } from '../../domain/errors';
import { compareRanked, placeAt, rankAtEnd, type Ranked } from '../../domain/order';
import type { Task } from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { storedMap, transact, type OpContext } from './context';
import { insertEntity, updateEntity } from './entities';

export type TaskInput = Partial<
	Omit<Task, 'id' | 'owningTeamId' | 'rank' | 'createdAt' | 'createdBy'>
> & {
	title: string;
};

/** Adds one task owned by `teamId`, at the bottom of its column. */
export function addTask(docs: BoardDocs, ctx: OpContext, teamId: string, input: TaskInput): Task {
	return addTasks(docs, ctx, teamId, [input])[0]!;
}

/** Adds several tasks owned by `teamId` in one transaction, in the given order. */
export function addTasks(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	inputs: readonly TaskInput[]
): Task[] {
	storedMap(docs.collection('teams'), 'teams', teamId);
	const doc = docs.team(teamId);
	return transact(doc, ctx, 'addTasks', () => {
		const tasks = docs.teamCollection(teamId, 'tasks');
		return inputs.map((input) => {
			const status = input.status ?? 'todo';
			return insertEntity(tasks, 'tasks', {
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
				rank: rankAtEnd(columnOrder(docs, teamId, status))
			});
		});
	});
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
				: placeAt(column, Math.max(0, Math.min(column.length, Math.trunc(position))));
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
		if (task.get('status') === status && typeof rank === 'string') column.push({ id, rank });
	}
	return column.sort(compareRanked);
}
