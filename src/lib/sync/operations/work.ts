/** Work packages (incidents, requests, …), templates, swarming and escalation (R7, R8, R14). */
import * as Y from 'yjs';
import { ScrumOpsError, parseInput } from '../../domain/errors';
import { holdingStoryId } from '../../domain/escalation';
import { slaDeadline } from '../../domain/sla';
import {
	Board,
	Id,
	type EscalationHop,
	type Severity,
	type Task,
	type Template,
	type TemplateTask,
	type WorkPackage,
	type WorkPackageAlert
} from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { entityToYMap, setMembership } from '../codec';
import { readSettings, readStored, storedMap, transact, type OpContext } from './context';
import { insertEntity, updateEntity } from './entities';
import { addTasks } from './tasks';
import { appendTimeline } from './timeline';

export interface WorkPackageInput {
	storyId: string;
	title: string;
	category: string;
	severity?: Severity | null;
	/** Known (planned) work rather than work that arrived mid-sprint. */
	planned?: boolean;
	points?: number | null;
	templateId?: string | null;
	/** The id to open it under (alert intake: the id its group claimed); default a new one. */
	id?: string;
	/** The alert it is opened for (contract 2.4). */
	alert?: WorkPackageAlert | null;
}

/**
 * Opens a work package under a story. When the story has SLA, its deadline is fixed now from the
 * board's policy for the severity, and never moves again (R8).
 */
export function createWorkPackage(
	docs: BoardDocs,
	ctx: OpContext,
	input: WorkPackageInput
): WorkPackage {
	return transact(docs.board, ctx, 'createWorkPackage', () => {
		const story = readStored(docs.collection('stories'), 'stories', input.storyId);
		const createdAt = ctx.now();
		const severity = input.severity ?? null;
		const board = readBoard(docs);
		return insertEntity(docs.collection('workPackages'), 'workPackages', {
			id: ctx.newId(),
			submitterId: ctx.actorId,
			createdAt,
			slaDeadline:
				story.sla === 'policy' && severity
					? slaDeadline(createdAt, severity, board.slaPolicy)
					: null,
			planned: false,
			points: null,
			status: 'open',
			completedAt: null,
			swarm: [],
			escalations: [],
			templateId: null,
			timeline: [
				{
					at: createdAt,
					personId: ctx.actorId,
					action: 'created',
					detail: severity ? `${severity} ${input.title}` : input.title
				}
			],
			...input,
			severity
		});
	});
}

/** Creates a work package from a template, with the template's tasks owned by `teamId`. */
export function createWorkPackageFromTemplate(
	docs: BoardDocs,
	ctx: OpContext,
	input: {
		templateId: string;
		storyId: string;
		teamId: string;
		title?: string;
		severity?: Severity | null;
		/** The id to open it under; default a new one. */
		workPackageId?: string;
		alert?: WorkPackageAlert | null;
	}
): { workPackage: WorkPackage; tasks: Task[] } {
	const template = readStored(docs.collection('templates'), 'templates', input.templateId);
	// Check the team first: a refused intent must not leave a work package without its tasks.
	storedMap(docs.collection('teams'), 'teams', input.teamId);
	const workPackage = createWorkPackage(docs, ctx, {
		storyId: input.storyId,
		title: input.title ?? template.name,
		category: template.category,
		severity: input.severity === undefined ? template.defaultSeverity : input.severity,
		templateId: template.id,
		// The template's estimate is the work's size: unplanned, it burns the reservation.
		points: template.tasks.some((t) => t.estimate !== null)
			? template.tasks.reduce((sum, t) => sum + (t.estimate ?? 0), 0)
			: null,
		...(input.workPackageId === undefined ? {} : { id: input.workPackageId }),
		...(input.alert === undefined ? {} : { alert: input.alert })
	});
	const tasks = addTasks(
		docs,
		ctx,
		input.teamId,
		template.tasks.map((t) => ({
			title: t.title,
			estimate: t.estimate,
			workPackageId: workPackage.id
		})),
		{ timeline: false }
	);
	return { workPackage, tasks };
}

