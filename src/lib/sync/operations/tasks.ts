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
import { checkAssignee } from './assignees';
import { readStored, storedMap, transact, type OpContext } from './context';
import { updateEntity } from './entities';
import { appendTimeline } from './timeline';

export type TaskInput = Partial<
	Omit<Task, 'id' | 'owningTeamId' | 'rank' | 'createdAt' | 'createdBy' | 'doneAt'>
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
	inputs: readonly TaskInput[],
	/** false: leave the work packages' timelines alone (their creation already says it). */
	options: { timeline?: boolean } = {}
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
				doneAt: status === 'done' ? ctx.now() : null,
				owningTeamId: teamId,
				rank: rankAtEnd(column)
			},
			'task'
		);
		if (task.assigneeId !== null) checkAssignee(docs, task.assigneeId, [teamId]);
		column.push(task);
		return task;
	});
	transact(docs.team(teamId), ctx, 'addTasks', () => {
		const collection = docs.teamCollection(teamId, 'tasks');
		for (const task of tasks) collection.set(task.id, entityToYMap(task, FIELD_KINDS.tasks));
	});
	if (options.timeline !== false) noteOnTimelines(docs, ctx, tasks);
	return tasks;
}

/** Tasks split off a work package show on its timeline, one line per work package and call. */
function noteOnTimelines(docs: BoardDocs, ctx: OpContext, tasks: readonly Task[]): void {
	const byWorkPackage = new Map<string, string[]>();
	for (const task of tasks) {
		if (task.workPackageId === null) continue;
		const titles = byWorkPackage.get(task.workPackageId) ?? [];
		byWorkPackage.set(task.workPackageId, [...titles, task.title]);
	}
	if (byWorkPackage.size === 0) return;
	transact(docs.board, ctx, 'noteTasks', () => {
		for (const [workPackageId, titles] of byWorkPackage) {
			const map = docs.collection('workPackages').get(workPackageId);
			if (map) appendTimeline(map, ctx, 'task-added', titles.join(', '));
		}
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
		const current = readStored(tasks, 'tasks', taskId);
		// Done keeps the moment it was first done (a reorder inside Done is not a new finish).
		const doneAt =
			status !== 'done' ? null : current.status === 'done' ? current.doneAt : ctx.now();
		const column = columnOrder(docs, teamId, status).filter((t) => t.id !== taskId);
		const placement =
			position === undefined
				? { rank: rankAtEnd(column), respaced: [] }
				: placeAt(column, clampPosition(position, column.length));
		updateEntity(tasks, 'tasks', taskId, { status, rank: placement.rank, doneAt });
		for (const { id, rank } of placement.respaced) tasks.get(id)?.set('rank', rank);
	});
}

/**
 * Edits a task's title, assignee or estimate. The assignee must be a member of the task's team
 * (R18).
 */
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
	if (patch.assigneeId !== undefined) {
		const task = readStored(docs.teamCollection(teamId, 'tasks'), 'tasks', taskId);
		checkAssignee(docs, patch.assigneeId, [task.owningTeamId]);
	}
	return transact(docs.team(teamId), ctx, 'editTask', () =>
		updateEntity(docs.teamCollection(teamId, 'tasks'), 'tasks', taskId, patch)
	);
}

/** Assigns a task of `teamId`'s document to a member of its team, or to nobody (null). */
export function assignTask(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	taskId: string,
	personId: string | null
): Task {
	return editTask(docs, ctx, teamId, taskId, { assigneeId: personId });
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
