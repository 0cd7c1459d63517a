/**
 * The post-incident review of a work package (docs/schema.md, D6.14): started from the work
 * package's timeline and status updates, written together (its text fields are Y.Texts, typed
 * through shared-text.ts), with timeline rows and action items edited one by one, so concurrent
 * edits of different rows both survive. Action items become backlog stories or template change
 * requests; the incident commander marks the review done.
 */
import * as Y from 'yjs';
import { workPackageTeamIds } from '../../domain/assignees';
import { ScrumOpsError, parseInput } from '../../domain/errors';
import { mayFinishReview, prefillTimeline, reviewDecidersText } from '../../domain/incident-review';
import {
	ActionItem,
	IncidentReview,
	MAX_REVIEW_ROWS,
	ReviewTimelineRow,
	type ChangeRequest,
	type Story,
	type Team
} from '../../domain/schema';
import { incidentReviewHref } from '../../client/board-links';
import type { BoardDocs } from '../board-docs';
import { entityToYMap } from '../codec';
import { lookup } from './assignees';
import { createStory } from './backlog';
import { requestTemplateChange } from './change-requests';
import { readStored, storedMap, transact, type OpContext } from './context';
import { insertEntity } from './entities';

type RowList = 'timeline' | 'actionItems';

/**
 * Starts the review of a work package, its timeline prefilled with the work package's timeline
 * and status updates, oldest first. A work package has one review: a second start is refused.
 */
export function startIncidentReview(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string
): IncidentReview {
	const wp = readStored(docs.collection('workPackages'), 'workPackages', workPackageId);
	if (docs.collection('incidentReviews').has(workPackageId)) {
		throw new ScrumOpsError(`"${wp.title}" already has a post-incident review; open it instead.`);
	}
	const rows = prefillTimeline(wp, (id) => lookup(docs, 'people', id)).slice(-MAX_REVIEW_ROWS);
	return transact(docs.board, ctx, 'startIncidentReview', () =>
		insertEntity(docs.collection('incidentReviews'), 'incidentReviews', {
			id: wp.id,
			summary: '',
			impact: '',
			timeline: rows.map((row) => ({ id: ctx.newId(), ...row })),
			contributingFactors: '',
			wentWell: '',
			actionItems: [],
			createdBy: ctx.actorId,
			createdAt: ctx.now(),
			doneAt: null,
			doneBy: null
		})
	);
}

/** Adds a row to the review's timeline (at `at`, default now). */
export function addReviewTimelineRow(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	input: { text: string; at?: string }
): ReviewTimelineRow {
	const review = openReview(docs, workPackageId);
	const row = parseInput(
		ReviewTimelineRow,
		{ id: ctx.newId(), at: input.at ?? ctx.now(), text: input.text },
		'timeline row'
	);
	appendRow(docs, ctx, review, 'timeline', row, 'addReviewTimelineRow');
	return row;
}

/** Changes the time or the text of one timeline row; other rows are untouched. */
export function editReviewTimelineRow(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	rowId: string,
	patch: { text?: string; at?: string }
): ReviewTimelineRow {
	const review = openReview(docs, workPackageId);
	const row = review.timeline.find((r) => r.id === rowId);
	if (!row) throw missingRow('timeline row', rowId);
	const next = parseInput(ReviewTimelineRow, { ...row, ...patch, id: rowId }, 'timeline row');
	patchRow(docs, ctx, workPackageId, 'timeline', rowId, next, 'editReviewTimelineRow');
	return next;
}

/** Removes one row of the review's timeline. */
export function removeReviewTimelineRow(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	rowId: string
): void {
	openReview(docs, workPackageId);
	removeRow(docs, ctx, workPackageId, 'timeline', rowId, 'removeReviewTimelineRow');
}

/** Adds an action item: what should be done so this does not happen again. */
export function addActionItem(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	text: string
): ActionItem {
	const review = openReview(docs, workPackageId);
	const item = parseInput(
		ActionItem,
		{
			id: ctx.newId(),
			text,
			createdBy: ctx.actorId,
			createdAt: ctx.now(),
			storyId: null,
			templateId: null,
			changeRequestId: null
		},
		'action item'
	);
	appendRow(docs, ctx, review, 'actionItems', item, 'addActionItem');
	return item;
}

