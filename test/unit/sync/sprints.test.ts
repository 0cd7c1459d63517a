/**
 * Editing a sprint's name, dates and goal: what the board shows afterwards, one labelled
 * transaction, refusals that explain themselves and write nothing, and concurrent edits of
 * different fields that both survive the merge.
 */
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { ScrumOpsError } from '../../../src/lib/domain/errors';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import type { TransactionOrigin } from '../../../src/lib/sync/layout';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';

const TODAY = '2026-11-23';
const NOW = Date.parse('2026-11-23T10:00:00.000Z');

function demo() {
	const docs = new BoardDocs('acme');
	const ids = seedDemoBoard(docs, fixedContext('seed'), TODAY);
	const ctx = fixedContext('op', 'sam', NOW);
	const view = new BoardProjection(docs, { now: NOW });
	const sprint = (id: string) => view.state.sprints.get(id)!;
	return { docs, ids, ctx, view, sprint };
}

function refused(docs: BoardDocs, action: () => unknown, message: RegExp) {
	const before = Y.encodeStateAsUpdate(docs.board);
	expect(action).toThrow(ScrumOpsError);
	expect(action).toThrow(message);
	expect(Y.encodeStateAsUpdate(docs.board)).toEqual(before);
}

describe('editSprint', () => {
	test('moves the dates and rewords the goal; the board shows them', () => {
		const { docs, ids, ctx, sprint } = demo();
		const edited = op.editSprint(docs, ctx, ids.sprints.webNext, {
			name: '  Web 15b ',
			start: '2026-12-08',
			end: '2026-12-19',
			goal: 'Gift cards in the checkout'
		});
		expect(edited).toMatchObject({ name: 'Web 15b', start: '2026-12-08', end: '2026-12-19' });
		expect(sprint(ids.sprints.webNext)).toMatchObject({
			name: 'Web 15b',
			start: '2026-12-08',
			end: '2026-12-19',
			goal: 'Gift cards in the checkout',
			state: 'planned'
		});
	});

	test('an active sprint may change its goal and end; a one-day sprint is allowed', () => {
		const { docs, ids, ctx, sprint } = demo();
		const { start } = sprint(ids.sprints.web);
		op.editSprint(docs, ctx, ids.sprints.web, { end: start, goal: 'Ship checkout' });
		expect(sprint(ids.sprints.web)).toMatchObject({ start, end: start, goal: 'Ship checkout' });
	});

	test('is one board transaction labelled with the actor and the intent', () => {
		const { docs, ids, ctx } = demo();
		const origins: TransactionOrigin[] = [];
		docs.board.on('afterTransaction', (tr) => origins.push(tr.origin as TransactionOrigin));
		op.editSprint(docs, ctx, ids.sprints.webNext, { goal: 'Search that finds things' });
		expect(origins).toEqual([{ kind: 'local', actorId: 'sam', intent: 'editSprint' }]);
	});

	test.each([
		{
			why: 'an end before the stored start',
			patch: { end: '2000-01-01' },
			message:
				/would end \(2000-01-01\) before it starts \(\d{4}-\d\d-\d\d\); pick an end day on or after the start/
		},
		{
			why: 'a start after the stored end',
			patch: { start: '2099-01-01' },
			message: /before it starts \(2099-01-01\)/
		},
		{
			why: 'both dates, the wrong way round',
			patch: { start: '2026-12-10', end: '2026-12-09' },
			message: /would end \(2026-12-09\) before it starts \(2026-12-10\)/
		},
		{ why: 'a day that is not a date', patch: { start: '2026-13-01' }, message: /start/ },
		{ why: 'an empty name', patch: { name: '   ' }, message: /name: a title is required/ },
		{ why: 'a field that cannot be edited', patch: { state: 'closed' }, message: /state/ }
	])('refuses $why, writing nothing', ({ patch, message }) => {
		const { docs, ids, ctx } = demo();
		refused(
			docs,
			() => op.editSprint(docs, ctx, ids.sprints.webNext, patch as op.SprintPatch),
			message
		);
	});

	test('refuses an unknown sprint and a closed one, writing nothing', () => {
		const { docs, ids, ctx } = demo();
		refused(
			docs,
			() => op.editSprint(docs, ctx, 'nope', { goal: 'x' }),
			/No sprint with id "nope"/
		);
		op.closeSprint(docs, ctx, ids.sprints.web);
		refused(
			docs,
			() => op.editSprint(docs, ctx, ids.sprints.web, { goal: 'Rewrite history' }),
			/is closed; its dates and goal are kept/
		);
	});

	test('two people editing different fields at once both keep their change on every replica', () => {
		const a = demo();
		const b = { docs: new BoardDocs('acme') };
		Y.applyUpdate(b.docs.board, Y.encodeStateAsUpdate(a.docs.board));
		op.editSprint(a.docs, fixedContext('a', 'sam', NOW), a.ids.sprints.webNext, {
			start: '2026-12-08',
			end: '2026-12-19'
		});
		op.editSprint(b.docs, fixedContext('b', 'lee', NOW), a.ids.sprints.webNext, {
			goal: 'Gift cards'
		});
		Y.applyUpdate(a.docs.board, Y.encodeStateAsUpdate(b.docs.board));
		Y.applyUpdate(b.docs.board, Y.encodeStateAsUpdate(a.docs.board));
		const viewB = new BoardProjection(b.docs, { now: NOW });
		for (const state of [a.view.state, viewB.state]) {
			expect(state.sprints.get(a.ids.sprints.webNext)).toMatchObject({
				start: '2026-12-08',
				end: '2026-12-19',
				goal: 'Gift cards'
			});
		}
	});
});
