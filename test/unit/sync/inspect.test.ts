/**
 * Inspecting and repairing stored documents against the contract (src/lib/sync/shape/inspect.ts):
 * every part that breaks it is listed with its path and reason, the repair removes exactly those
 * parts, and what is left encodes, reloads and reads. Deep structures are removed bottom-up, so
 * Yjs never recurses once per level.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import type { TransactionOrigin } from '../../../src/lib/sync/layout';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import {
	DEFAULT_SHAPE_LIMITS,
	describeViolation,
	type ShapeLimits
} from '../../../src/lib/sync/shape/contract';
import {
	inspectDocument,
	LEVELS_PER_TRANSACTION,
	repairDocument
} from '../../../src/lib/sync/shape/inspect';
import { fixedContext } from '../../helpers/op-context';
import { nestDeep } from '../../helpers/deep-nesting';
import { poisonedBoard } from '../../helpers/poisoned-board';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');
const REPAIR: TransactionOrigin = { kind: 'server-repair', actorId: 'ada', intent: 'repairBoard' };

function demo() {
	const docs = new BoardDocs('demo');
	const ids = seedDemoBoard(docs, fixedContext('d'), '2026-11-23');
	return { docs, ids };
}

/** The document as it would load from its encoding: a fresh Y.Doc, every root read as a map. */
function reloaded(doc: Y.Doc): Y.Doc {
	const fresh = new Y.Doc();
	Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc));
	return fresh;
}

function described(doc: Y.Doc, kind: 'board' | 'team', limits?: ShapeLimits): string[] {
	return inspectDocument(doc, kind, limits).map(describeViolation);
}

/** Every transaction `doc` runs while `run` runs: its origin, and how many types it deleted. */
function transactionsOf(doc: Y.Doc, run: () => void): { origin: unknown; deletedTypes: number }[] {
	const seen: { origin: unknown; deletedTypes: number }[] = [];
	const onTransaction = (tr: Y.Transaction) => {
		let deletedTypes = 0;
		tr.deleteSet.clients.forEach((ranges, client) => {
			for (const { clock, len } of ranges) {
				for (let c = clock; c < clock + len; c++) {
					const item = Y.getItem(doc.store, Y.createID(client, c));
					if (item instanceof Y.Item && item.content instanceof Y.ContentType) deletedTypes++;
				}
			}
		});
		seen.push({ origin: tr.origin, deletedTypes });
	};
	doc.on('afterTransaction', onTransaction);
	try {
		run();
	} finally {
		doc.off('afterTransaction', onTransaction);
	}
	return seen;
}

describe('inspectDocument', () => {
	test('[D2] a board the app wrote breaks nothing, in its board and team documents', () => {
		const { docs } = demo();
		expect(described(docs.board, 'board')).toEqual([]);
		for (const doc of docs.teams().values()) expect(described(doc, 'team')).toEqual([]);
	});

	test('[D3] lists every part of a poisoned board with its path and reason', () => {
		const board = poisonedBoard('acme', 50);
		const byDocument = (name: string) =>
			board.violations
				.filter((violation) => violation.document === name)
				.map(({ path, problem }) => `${path}: ${problem}`)
				.sort();
		expect(described(board.docs.board, 'board')).toEqual(byDocument('acme'));
		const team = board.docs.team(board.teamId);
		expect(described(team, 'team')).toEqual(byDocument(`acme/team/${board.teamId}`));
	});

	test('[D2] a root key read with getMap but never written is not reported', () => {
		const { docs } = demo();
		docs.board.getMap('never-written');
		docs.board.getArray('nor-this');
		expect(described(docs.board, 'board')).toEqual([]);
	});

	test('[D3] texts, keys and fields past the limits, values nested too deep, binary data', () => {
		const { docs, ids } = demo();
		const story = docs.collection('stories').get(ids.stories.checkout)!;
		docs.board.transact(() => {
			story.set('asA', 'x'.repeat(DEFAULT_SHAPE_LIMITS.maxTextLength + 1));
			story.set('k'.repeat(300), 1);
			story.set('duration', { a: { b: { c: { d: 1 } } } });
			story.set('sla', new Uint8Array([1, 2]));
			(story.get('teamIds') as Y.Map<unknown>).set('web-2', new Y.Array());
		});
		expect(described(docs.board, 'board')).toEqual([
			`stories/${ids.stories.checkout}: a key of 300 characters is longer than the 256 allowed`,
			`stories/${ids.stories.checkout}/asA: a text of 10001 characters is longer than the 10000 allowed`,
			`stories/${ids.stories.checkout}/duration: nested deeper than the contract allows`,
			`stories/${ids.stories.checkout}/sla: a binary value is not a JSON value`,
			`stories/${ids.stories.checkout}/teamIds: nested deeper than the contract allows`
		]);
	});

	test('[D17] a text field holds a Y.Text of plain text within the bound, or the string of contract 1', () => {
		const { docs, ids } = demo();
		const story = docs.collection('stories').get(ids.stories.checkout)!;
		docs.board.transact(() => {
			story.set('soThat', { a: 1 });
			story.set('successMeasure', new Y.Map());
			story.set('iWant', 'a plain string, as contract 1 wrote it');
			const asA = story.get('asA') as Y.Text;
			asA.insert(0, 'bold', { bold: true });
			asA.insertEmbed(0, { image: 'x' });
			const criteria = new Y.Text('y'.repeat(DEFAULT_SHAPE_LIMITS.maxTextLength + 5));
			story.set('acceptanceCriteria', criteria);
		});
		const at = `stories/${ids.stories.checkout}`;
		expect(described(docs.board, 'board')).toEqual([
			`${at}/acceptanceCriteria: a text of 10005 characters is longer than the 10000 allowed`,
			`${at}/asA: a Y.Text here holds plain text only, not ContentEmbed`,
			`${at}/soThat: must be a Y.Text, not a JSON object`,
			`${at}/successMeasure: must be a Y.Text, not a Y.Map`
		]);
	});

	test('[D3] collections and nested fields holding more than the limits allow', () => {
		const { docs, ids } = demo();
		const limits: ShapeLimits = { ...DEFAULT_SHAPE_LIMITS, maxItems: 3, maxEntities: 4 };
		docs.board.transact(() => {
			const set = docs.collection('teams').get(ids.teams.web)!.get('memberIds') as Y.Map<unknown>;
			for (const member of [...set.keys()]) set.delete(member);
			for (const member of ['m1', 'm2', 'm3', 'm4', 'm5']) set.set(member, true);
		});
		expect(described(docs.board, 'board', limits)).toContain(
			`teams/${ids.teams.web}/memberIds: 5 items would exceed the 3 a field may hold`
		);
		expect(described(docs.board, 'board', limits)).toContain(
			`stories: ${docs.collection('stories').size} entities would exceed the 4 a collection may hold`
		);
	});
});

