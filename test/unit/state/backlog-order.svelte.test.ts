import { flushSync } from 'svelte';
import { describe, expect, test, vi } from 'vitest';
import { compareRanked } from '../../../src/lib/domain/order';
import { BoardView } from '../../../src/lib/state/board-view.svelte';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';

function demo() {
	const docs = new BoardDocs('demo');
	const ctx = fixedContext('d');
	const ids = seedDemoBoard(docs, ctx, '2026-11-23');
	const projection = new BoardProjection(docs, { now: Date.parse('2026-11-23T10:00:00Z') });
	return { docs, ctx, ids, projection, view: new BoardView(projection) };
}

const sorted = (projection: BoardProjection) =>
	[...projection.state.stories.values()].sort(compareRanked).map((s) => s.id);

describe('BoardView backlog, kept in order edit by edit', () => {
	test('moves, new stories, edits and removals leave it equal to a full sort', () => {
		const { docs, ctx, projection, view } = demo();
		let seen: string[] = [];
		const stop = $effect.root(() => {
			$effect(() => {
				seen = view.backlog.map((s) => s.id);
			});
		});
		flushSync();
		const edits = [
			() => op.createStory(docs, ctx, { title: 'Export invoices' }),
			() => op.moveStory(docs, ctx, view.backlog.at(-1)!.id, 0),
			() => op.moveStory(docs, ctx, view.backlog[0]!.id, 3),
			() => op.editStory(docs, ctx, view.backlog[2]!.id, { title: 'Renamed' }),
			() => docs.collection('stories').delete(view.backlog[1]!.id),
			() => op.createStory(docs, ctx, { title: 'Audit log' })
		];
		for (const edit of edits) {
			edit();
			flushSync();
			expect(seen).toEqual(sorted(projection));
		}
		stop();
		expect(view.backlogIndex(view.backlog[2]!)).toBe(2);
	});

	test('an edit keeps every other story object, so their rows do not re-render', () => {
		const { docs, ctx, view } = demo();
		const stop = $effect.root(() => {
			$effect(() => {
				void view.backlog;
			});
		});
		flushSync();
		const before = view.backlog;
		op.editStory(docs, ctx, before[1]!.id, { title: 'Renamed' });
		flushSync();
		const after = view.backlog;
		stop();
		expect(after[1]!.title).toBe('Renamed');
		expect(after.filter((s, i) => s !== before[i])).toHaveLength(1);
	});
});

describe('BoardView findings', () => {
	test('[R1] components get them after the next frame, handlers at once', () => {
		// Outside a browser the view's next frame is the next task: a timer the test runs.
		vi.useFakeTimers({ toFake: ['setTimeout'] });
		try {
			const { docs, ctx, ids, view } = demo();
			let shown = -1;
			const stop = $effect.root(() => {
				$effect(() => {
					shown = view.findingsAbout('sprint', ids.sprints.web, 'R1').length;
				});
			});
			vi.runOnlyPendingTimers();
			flushSync();
			expect(shown).toBe(0);
			op.updateTeam(docs, ctx, ids.teams.web, { velocity: 20 });
			flushSync();
			expect(view.findingsAbout('sprint', ids.sprints.web, 'R1')).toHaveLength(1);
			expect(shown).toBe(0);
			vi.runOnlyPendingTimers();
			flushSync();
			expect(shown).toBe(1);
			stop();
		} finally {
			vi.useRealTimers();
		}
	});
});