/** Rewords an action item that has not become a story or a change request yet. */
export function editActionItem(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	itemId: string,
	text: string
): ActionItem {
	const review = openReview(docs, workPackageId);
	const item = actionItemOf(review, itemId);
	if (item.storyId !== null || item.changeRequestId !== null) {
		throw new ScrumOpsError(
			'This action item is already a story or a template change; edit that instead.'
		);
	}
	const next = parseInput(ActionItem, { ...item, text }, 'action item');
	patchRow(docs, ctx, workPackageId, 'actionItems', itemId, next, 'editActionItem');
	return next;
}

/** Removes an action item (a story or change request made from it stays). */
export function removeActionItem(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	itemId: string
): void {
	openReview(docs, workPackageId);
	removeRow(docs, ctx, workPackageId, 'actionItems', itemId, 'removeActionItem');
}

/**
 * Turns an action item into a story at the bottom of the product backlog, through the backlog's
 * own operation. The story says which review it came from, with the review's link, and the
 * action item links to the story.
 */
export function createStoryFromActionItem(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	itemId: string
): Story {
	const review = readReview(docs, workPackageId);
	const item = actionItemOf(review, itemId);
	if (item.storyId !== null) {
		throw new ScrumOpsError('This action item is already a story; open it in the backlog.');
	}
	const wp = readStored(docs.collection('workPackages'), 'workPackages', workPackageId);
	const title = item.text.length > 200 ? `${item.text.slice(0, 199)}…` : item.text;
	// Owned by whoever owns the incident's story: the action item lands with someone (R3).
	const owners = docs.collection('stories').has(wp.storyId)
		? readStored(docs.collection('stories'), 'stories', wp.storyId).productOwnerIds
		: [];
	return transact(docs.board, ctx, 'createStoryFromActionItem', () => {
		const map = rowMap(docs, workPackageId, 'actionItems', itemId);
		const story = createStory(docs, ctx, {
			title,
			productOwnerIds: owners,
			iWant: item.text,
			soThat:
				`"${wp.title}" does not happen again: an action item of its post-incident review, ` +
				incidentReviewHref(docs.boardId, wp.id)
		});
		map.set('storyId', story.id);
		return story;
	});
}

/**
 * Turns an action item into a change request on a template (e.g. the template the incident was
 * opened from): someone who edits templates applies or declines it there.
 */
export function proposeTemplateChange(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	itemId: string,
	templateId: string
): ChangeRequest {
	const review = readReview(docs, workPackageId);
	const item = actionItemOf(review, itemId);
	if (item.changeRequestId !== null) {
		throw new ScrumOpsError('This action item is already a template change request.');
	}
	return transact(docs.board, ctx, 'proposeTemplateChange', () => {
		const map = rowMap(docs, workPackageId, 'actionItems', itemId);
		const request = requestTemplateChange(docs, ctx, templateId, {
			text: item.text,
			sourceKind: 'incidentReview',
			sourceId: review.id,
			sourceItemId: item.id
		});
		map.set('templateId', templateId);
		map.set('changeRequestId', request.id);
		return request;
	});
}

/**
 * Marks the review done: only the incident commander may (with no commander, anyone in the
 * swarm's teams), and only once the incident is completed.
 */
export function markReviewDone(docs: BoardDocs, ctx: OpContext, workPackageId: string): void {
	const review = readReview(docs, workPackageId);
	const wp = checkDecider(docs, ctx, workPackageId, 'mark its review done');
	if (review.doneAt !== null) throw new ScrumOpsError(`The review of "${wp.title}" is done.`);
	if (wp.status !== 'done') {
		throw new ScrumOpsError(
			`"${wp.title}" is still open: complete the incident before its review is done.`
		);
	}
	transact(docs.board, ctx, 'markReviewDone', () => {
		const map = storedMap(docs.collection('incidentReviews'), 'incidentReviews', workPackageId);
		map.set('doneAt', ctx.now());
		map.set('doneBy', ctx.actorId);
	});
}

/** Reopens a done review, by the same people who may mark it done. */
export function reopenReview(docs: BoardDocs, ctx: OpContext, workPackageId: string): void {
	const review = readReview(docs, workPackageId);
	checkDecider(docs, ctx, workPackageId, 'reopen its review');
	if (review.doneAt === null) return;
	transact(docs.board, ctx, 'reopenReview', () => {
		const map = storedMap(docs.collection('incidentReviews'), 'incidentReviews', workPackageId);
		map.set('doneAt', null);
		map.set('doneBy', null);
	});
}

