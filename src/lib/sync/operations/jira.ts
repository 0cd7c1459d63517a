/**
 * Writes the plan of a Jira CSV import (domain/jira-plan.ts) into a board: its epics, then its
 * stories after the existing backlog in file order. Every entity is built and checked before the
 * one transaction that writes them all, so a refused import writes nothing.
 */
import { generateNKeysBetween } from 'fractional-indexing';
import { ScrumOpsError } from '../../domain/errors';
import type { JiraPlan } from '../../domain/jira-plan';
import type { z } from 'zod';
import { schemaOf, type Epic, type Story } from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { DEFAULT_SHAPE_LIMITS, describeViolation, entityProblem } from '../shape/contract';
import { FIELD_KINDS } from '../layout';
import { backlogOrder } from './backlog';
import { transact, type OpContext } from './context';
import { insertEntity } from './entities';

/** An issue of the file the board cannot hold: its line and why; nothing was written. */
export class JiraLineRefused extends ScrumOpsError {
	constructor(
		readonly line: number,
		readonly reason: string
	) {
		super(`Line ${line}: ${reason}. Nothing was imported.`);
	}
}

/** What an import wrote: the ids of the new epics and stories, in file order. */
export interface JiraWritten {
	epics: string[];
	stories: string[];
}

/**
 * Writes `plan` into the board in one transaction. Story points become the estimate of `teamId`,
 * which the stories are for; without a team they are left out. Throws a ScrumOpsError naming the
 * line of the first issue the board cannot hold (JiraLineRefused), before anything is written.
 */
export function importJiraPlan(
	docs: BoardDocs,
	ctx: OpContext,
	plan: JiraPlan,
	teamId: string | null
): JiraWritten {
	const epics = plan.epics.map((epic) => ({
		line: epic.line,
		entity: { id: ctx.newId(), title: epic.title, description: epic.description } satisfies Epic
	}));
	const epicIds = new Map(plan.epics.map((epic, i) => [epic.key, epics[i]!.entity.id]));
	const last = backlogOrder(docs).at(-1)?.rank ?? null;
	const ranks = generateNKeysBetween(last, null, plan.stories.length);
	const stories = plan.stories.map((story, i) => ({
		line: story.line,
		entity: {
			id: ctx.newId(),
			title: story.title,
			asA: '',
			iWant: story.description,
			soThat: '',
			acceptanceCriteria: [],
			successMeasure: '',
			productOwnerIds: [],
			epicId: story.epicKey === null ? null : (epicIds.get(story.epicKey) ?? null),
			rank: ranks[i]!,
			duration: 'finite',
			teaming: 'single',
			teamIds: teamId === null ? [] : [teamId],
			workType: 'dev',
			sla: 'none',
			escalationAllowed: false,
			escalationTargetIds: [],
			estimates: teamId !== null && story.points !== null ? { [teamId]: story.points } : {},
			createdAt: story.createdAt ?? ctx.now(),
			proposals: {}
		} satisfies z.input<typeof Story>
	}));
	checkAll('epics', epics);
	checkAll('stories', stories);
	const room = DEFAULT_SHAPE_LIMITS.maxEntities;
	for (const [name, adding] of [
		['epics', epics.length],
		['stories', stories.length]
	] as const) {
		if (docs.collection(name).size + adding > room) {
			throw new ScrumOpsError(
				`The board would hold more than ${room} ${name}, the most one board keeps; import fewer issues.`
			);
		}
	}
	return transact(docs.board, ctx, 'importJira', () => {
		for (const { entity } of epics) insertEntity(docs.collection('epics'), 'epics', entity);
		for (const { entity } of stories) insertEntity(docs.collection('stories'), 'stories', entity);
		return {
			epics: epics.map(({ entity }) => entity.id),
			stories: stories.map(({ entity }) => entity.id)
		};
	});
}

/** Refuses, with its line, the first entity its schema or the document contract refuses. */
function checkAll(
	collection: 'epics' | 'stories',
	entries: readonly { line: number; entity: Record<string, unknown> }[]
): void {
	const schema = schemaOf(collection);
	for (const { line, entity } of entries) {
		const parsed = schema.safeParse(entity);
		if (!parsed.success) {
			const issue = parsed.error.issues[0]!;
			throw new JiraLineRefused(line, `${issue.path.join('.') || 'the issue'}: ${issue.message}`);
		}
		const problem = entityProblem(entity, FIELD_KINDS[collection], DEFAULT_SHAPE_LIMITS, '');
		if (problem) {
			throw new JiraLineRefused(line, describeViolation(problem));
		}
	}
}
