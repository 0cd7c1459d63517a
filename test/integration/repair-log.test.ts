/**
 * A repair is stored as many small transactions (deep structures are removed bottom-up, a slice
 * at a time) and then folded into a snapshot. A server that stops between the two still loads
 * the board: the room replays each stored update as its own transaction, never the whole
 * structure and its removal at once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite';
import { documentName, type TransactionOrigin } from '../../src/lib/sync/layout';
import { repairSteps } from '../../src/lib/sync/shape/inspect';
import { DEFAULT_SHAPE_LIMITS } from '../../src/lib/sync/shape/contract';
import { poisonedBoard, storePoisonedBoard } from '../helpers/poisoned-board';
import { startTestServer, type TestServer } from '../helpers/server';

const REPAIR: TransactionOrigin = { kind: 'server-repair', actorId: 'ada', intent: 'repairBoard' };
let server: TestServer | null = null;
let dataDir = '';

afterEach(async () => {
	await server?.close();
	await rm(dataDir, { recursive: true, force: true });
});

test('a board whose repair was stored but not yet folded into a snapshot loads after a restart', async () => {
	dataDir = await mkdtemp(path.join(os.tmpdir(), 'scrumops-repair-log-'));
	const board = poisonedBoard('halfway', 5_000);
	await storePoisonedBoard(dataDir, board);

	// The repair's transactions, appended one by one as the room stores them; no snapshot.
	const slices: Uint8Array[] = [];
	board.docs.board.on('update', (update: Uint8Array) => slices.push(update));
	const steps = repairSteps(board.docs.board, 'board', DEFAULT_SHAPE_LIMITS, REPAIR);
	while (!steps.next().done);
	expect(slices.length).toBeGreaterThan(5_000 / 200);
	const store = SqliteStore.open(dataDir);
	for (const slice of slices) await store.append(documentName.board('halfway'), slice, 'ada');
	await store.close();

	server = await startTestServer({ dataDir });
	const response = await fetch(`${server.httpUrl}/api/boards/halfway/backlog`, {
		headers: { authorization: `Bearer ${await server.token('halfway')}` }
	});
	expect(response.status).toBe(200);
	const { stories } = (await response.json()) as { stories: { title: string }[] };
	expect(stories.map((story) => story.title).sort()).toEqual(
		[...board.goodStories, ...board.healedStories].sort()
	);
});