function checkDecider(docs: BoardDocs, ctx: OpContext, workPackageId: string, what: string) {
	const wp = readStored(docs.collection('workPackages'), 'workPackages', workPackageId);
	const teams: Team[] = [];
	for (const id of docs.collection('teams').keys()) {
		const team = lookup(docs, 'teams', id);
		if (team) teams.push(team);
	}
	const wpTeams = workPackageTeamIds(wp, (id) => lookup(docs, 'stories', id));
	if (!mayFinishReview(wp, ctx.actorId, teams, wpTeams)) {
		const name = (id: string) => lookup(docs, 'people', id)?.name ?? 'someone who left';
		throw new ScrumOpsError(`Only ${reviewDecidersText(wp, name)}, may ${what} for "${wp.title}".`);
	}
	return wp;
}

/** The review of a work package, or the sentence saying there is none yet. */
function readReview(docs: BoardDocs, workPackageId: string): IncidentReview {
	if (!docs.collection('incidentReviews').has(workPackageId)) {
		const wp = readStored(docs.collection('workPackages'), 'workPackages', workPackageId);
		throw new ScrumOpsError(`"${wp.title}" has no post-incident review yet; start it first.`);
	}
	return readStored(docs.collection('incidentReviews'), 'incidentReviews', workPackageId);
}

/** The review, refusing edits while it is marked done. */
function openReview(docs: BoardDocs, workPackageId: string): IncidentReview {
	const review = readReview(docs, workPackageId);
	if (review.doneAt !== null) {
		throw new ScrumOpsError(
			'This review is marked done; its incident commander reopens it to change it.'
		);
	}
	return review;
}

function actionItemOf(review: IncidentReview, itemId: string): ActionItem {
	const item = review.actionItems.find((i) => i.id === itemId);
	if (!item) throw missingRow('action item', itemId);
	return item;
}

function missingRow(what: string, id: string): ScrumOpsError {
	return new ScrumOpsError(
		`No ${what} with id "${id}" in this review; someone may have removed it.`
	);
}

function rowsOf(docs: BoardDocs, workPackageId: string, list: RowList): Y.Array<Y.Map<unknown>> {
	const map = storedMap(docs.collection('incidentReviews'), 'incidentReviews', workPackageId);
	let rows = map.get(list);
	if (!(rows instanceof Y.Array)) map.set(list, (rows = new Y.Array()));
	return rows as Y.Array<Y.Map<unknown>>;
}

/** The Y.Map of one row, found by its id (its index moves as others add and remove rows). */
function rowMap(
	docs: BoardDocs,
	workPackageId: string,
	list: RowList,
	rowId: string
): Y.Map<unknown> {
	const found = rowsOf(docs, workPackageId, list)
		.toArray()
		.find((row) => row instanceof Y.Map && row.get('id') === rowId);
	if (!found) throw missingRow(list === 'timeline' ? 'timeline row' : 'action item', rowId);
	return found;
}

function appendRow(
	docs: BoardDocs,
	ctx: OpContext,
	review: IncidentReview,
	list: RowList,
	row: Record<string, unknown>,
	intent: string
): void {
	if (review[list].length >= MAX_REVIEW_ROWS) {
		throw new ScrumOpsError(
			`This review already holds ${MAX_REVIEW_ROWS} ${list === 'timeline' ? 'timeline rows' : 'action items'}; remove some first.`
		);
	}
	transact(docs.board, ctx, intent, () => {
		rowsOf(docs, review.id, list).push([entityToYMap(row, {})]);
	});
}

/** Writes only the fields of the row that changed, so a concurrent edit of another field stays. */
function patchRow(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	list: RowList,
	rowId: string,
	next: Record<string, unknown>,
	intent: string
): void {
	transact(docs.board, ctx, intent, () => {
		const map = rowMap(docs, workPackageId, list, rowId);
		for (const [field, value] of Object.entries(next)) {
			if (map.get(field) !== value) map.set(field, value);
		}
	});
}

function removeRow(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	list: RowList,
	rowId: string,
	intent: string
): void {
	transact(docs.board, ctx, intent, () => {
		const rows = rowsOf(docs, workPackageId, list);
		const index = rows
			.toArray()
			.findIndex((row) => row instanceof Y.Map && row.get('id') === rowId);
		if (index < 0) {
			throw missingRow(list === 'timeline' ? 'timeline row' : 'action item', rowId);
		}
		rows.delete(index, 1);
	});
}