/** Sets the severity of a work package that has not been escalated; the deadline follows it. */
export function setSeverity(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	severity: Severity | null
): WorkPackage {
	return transact(docs.board, ctx, 'setSeverity', () => {
		const wp = readStored(docs.collection('workPackages'), 'workPackages', workPackageId);
		if (wp.escalations.length > 0) {
			throw new ScrumOpsError(
				`"${wp.title}" has been escalated; its severity and SLA deadline are fixed (R8).`
			);
		}
		const story = readStored(docs.collection('stories'), 'stories', wp.storyId);
		const deadline =
			story.sla === 'policy' && severity
				? slaDeadline(wp.createdAt, severity, readBoard(docs).slaPolicy)
				: null;
		const updated = updateEntity(docs.collection('workPackages'), 'workPackages', workPackageId, {
			severity,
			slaDeadline: deadline
		});
		appendTimeline(
			storedMap(docs.collection('workPackages'), 'workPackages', workPackageId),
			ctx,
			'severity',
			severity ?? 'no severity'
		);
		return updated;
	});
}

/**
 * Escalates a work package from the story holding it to `toStoryId`. Severity and deadline are
 * recorded on the hop and left unchanged on the work package (R8); legality is the engine's R7.
 */
export function escalate(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	toStoryId: string,
	reason: string
): EscalationHop {
	parseInput(Id, toStoryId, 'target story id');
	return transact(docs.board, ctx, 'escalate', () => {
		const map = storedMap(docs.collection('workPackages'), 'workPackages', workPackageId);
		const wp = readStored(docs.collection('workPackages'), 'workPackages', workPackageId);
		storedMap(docs.collection('stories'), 'stories', toStoryId);
		if (wp.status !== 'open')
			throw new ScrumOpsError(`"${wp.title}" is done; reopen it to escalate.`);
		const from = holdingStoryId(wp);
		if (from === toStoryId) throw new ScrumOpsError(`"${wp.title}" is already with that story.`);
		const hop: EscalationHop = {
			fromStoryId: from,
			toStoryId,
			at: ctx.now(),
			byPersonId: ctx.actorId,
			reason,
			severity: wp.severity,
			slaDeadline: wp.slaDeadline,
			resolvedAt: null,
			resolvedBy: null
		};
		let hops = map.get('escalations');
		if (!(hops instanceof Y.Array)) map.set('escalations', (hops = new Y.Array()));
		(hops as Y.Array<Y.Map<unknown>>).push([entityToYMap(hop, {})]);
		const target = readStored(docs.collection('stories'), 'stories', toStoryId);
		appendTimeline(
			map,
			ctx,
			'escalated',
			reason ? `to "${target.title}": ${reason}` : `to "${target.title}"`
		);
		return hop;
	});
}

/** The receiving team marks its part resolved; the work returns one level (R14). */
export function resolveEscalation(docs: BoardDocs, ctx: OpContext, workPackageId: string): void {
	transact(docs.board, ctx, 'resolveEscalation', () => {
		const map = storedMap(docs.collection('workPackages'), 'workPackages', workPackageId);
		const hops = map.get('escalations');
		const entries = hops instanceof Y.Array ? (hops.toArray() as Y.Map<unknown>[]) : [];
		const open = entries.findLast((hop) => hop.get('resolvedAt') === null);
		if (!open)
			throw new ScrumOpsError('This work package has no escalation waiting to be resolved.');
		open.set('resolvedAt', ctx.now());
		open.set('resolvedBy', ctx.actorId);
		const from = docs.collection('stories').get(String(open.get('toStoryId')));
		appendTimeline(
			map,
			ctx,
			'returned',
			`from "${String(from?.get('title') ?? open.get('toStoryId'))}"`
		);
	});
}

/** Adds or removes a person from the swarm working on a work package now. */
export function setSwarming(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	personId: string,
	swarming: boolean
): void {
	parseInput(Id, personId, 'person id');
	transact(docs.board, ctx, swarming ? 'joinSwarm' : 'leaveSwarm', () => {
		const map = storedMap(docs.collection('workPackages'), 'workPackages', workPackageId);
		setMembership(map, 'swarm', personId, swarming, ctx.now());
		appendTimeline(map, ctx, swarming ? 'joined' : 'left', '', personId);
	});
}

