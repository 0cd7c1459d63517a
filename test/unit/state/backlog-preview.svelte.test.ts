import { flushSync } from 'svelte';
import { describe, expect, test } from 'vitest';
import { backlogPreview } from '../../../src/lib/domain/backlog-preview';
import { BoardView } from '../../../src/lib/state/board-view.svelte';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';
import * as Y from 'yjs';

const NOW = Date.parse('2026-11-23T10:00:00Z');

/** The demo board as the server holds it, and a page that has not received it yet. */
function serverAndPage() {
	const server = new BoardDocs('demo');
	seedDemoBoard(server, fixedContext('d'), '2026-11-23');
	const serverState = new BoardProjection(server, { now: NOW });
	const page = new BoardDocs('demo');
	const view = new BoardView(new BoardProjection(page, { now: NOW }));
	const arrive = () => Y.applyUpdate(page.board, Y.encodeStateAsUpdate(server.board));
	return { serverState, view, arrive };
}

describe('BoardView preview while the board loads', () => {
	test('shows the server’s top rows and their team names until the board document arrives', () => {
		const { serverState, view, arrive } = serverAndPage();
		const preview = backlogPreview(serverState.state, 3);
		let shown: string[] = [];
		const stop = $effect.root(() => {
			$effect(() => {
				shown = (view.preview?.stories ?? view.backlog).map((s) => s.title);
			});
		});
		flushSync();
		expect(view.loaded).toBe(false);
		expect(shown).toEqual([]);

		view.showPreview(preview);
		flushSync();
		expect(shown).toEqual(preview.stories.map((s) => s.title));
		const named = preview.stories.flatMap((s) => s.teamIds)[0]!;
		expect(view.team(named)?.name).toBe(serverState.state.teams.get(named)?.name);

		arrive();
		flushSync();
		expect(view.loaded).toBe(true);
		expect(view.preview).toBeNull();
		expect(shown).toEqual(view.backlog.map((s) => s.title));
		expect(shown.slice(0, 3)).toEqual(preview.stories.map((s) => s.title));
		stop();
	});

	test('a preview that comes after the board document is ignored', () => {
		const { serverState, view, arrive } = serverAndPage();
		arrive();
		view.showPreview(backlogPreview(serverState.state, 3));
		expect(view.preview).toBeNull();
	});
});
