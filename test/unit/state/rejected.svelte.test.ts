/**
 * The rejected parts a board page shows (BoardView.rejected): they follow the document, so a
 * part written badly appears with its reason and goes once it is fixed or repaired.
 */
import { flushSync } from 'svelte';
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { BoardView } from '../../../src/lib/state/board-view.svelte';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { DEFAULT_SHAPE_LIMITS } from '../../../src/lib/sync/shape/contract';
import { repairDocument } from '../../../src/lib/sync/shape/inspect';
import { nestDeep } from '../../helpers/deep-nesting';
import { fixedContext } from '../../helpers/op-context';

test('[D4] a rejected story appears with its reason in an effect, and goes when the board is repaired', () => {
	const docs = new BoardDocs('demo');
	const ids = seedDemoBoard(docs, fixedContext('d'), '2026-11-23');
	const view = new BoardView(
		new BoardProjection(docs, { now: Date.parse('2026-11-23T10:00:00Z') })
	);
	const seen: (readonly (readonly [string, string])[])[] = [];
	const stop = $effect.root(() => {
		$effect(() => {
			seen.push(view.rejected);
		});
	});
	flushSync();
	const checkout = docs.collection('stories').get(ids.stories.checkout)!;
	nestDeep(checkout.get('estimates') as Y.Map<unknown>, ids.teams.web, 3_000);
	flushSync();
	repairDocument(docs.board, 'board', DEFAULT_SHAPE_LIMITS, {
		kind: 'server-repair',
		actorId: null,
		intent: 'repairBoard'
	});
	flushSync();
	stop();
	expect(seen[0]).toEqual([]);
	expect(seen).toContainEqual([
		[`stories/${ids.stories.checkout}`, 'estimates: nested deeper than the contract allows']
	]);
	expect(seen.at(-1)).toEqual([]);
	expect(view.backlog.map((story) => story.id)).toContain(ids.stories.checkout);
});
