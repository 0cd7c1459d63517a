/**
 * [D17] Free text people write together: concurrent typing on several replicas merges character
 * by character and converges; boards of contract 1 read the same before and after the server's
 * one-time conversion, which changes nothing when run again; the edit an input makes is the
 * smallest one at the caret, and remote changes move a caret as a person expects.
 */
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import { BoardProjection } from '../../../src/lib/sync/projection';
import {
	currentText,
	editBetween,
	resolveSelection,
	selectionOf,
	shiftIndex,
	typeText,
	type TextAddress
} from '../../../src/lib/sync/shared-text';
import { migrateBoardText } from '../../../src/lib/sync/text-encoding';
import { CONTRACT_ONE_STORY, writeContractOneBoard } from '../../helpers/contract-one';
import { Network } from '../../helpers/replicas';

const TYPING_SEEDS = [11, 12, 13, 14, 15];

describe('[D17] concurrent typing', () => {
	test.each(TYPING_SEEDS)(
		'seed %i: 3–4 people type into the same fields at once; every replica ends with the same text, and no one loses a word',
		(seed) => {
			const network = new Network(seed % 2 === 0 ? 4 : 3, seed);
			const ids = seedDemoBoard(network.replicas[0]!.docs, network.replicas[0]!.ctx, '2026-11-23');
			network.flush();
			const fields: TextAddress[] = [
				{ collection: 'stories', id: ids.stories.checkout, field: 'acceptanceCriteria' },
				{ collection: 'stories', id: ids.stories.checkout, field: 'iWant' },
				{ collection: 'meta', id: 'board', field: 'vision' }
			];
			const typed: { field: TextAddress; word: string }[] = [];
			for (let step = 0; step < 400; step++) {
				if (prng.uint32(network.gen, 0, 9) < 6 || network.pending === 0) {
					const replica = prng.oneOf(network.gen, network.replicas);
					const field = prng.oneOf(network.gen, fields);
					const before = currentText(replica.docs, field);
					// Typed next to a space (or at an end), never inside someone's word.
					const gaps = [0, before.length];
					for (let i = 1; i < before.length; i++) if (before[i - 1] === ' ') gaps.push(i);
					const at = prng.oneOf(network.gen, gaps);
					// Each word is unique, so its survival can be checked; spaces keep words apart.
					const word = ` w${replica.index}x${step} `;
					const after = before.slice(0, at) + word + before.slice(at);
					typeText(replica.docs, replica.ctx, field, before, after, at + word.length);
					typed.push({ field, word: word.trim() });
				} else {
					network.deliverOne();
				}
			}
			network.flush();
			for (const field of fields) {
				const texts = network.replicas.map((r) => currentText(r.docs, field));
				expect(new Set(texts).size).toBe(1);
			}
			for (const { field, word } of typed) {
				expect(currentText(network.replicas[0]!.docs, field)).toContain(word);
			}
		}
	);

	test('typing and deleting at once: replicas converge, and what nobody deleted survives', () => {
		const network = new Network(3, 21);
		const ids = seedDemoBoard(network.replicas[0]!.docs, network.replicas[0]!.ctx, '2026-11-23');
		network.flush();
		const field: TextAddress = { collection: 'stories', id: ids.stories.checkout, field: 'soThat' };
		for (let step = 0; step < 300; step++) {
			const replica = prng.oneOf(network.gen, network.replicas);
			const before = currentText(replica.docs, field);
			if (before.length > 0 && prng.uint32(network.gen, 0, 3) === 0) {
				const from = prng.uint32(network.gen, 0, before.length - 1);
				const to = Math.min(before.length, from + prng.uint32(network.gen, 1, 4));
				typeText(
					replica.docs,
					replica.ctx,
					field,
					before,
					before.slice(0, from) + before.slice(to),
					from
				);
			} else {
				const at = prng.uint32(network.gen, 0, before.length);
				const char = prng.word(network.gen, 1, 2);
				typeText(
					replica.docs,
					replica.ctx,
					field,
					before,
					before.slice(0, at) + char + before.slice(at),
					at + char.length
				);
			}
			if (prng.bool(network.gen)) network.deliverOne();
		}
		network.flush();
		const texts = network.replicas.map((r) => currentText(r.docs, field));
		expect(new Set(texts).size).toBe(1);
		const projections = network.replicas.map(
			(r) => r.projection.state.stories.get(ids.stories.checkout)!.soThat
		);
		expect(new Set(projections)).toEqual(new Set([texts[0]]));
	});

	test('a caret shared as a relative position stays on its character while others type before it', () => {
		const network = new Network(2, 31);
		const ids = seedDemoBoard(network.replicas[0]!.docs, network.replicas[0]!.ctx, '2026-11-23');
		network.flush();
		const [una, vic] = network.replicas as [
			(typeof network.replicas)[0],
			(typeof network.replicas)[0]
		];
		const field: TextAddress = { collection: 'stories', id: ids.stories.checkout, field: 'iWant' };
		const text = currentText(una.docs, field);
		const caret = selectionOf(una.docs, field, text.length, text.length)!;
		typeText(vic.docs, vic.ctx, field, text, `Soon: ${text}`, 6);
		network.flush();
		expect(resolveSelection(vic.docs, field, caret)).toEqual({
			from: text.length + 6,
			to: text.length + 6,
			headAtEnd: true
		});
	});
});

