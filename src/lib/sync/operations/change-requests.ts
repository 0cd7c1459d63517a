/**
 * Change requests on work package templates (docs/schema.md, D6.8): a sentence proposed by a
 * source (a post-incident review's action item; later a retrospective's), listed by the template
 * editor, where someone who edits templates applies it (it becomes a task of the template) or
 * declines it.
 */
import * as Y from 'yjs';
import { ScrumOpsError, parseInput } from '../../domain/errors';
import {
	ChangeRequest,
	MAX_CHANGE_REQUESTS,
	TemplateTask,
	type ChangeSourceKind
} from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { entityToYMap } from '../codec';
import { readStored, storedMap, transact, type OpContext } from './context';

/** Most tasks a template holds (the Template schema's bound). */
const MAX_TEMPLATE_TASKS = 100;

/** Records an open change request on a template. */
export function requestTemplateChange(
	docs: BoardDocs,
	ctx: OpContext,
	templateId: string,
	input: {
		text: string;
		sourceKind: ChangeSourceKind;
		sourceId: string;
		sourceItemId: string | null;
	}
): ChangeRequest {
	const template = readStored(docs.collection('templates'), 'templates', templateId);
	if (template.changeRequests.length >= MAX_CHANGE_REQUESTS) {
		throw new ScrumOpsError(
			`Template "${template.name}" already holds ${MAX_CHANGE_REQUESTS} change requests; decide some first.`
		);
	}
	const request = parseInput(
		ChangeRequest,
		{
			id: ctx.newId(),
			...input,
			status: 'open',
			createdBy: ctx.actorId,
			createdAt: ctx.now(),
			decidedBy: null,
			decidedAt: null
		},
		'change request'
	);
	transact(docs.board, ctx, 'requestTemplateChange', () => {
		listOf(docs, templateId, 'changeRequests').push([entityToYMap(request, {})]);
	});
	return request;
}

/**
 * Applies an open change request (its sentence becomes a task of the template, without an
 * estimate) or declines it. Who decided and when is kept.
 */
export function decideChangeRequest(
	docs: BoardDocs,
	ctx: OpContext,
	templateId: string,
	requestId: string,
	decision: 'applied' | 'declined'
): ChangeRequest {
	const template = readStored(docs.collection('templates'), 'templates', templateId);
	const request = template.changeRequests.find((r) => r.id === requestId);
	if (!request) {
		throw new ScrumOpsError(`Template "${template.name}" has no change request "${requestId}".`);
	}
	if (request.status !== 'open') {
		throw new ScrumOpsError(`This change request was already ${request.status}.`);
	}
	const task =
		decision === 'applied'
			? parseInput(
					TemplateTask,
					{
						title: request.text.length > 200 ? `${request.text.slice(0, 199)}…` : request.text,
						estimate: null
					},
					'template task'
				)
			: null;
	if (task && template.tasks.length >= MAX_TEMPLATE_TASKS) {
		throw new ScrumOpsError(
			`Template "${template.name}" already has ${MAX_TEMPLATE_TASKS} tasks; remove one before applying this change.`
		);
	}
	const decided = { ...request, status: decision, decidedBy: ctx.actorId, decidedAt: ctx.now() };
	transact(docs.board, ctx, 'decideChangeRequest', () => {
		const entry = listOf(docs, templateId, 'changeRequests')
			.toArray()
			.find((r) => r instanceof Y.Map && r.get('id') === requestId) as Y.Map<unknown>;
		entry.set('status', decided.status);
		entry.set('decidedBy', decided.decidedBy);
		entry.set('decidedAt', decided.decidedAt);
		// Appended, not rewritten: someone editing the template's other tasks meanwhile keeps them.
		if (task) listOf(docs, templateId, 'tasks').push([task]);
	});
	return decided;
}

function listOf(docs: BoardDocs, templateId: string, field: 'changeRequests' | 'tasks') {
	const map = storedMap(docs.collection('templates'), 'templates', templateId);
	let list = map.get(field);
	if (!(list instanceof Y.Array)) map.set(field, (list = new Y.Array()));
	return list as Y.Array<unknown>;
}