describe('repairDocument', () => {
	test('[D3] removes exactly what inspectDocument lists; the entities around the parts come back', () => {
		const board = poisonedBoard('acme', 50);
		const { docs } = board;
		const before = inspectDocument(docs.board, 'board');
		const removed = repairDocument(docs.board, 'board', DEFAULT_SHAPE_LIMITS, REPAIR);
		expect(removed).toEqual(before);
		const team = docs.team(board.teamId);
		repairDocument(team, 'team', DEFAULT_SHAPE_LIMITS, REPAIR);
		expect(inspectDocument(docs.board, 'board')).toEqual([]);
		expect(inspectDocument(team, 'team')).toEqual([]);

		const projection = new BoardProjection(docs, { now: NOW });
		expect([...projection.rejected]).toEqual([]);
		const titles = [...projection.state.stories.values()].map((story) => story.title).sort();
		expect(titles).toEqual([...board.goodStories, ...board.healedStories].sort());
		expect(docs.collection('stories').has('s-plain')).toBe(false);
		expect(docs.board.share.has('scratch') && docs.board.getMap('scratch').size).toBe(0);
		expect(docs.board.getMap('findings').has('junk')).toBe(false);
	});

	test('[D3] a key, an item, a field: the part goes, its neighbours stay', () => {
		const { docs, ids } = demo();
		const stories = docs.collection('stories');
		const checkout = stories.get(ids.stories.checkout)!;
		const estimates = checkout.get('estimates') as Y.Map<unknown>;
		const kept = estimates.toJSON();
		const long = 'x'.repeat(DEFAULT_SHAPE_LIMITS.maxTextLength + 1);
		docs.board.transact(() => {
			estimates.set('intruder', new Y.Map());
			// One Yjs item holding three values: only the middle one breaks the contract.
			const criteria = new Y.Array<unknown>();
			checkout.set('acceptanceCriteria', criteria);
			criteria.push(['Card is stored', long, 'Receipt is mailed']);
		});
		repairDocument(docs.board, 'board', DEFAULT_SHAPE_LIMITS, REPAIR);
		expect(estimates.toJSON()).toEqual(kept);
		expect((checkout.get('acceptanceCriteria') as Y.Array<unknown>).toJSON()).toEqual([
			'Card is stored',
			'Receipt is mailed'
		]);
		expect(checkout.get('title')).toBe('One-click checkout');
		expect(inspectDocument(docs.board, 'board')).toEqual([]);
	});

	test('[D6.6] a mapList entry that is plain JSON goes; the other hops stay in order', () => {
		const { docs } = demo();
		const ctx = fixedContext('w');
		const [storyId] = [...docs.collection('stories').keys()];
		const wp = op.createWorkPackage(docs, ctx, {
			storyId: storyId!,
			title: 'Payment outage',
			category: 'incident'
		});
		const timeline = docs
			.collection('workPackages')
			.get(wp.id)!
			.get('timeline') as Y.Array<unknown>;
		const entries = timeline.length;
		docs.board.transact(() => timeline.insert(0, [{ action: 'forged' }]));
		expect(described(docs.board, 'board')).toEqual([
			`workPackages/${wp.id}/timeline: must be a Y.Map, not a JSON object`
		]);
		repairDocument(docs.board, 'board', DEFAULT_SHAPE_LIMITS, REPAIR);
		expect(timeline.length).toBe(entries);
		expect(timeline.toArray().every((entry) => entry instanceof Y.Map)).toBe(true);
	});

	test('[D3] the entries past a bound go, the first ones stay', () => {
		const { docs, ids } = demo();
		const limits: ShapeLimits = { ...DEFAULT_SHAPE_LIMITS, maxItems: 3 };
		const set = docs.collection('teams').get(ids.teams.web)!.get('memberIds') as Y.Map<unknown>;
		docs.board.transact(() => {
			for (const member of [...set.keys()]) set.delete(member);
			for (const member of ['m1', 'm2', 'm3', 'm4', 'm5']) set.set(member, true);
		});
		const removed = repairDocument(docs.board, 'board', limits, REPAIR);
		expect(removed.map(describeViolation)).toContain(
			`teams/${ids.teams.web}/memberIds: 5 items would exceed the 3 a field may hold`
		);
		expect([...set.keys()]).toEqual(['m1', 'm2', 'm3']);
	});

	test('every transaction carries the origin it was given (D11)', () => {
		const board = poisonedBoard('acme', 500);
		const transactions = transactionsOf(board.docs.board, () =>
			repairDocument(board.docs.board, 'board', DEFAULT_SHAPE_LIMITS, REPAIR)
		);
		expect(transactions.length).toBeGreaterThan(1);
		expect(transactions.every((tr) => tr.origin === REPAIR)).toBe(true);
	});

	test('a board with nothing to repair is left untouched', () => {
		const { docs } = demo();
		const transactions = transactionsOf(docs.board, () =>
			expect(repairDocument(docs.board, 'board', DEFAULT_SHAPE_LIMITS, REPAIR)).toEqual([])
		);
		expect(transactions).toEqual([]);
	});
});

