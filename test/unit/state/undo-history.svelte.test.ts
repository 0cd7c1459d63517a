/**
 * The person's undo in the view they look at (UndoHistory): a read-only person has nothing to
 * undo, an undo that would leave part of the board invalid is taken back and refused with the
 * reason, like any write, and the keys that ask for undo and redo.
 */
import { describe, expect, test } from 'vitest';
import { undoKeyOf } from '../../../src/lib/client/undo-keys';
import { UndoHistory } from '../../../src/lib/state/undo-history.svelte';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import { EditHistory } from '../../../src/lib/sync/edit-history';
import * as op from '../../../src/lib/sync/operations';
import { fixedContext } from '../../helpers/op-context';

function demo(readOnly = false) {
	const docs = new BoardDocs('demo');
	const ids = seedDemoBoard(docs, fixedContext('d'), '2026-11-23');
	const rejected = new Map<string, string>();
	const edits = new UndoHistory(new EditHistory(docs, () => []), { rejected }, () => readOnly);
	const ctx = fixedContext('ana', 'ana');
	const write = (intent: (ctx: op.OpContext) => unknown) => intent(op.inScope(ctx, edits.begin()));
	const title = () => docs.collection('stories').get(ids.stories.checkout)?.get('title');
	return { docs, ids, rejected, edits, write, title };
}

describe('UndoHistory', () => {
	test('undo and redo in the current view, with what each offers', () => {
		const { docs, ids, edits, write, title } = demo();
		expect(edits.canUndo).toBe(false);
		const before = title();
		write((ctx) => op.editStory(docs, ctx, ids.stories.checkout, { title: 'Faster checkout' }));
		expect(edits.canUndo).toBe(true);

		edits.view = 'planning';
		expect(edits.canUndo).toBe(false);
		expect(edits.undo()).toBeNull();
		expect(title()).toBe('Faster checkout');

		edits.view = 'backlog';
		expect(edits.undo()).toBeNull();
		expect(title()).toBe(before);
		expect(edits.canRedo).toBe(true);
		expect(edits.redo()).toBeNull();
		expect(title()).toBe('Faster checkout');
	});

	test('an undo that leaves part of the board invalid is taken back, with the reason', () => {
		const { docs, ids, rejected, edits, write, title } = demo();
		write((ctx) => op.editStory(docs, ctx, ids.stories.checkout, { title: 'Faster checkout' }));
		// What readers would reject once the edit is gone (the merge with others broke it).
		const stories = docs.collection('stories');
		const watch = () => {
			if (title() !== 'Faster checkout')
				rejected.set(`stories/${ids.stories.checkout}`, 'title: too short');
			else rejected.clear();
		};
		stories.observeDeep(watch);

		expect(edits.undo()).toBe(
			`That cannot be undone: it would leave stories/${ids.stories.checkout} invalid (title: too short). Change it by hand instead.`
		);
		expect(title()).toBe('Faster checkout');
		expect(edits.canUndo).toBe(true);
		stories.unobserveDeep(watch);
	});

	test('a read-only person has nothing to undo', () => {
		const { edits } = demo(true);
		expect(edits.canUndo).toBe(false);
		expect(edits.canRedo).toBe(false);
		expect(edits.undo()).toBeNull();
	});

	test.each([
		{ keys: { key: 'z', ctrlKey: true }, asks: 'undo' },
		{ keys: { key: 'z', metaKey: true }, asks: 'undo' },
		{ keys: { key: 'Z', ctrlKey: true, shiftKey: true }, asks: 'redo' },
		{ keys: { key: 'z', metaKey: true, shiftKey: true }, asks: 'redo' },
		{ keys: { key: 'y', ctrlKey: true }, asks: 'redo' },
		{ keys: { key: 'y', metaKey: true }, asks: null },
		{ keys: { key: 'z' }, asks: null },
		{ keys: { key: 'z', ctrlKey: true, altKey: true }, asks: null }
	] as const)('$keys asks for $asks', ({ keys, asks }) => {
		const event = { ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...keys };
		expect(undoKeyOf(event)).toBe(asks);
	});
});