describe('[D17] the edit an input makes', () => {
	test.each([
		['typing at the caret', 'aa', 'aaa', 2, { index: 1, remove: 0, insert: 'a' }],
		['typing at the end', 'aa', 'aaa', 3, { index: 2, remove: 0, insert: 'a' }],
		['typing at the start', 'aa', 'aaa', 1, { index: 0, remove: 0, insert: 'a' }],
		['a backspace', 'abc', 'ac', 1, { index: 1, remove: 1, insert: '' }],
		[
			'replacing a selection',
			'hello world',
			'hello there',
			11,
			{ index: 6, remove: 5, insert: 'there' }
		],
		['pasting over everything', 'old', 'new text', 8, { index: 0, remove: 3, insert: 'new text' }],
		['an emoji after an emoji', '😀', '😀😃', 4, { index: 2, remove: 0, insert: '😃' }]
	])('%s', (_name, before, after, caret, edit) => {
		expect(editBetween(before, after, caret)).toEqual(edit);
	});

	test.each([
		['text typed before the caret moves it along', 5, [{ retain: 2 }, { insert: 'xyz' }], 8],
		['text typed after the caret leaves it', 2, [{ retain: 4 }, { insert: 'xyz' }], 2],
		['text typed right at the caret stays after it', 2, [{ retain: 2 }, { insert: 'x' }], 2],
		['text deleted before the caret pulls it back', 5, [{ retain: 1 }, { delete: 2 }], 3],
		[
			'a deletion around the caret puts it where the deletion began',
			3,
			[{ retain: 1 }, { delete: 4 }],
			1
		]
	])('%s', (_name, index, delta, moved) => {
		expect(shiftIndex(index, delta)).toBe(moved);
	});
});

describe('[D17] boards of contract 1', () => {
	test('are read the same before and after the conversion, which runs once', () => {
		const docs = new BoardDocs('acme');
		writeContractOneBoard(docs.board, 'acme');
		const before = new BoardProjection(docs, { now: Date.parse('2026-11-23T09:00:00.000Z') });
		const story = before.state.stories.get('s-1')!;
		expect(story.iWant).toBe(CONTRACT_ONE_STORY.iWant);
		expect(story.acceptanceCriteria).toEqual(CONTRACT_ONE_STORY.criteria);
		expect(before.rejected.size).toBe(0);
		const read = JSON.stringify({
			board: before.state.board,
			stories: [...before.state.stories.values()],
			epics: [...before.state.epics.values()]
		});

		let converted = 0;
		docs.board.transact(() => (converted = migrateBoardText(docs.board)));
		// vision, the epic's description, four story texts, the criteria, and the version.
		expect(converted).toBe(8);
		const stored = docs.collection('stories').get('s-1')!;
		for (const field of ['asA', 'iWant', 'soThat', 'successMeasure', 'acceptanceCriteria']) {
			expect(stored.get(field)).toBeInstanceOf(Y.Text);
		}
		expect((stored.get('acceptanceCriteria') as Y.Text).toString()).toBe(
			CONTRACT_ONE_STORY.criteria.join('\n')
		);
		expect(docs.meta().get('schemaVersion')).toBe(2);
		const after = new BoardProjection(docs, { now: Date.parse('2026-11-23T09:00:00.000Z') });
		expect(
			JSON.stringify({
				board: after.state.board,
				stories: [...after.state.stories.values()],
				epics: [...after.state.epics.values()]
			})
		).toBe(read);

		// Idempotent: a second run finds nothing to do and writes nothing.
		const updates: Uint8Array[] = [];
		docs.board.on('update', (update: Uint8Array) => updates.push(update));
		docs.board.transact(() => (converted = migrateBoardText(docs.board)));
		expect(converted).toBe(0);
		expect(updates).toEqual([]);
	});

	test('a Y.Text someone already types in is never replaced by the conversion', () => {
		const docs = new BoardDocs('acme');
		writeContractOneBoard(docs.board, 'acme');
		docs.board.transact(() => migrateBoardText(docs.board));
		const iWant = docs.collection('stories').get('s-1')!.get('iWant') as Y.Text;
		iWant.insert(0, 'really ');
		docs.board.transact(() => migrateBoardText(docs.board));
		expect(docs.collection('stories').get('s-1')!.get('iWant')).toBe(iWant);
		expect(iWant.toString()).toBe(`really ${CONTRACT_ONE_STORY.iWant}`);
	});
});