describe('structures nested thousands of levels deep', () => {
	const DEPTH = 6_000;

	test('are beyond what Yjs reads or deletes in one go (why the repair works bottom-up)', () => {
		const doc = new Y.Doc();
		nestDeep(doc.getMap('stories'), 'deep', DEPTH);
		expect(() => doc.getMap('stories').toJSON()).toThrow(RangeError);
		expect(() => doc.transact(() => doc.getMap('stories').delete('deep'))).toThrow(RangeError);
	});

	test(`are removed in slices of at most ${LEVELS_PER_TRANSACTION} levels; the board encodes, reloads and reads`, () => {
		const board = poisonedBoard('acme', DEPTH);
		const { docs } = board;
		const transactions = transactionsOf(docs.board, () =>
			repairDocument(docs.board, 'board', DEFAULT_SHAPE_LIMITS, REPAIR)
		);
		expect(transactions.length).toBeGreaterThanOrEqual(DEPTH / LEVELS_PER_TRANSACTION);
		expect(Math.max(...transactions.map((tr) => tr.deletedTypes))).toBeLessThanOrEqual(
			LEVELS_PER_TRANSACTION + 1
		);
		const fresh = reloaded(docs.board);
		expect(inspectDocument(fresh, 'board')).toEqual([]);
		expect(() => fresh.getMap('stories').toJSON()).not.toThrow();
		const projection = new BoardProjection(new BoardDocs('acme', fresh), { now: NOW });
		expect(projection.rejected.size).toBe(0);
		expect(projection.state.stories.size).toBe(4);
	});

	test('under a root key no board has, and in a list, are removed the same way', () => {
		const doc = new Y.Doc();
		doc.transact(() => {
			nestDeep(doc.getMap('junk'), 'deep', DEPTH);
			const list = new Y.Array<unknown>();
			doc.getMap('meta').set('operationalGoals', list);
			const top = new Y.Map<unknown>();
			list.push(['Fast pages', top]);
			nestDeep(top, 'deeper', DEPTH);
		});
		expect(described(doc, 'board')).toEqual([
			'junk: is not part of a board document',
			'meta/operationalGoals: nested deeper than the contract allows'
		]);
		repairDocument(doc, 'board', DEFAULT_SHAPE_LIMITS, REPAIR);
		const fresh = reloaded(doc);
		expect(inspectDocument(fresh, 'board')).toEqual([]);
		expect(fresh.getMap('meta').toJSON()).toEqual({ operationalGoals: ['Fast pages'] });
	});

	test('are read by the projection as one rejected story, not a crash, and the rest of the board works', () => {
		const board = poisonedBoard('acme', DEPTH);
		const projection = new BoardProjection(board.docs, { now: NOW });
		for (const [key, reason] of Object.entries(board.rejected)) {
			expect(projection.rejected.get(key), key).toMatch(reason);
		}
		expect([...projection.state.stories.values()].map((story) => story.title).sort()).toEqual(
			board.goodStories
		);
		expect(() => projection.findings()).not.toThrow();
	});
});