/** What becomes of a work package's open tasks when it is completed: a person decides. */
export const OPEN_TASK_CHOICES = ['complete', 'follow-up', 'cancel'] as const;
export type OpenTaskChoice = (typeof OPEN_TASK_CHOICES)[number];

/** The work package's tasks still to do or in progress, with the team document holding each. */
export function openTasksOf(
	docs: BoardDocs,
	workPackageId: string
): { teamId: string; task: Task }[] {
	docs.openTeamDocs();
	const open: { teamId: string; task: Task }[] = [];
	for (const teamId of [...docs.teams().keys()].sort()) {
		docs.teamCollection(teamId, 'tasks').forEach((_, id) => {
			let task: Task;
			try {
				task = readStored(docs.teamCollection(teamId, 'tasks'), 'tasks', id);
			} catch {
				return; // An unreadable task is listed as rejected elsewhere; nothing to decide here.
			}
			if (task.workPackageId !== workPackageId || task.owningTeamId !== teamId) return;
			if (task.status === 'todo' || task.status === 'doing') open.push({ teamId, task });
		});
	}
	return open;
}

/**
 * Completes a work package. Open tasks need a decision first (`openTasks`): complete them, move
 * them to a new follow-up work package under the same story, or cancel them; without one, it is
 * refused, saying how many are open. Only tasks of `teamIds` (the teams this person writes for,
 * R11) can be decided here: open tasks of another team refuse the completion, naming the team.
 * Once the work package is escalated away, it waits for the receiving team (R14).
 */
export function completeWorkPackage(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	options: { openTasks?: OpenTaskChoice; teamIds?: readonly string[] } = {}
): { followUp: WorkPackage | null } {
	const wp = readStored(docs.collection('workPackages'), 'workPackages', workPackageId);
	const pending = wp.escalations.findLast((hop) => hop.resolvedAt === null);
	if (pending) {
		throw new ScrumOpsError(
			`"${wp.title}" is still escalated to another team; it can be completed once they resolve it.`
		);
	}
	const open = openTasksOf(docs, workPackageId);
	const others = open.filter(({ teamId }) => !(options.teamIds ?? []).includes(teamId));
	if (others.length > 0) {
		const teams = [...new Set(others.map(({ teamId }) => teamLabel(docs, teamId)))].join(', ');
		throw new ScrumOpsError(
			`"${wp.title}" has ${plural(others.length, 'open task')} of ${teams}; ask them to finish or cancel ${others.length === 1 ? 'it' : 'them'} first.`
		);
	}
	if (open.length > 0 && options.openTasks === undefined) {
		throw new ScrumOpsError(
			`"${wp.title}" has ${plural(open.length, 'open task')}: complete ${open.length === 1 ? 'it' : 'them'}, move ${open.length === 1 ? 'it' : 'them'} to a follow-up, or cancel ${open.length === 1 ? 'it' : 'them'} first.`
		);
	}
	let followUp: WorkPackage | null = null;
	if (open.length > 0 && options.openTasks === 'follow-up') {
		followUp = createWorkPackage(docs, ctx, {
			storyId: wp.storyId,
			title: `Follow-up: ${wp.title}`.slice(0, 200),
			category: wp.category
		});
	}
	for (const [teamId, tasks] of groupByTeam(open)) {
		transact(docs.team(teamId), ctx, 'decideOpenTasks', () => {
			const map = docs.teamCollection(teamId, 'tasks');
			for (const task of tasks) {
				if (options.openTasks === 'follow-up') {
					updateEntity(map, 'tasks', task.id, { workPackageId: followUp!.id });
				} else if (options.openTasks === 'complete') {
					updateEntity(map, 'tasks', task.id, { status: 'done', doneAt: ctx.now() });
				} else {
					updateEntity(map, 'tasks', task.id, { status: 'cancelled', doneAt: null });
				}
			}
		});
	}
	transact(docs.board, ctx, 'completeWorkPackage', () => {
		updateEntity(docs.collection('workPackages'), 'workPackages', workPackageId, {
			status: 'done',
			completedAt: ctx.now()
		});
		appendTimeline(
			storedMap(docs.collection('workPackages'), 'workPackages', workPackageId),
			ctx,
			'completed',
			open.length === 0
				? ''
				: options.openTasks === 'follow-up'
					? `${plural(open.length, 'open task')} moved to "${followUp!.title}"`
					: options.openTasks === 'complete'
						? `${plural(open.length, 'open task')} completed with it`
						: `${plural(open.length, 'open task')} cancelled`
		);
	});
	return { followUp };
}

