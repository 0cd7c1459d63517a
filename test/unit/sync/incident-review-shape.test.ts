/**
 * [D3][D14] The relay's shape check on post-incident reviews and template change requests: what
 * the app writes is accepted, as the contract describes it, and a nested type where the contract
 * has another is refused.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { UpdateChecker, type UpdateVerdict } from '../../../src/lib/sync/shape/check-update';
import { DEFAULT_SHAPE_LIMITS } from '../../../src/lib/sync/shape/contract';
import { typeText } from '../../../src/lib/sync/shared-text';
import { fixedContext } from '../../helpers/op-context';

/** A client and a server copy of a demo board with one completed incident, in step. */
function pair() {
	const client = new BoardDocs('acme');
	const ctx = fixedContext('ada');
	const ids = seedDemoBoard(client, ctx, '2026-11-23');
	const wp = op.createWorkPackage(client, ctx, {
		storyId: ids.stories.support,
		title: 'Checkout down',
		category: 'incident',
		severity: 'SEV1'
	});
	const server = new Y.Doc();
	Y.applyUpdate(server, Y.encodeStateAsUpdate(client.board));
	const checker = new UpdateChecker(server, 'board', DEFAULT_SHAPE_LIMITS);
	/** Runs `edit` on the client and judges its update; accepted updates reach the server. */
	const judge = (edit: () => void): string => {
		const updates: Uint8Array[] = [];
		const listen = (update: Uint8Array) => updates.push(update);
		client.board.on('update', listen);
		try {
			edit();
		} finally {
			client.board.off('update', listen);
		}
		const update = Y.mergeUpdates(updates);
		const verdict: UpdateVerdict = checker.check(Y.decodeUpdate(update), update.byteLength);
		if (verdict.kind === 'accept') Y.applyUpdate(server, update);
		return verdict.kind === 'refuse'
			? `refuse ${verdict.violation.path}: ${verdict.violation.problem}`
			: verdict.kind;
	};
	const review = () => client.collection('incidentReviews').get(wp.id)!;
	return { client, ctx, ids, wp, judge, review };
}

describe('[D6.14] incident reviews at the write boundary', () => {
	test('every write of the review operations is accepted', () => {
		const { client, ctx, ids, wp, judge } = pair();
		expect(judge(() => op.startIncidentReview(client, ctx, wp.id))).toBe('accept');
		const address = { collection: 'incidentReviews', id: wp.id, field: 'impact' } as const;
		expect(judge(() => typeText(client, ctx, address, '', 'No card payments', 16))).toBe('accept');
		let rowId = '';
		expect(
			judge(() => (rowId = op.addReviewTimelineRow(client, ctx, wp.id, { text: 'Alert' }).id))
		).toBe('accept');
		expect(
			judge(() => op.editReviewTimelineRow(client, ctx, wp.id, rowId, { text: 'Paged' }))
		).toBe('accept');
		expect(judge(() => op.removeReviewTimelineRow(client, ctx, wp.id, rowId))).toBe('accept');
		let itemId = '';
		expect(judge(() => (itemId = op.addActionItem(client, ctx, wp.id, 'Alert earlier').id))).toBe(
			'accept'
		);
		expect(judge(() => op.createStoryFromActionItem(client, ctx, wp.id, itemId))).toBe('accept');
		let requestId = '';
		expect(
			judge(
				() =>
					(requestId = op.proposeTemplateChange(client, ctx, wp.id, itemId, ids.templates.sev1).id)
			)
		).toBe('accept');
		expect(
			judge(() => op.decideChangeRequest(client, ctx, ids.templates.sev1, requestId, 'applied'))
		).toBe('accept');
	});

	test('a review written with plain yjs calls, as the contract describes it, is accepted', () => {
		const { client, wp, judge } = pair();
		expect(
			judge(() =>
				client.board.transact(() => {
					const review = new Y.Map<unknown>();
					client.collection('incidentReviews').set(wp.id, review);
					review.set('id', wp.id);
					for (const field of ['summary', 'impact', 'contributingFactors', 'wentWell']) {
						review.set(field, new Y.Text(''));
					}
					const row = new Y.Map<unknown>();
					const timeline = new Y.Array<Y.Map<unknown>>();
					review.set('timeline', timeline);
					timeline.push([row]);
					row.set('id', 'row-1');
					row.set('at', '2026-11-23T09:00:00.000Z');
					row.set('text', 'Alert fired');
					review.set('actionItems', new Y.Array());
					review.set('createdBy', null);
					review.set('createdAt', '2026-11-23T09:00:00.000Z');
					review.set('doneAt', null);
					review.set('doneBy', null);
				})
			)
		).toBe('accept');
	});

	test('a wrong nested type anywhere in a review or a change request is refused', () => {
		const path = (wpId: string, rest: string) => `incidentReviews/${wpId}/${rest}`;
		const template = (p: ReturnType<typeof pair>) =>
			p.client.collection('templates').get(p.ids.templates.sev1)!;
		const cases: [
			string,
			(p: ReturnType<typeof pair>) => void,
			(p: ReturnType<typeof pair>) => string
		][] = [
			[
				'a Y.Map for the timeline',
				({ review }) => review().set('timeline', new Y.Map()),
				(p) => `refuse ${path(p.wp.id, 'timeline')}: must be a Y.Array, not a Y.Map`
			],
			[
				'a Y.Array for the summary',
				({ review }) => review().set('summary', new Y.Array()),
				(p) => `refuse ${path(p.wp.id, 'summary')}: must be a Y.Text, not a Y.Array`
			],
			[
				'a Y.Map inside a timeline row',
				({ review }) =>
					((review().get('timeline') as Y.Array<Y.Map<unknown>>).get(0) as Y.Map<unknown>).set(
						'text',
						new Y.Map()
					),
				(p) => `refuse ${path(p.wp.id, 'timeline[]')}: nested deeper than the contract allows`
			],
			[
				'a plain string as an action item',
				({ review }) => (review().get('actionItems') as Y.Array<unknown>).push(['Do better']),
				(p) => `refuse ${path(p.wp.id, 'actionItems[]')}: must be a Y.Map, not a plain value`
			],
			[
				"a Y.Map for a template's change requests",
				(p) => template(p).set('changeRequests', new Y.Map()),
				(p) =>
					`refuse templates/${p.ids.templates.sev1}/changeRequests: must be a Y.Array, not a Y.Map`
			]
		];
		for (const [name, edit, expected] of cases) {
			const p = pair();
			const setUp = p.judge(() => {
				op.startIncidentReview(p.client, p.ctx, p.wp.id);
				op.addReviewTimelineRow(p.client, p.ctx, p.wp.id, { text: 'Alert' });
			});
			expect(setUp).toBe('accept');
			expect(
				p.judge(() => p.client.board.transact(() => edit(p))),
				name
			).toBe(expected(p));
		}
	});
});