function groupByTeam(open: readonly { teamId: string; task: Task }[]): Map<string, Task[]> {
	const groups = new Map<string, Task[]>();
	for (const { teamId, task } of open) groups.set(teamId, [...(groups.get(teamId) ?? []), task]);
	return groups;
}

function teamLabel(docs: BoardDocs, teamId: string): string {
	const name = docs.collection('teams').get(teamId)?.get('name');
	return typeof name === 'string' ? name : teamId;
}

function plural(count: number, noun: string): string {
	return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Reopens a completed work package. */
export function reopenWorkPackage(docs: BoardDocs, ctx: OpContext, workPackageId: string): void {
	transact(docs.board, ctx, 'reopenWorkPackage', () => {
		updateEntity(docs.collection('workPackages'), 'workPackages', workPackageId, {
			status: 'open',
			completedAt: null
		});
		appendTimeline(
			storedMap(docs.collection('workPackages'), 'workPackages', workPackageId),
			ctx,
			'reopened',
			''
		);
	});
}

/** Creates a work package template. */
export function createTemplate(
	docs: BoardDocs,
	ctx: OpContext,
	input: {
		name: string;
		category: string;
		defaultSeverity?: Severity | null;
		tasks: TemplateTask[];
	}
): Template {
	return transact(docs.board, ctx, 'createTemplate', () =>
		insertEntity(docs.collection('templates'), 'templates', {
			id: ctx.newId(),
			defaultSeverity: null,
			...input
		})
	);
}

/** The steps of every incident template, from investigating to writing it up (docs/domain.md). */
const INCIDENT_STEPS = ['Investigate', 'Mitigate', 'Resolve', 'Verify', 'Document'] as const;

/** Task estimates per step, by severity: a SEV1 swarm splits finer than a minor defect. */
const INCIDENT_ESTIMATES: Record<Severity, readonly number[]> = {
	SEV1: [1, 2, 2, 1, 1],
	SEV2: [1, 1, 2, 1, 1],
	SEV3: [1, 1, 1, 1, 1],
	'non-production-defect': [1, 0, 1, 1, 0]
};

const SEVERITY_NAMES: Record<Severity, string> = {
	SEV1: 'SEV1 incident',
	SEV2: 'SEV2 incident',
	SEV3: 'SEV3 incident',
	'non-production-defect': 'Non-production defect'
};

/**
 * Creates one incident template per severity (investigate, mitigate, resolve, verify,
 * document), as a new board starts with; returns their ids by severity.
 */
export function seedIncidentTemplates(docs: BoardDocs, ctx: OpContext): Record<Severity, string> {
	const ids = {} as Record<Severity, string>;
	for (const severity of Object.keys(INCIDENT_ESTIMATES) as Severity[]) {
		ids[severity] = createTemplate(docs, ctx, {
			name: SEVERITY_NAMES[severity],
			category: severity === 'non-production-defect' ? 'defect' : 'incident',
			defaultSeverity: severity,
			tasks: INCIDENT_STEPS.map((title, i) => ({
				title,
				estimate: INCIDENT_ESTIMATES[severity][i]!
			}))
		}).id;
	}
	return ids;
}

/** Edits a template's name, category, default severity or tasks. */
export function editTemplate(
	docs: BoardDocs,
	ctx: OpContext,
	templateId: string,
	patch: Partial<Omit<Template, 'id'>>
): Template {
	return transact(docs.board, ctx, 'editTemplate', () =>
		updateEntity(docs.collection('templates'), 'templates', templateId, patch)
	);
}

function readBoard(docs: BoardDocs): Board {
	const parsed = Board.safeParse(readSettings(docs.meta()));
	if (!parsed.success) {
		throw new ScrumOpsError('This board has no valid settings yet; create the board first.');
	}
	return parsed.data;
}
