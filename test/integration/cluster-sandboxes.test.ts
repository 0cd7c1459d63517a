/**
 * Demo sandboxes in a deployment of several instances: two instances on one PostgreSQL
 * database, joined by Redis, each sweeping idle sandboxes on its own. Someone working in their
 * sandbox through one instance keeps it, however long they stay, when the other instance
 * sweeps; once they leave it is removed after the idle time like any other. The instances' clock
 * is a variable, so idleness is a matter of moving it; each sweep is run when the test says,
 * as each instance's timer would run it.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { PostgresStore } from '../../server/store/postgres';
import { documentName } from '../../src/lib/sync/layout';
import { callApi } from '../helpers/api';
import { startTestCluster, type ClusterInstance } from '../helpers/cluster';
import { createTestDatabase } from '../helpers/postgres';
import { startTestRedis } from '../helpers/redis';
import { connectProvider, eventually, synced } from '../helpers/server';

const IDLE_MS = 60 * 60 * 1000;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Resolves once no room of the board is open on `instance`. */
function roomsClosed(instance: ClusterInstance, boardId: string) {
	return eventually(
		() =>
			![...instance.server.registry.rooms()].some(
				(room) => room.name === boardId || room.name.startsWith(`${boardId}/`)
			),
		{ what: `the rooms of ${boardId} to close` }
	);
}

describe('demo sandboxes with several instances', () => {
	test('someone connected through one instance keeps their sandbox when another instance sweeps', async () => {
		let clock = Date.now();
		const redis = await startTestRedis();
		cleanups.push(() => redis.close());
		const database = await createTestDatabase();
		cleanups.push(() => database.drop());
		const store = await PostgresStore.open(database.url);
		const cluster = await startTestCluster({
			count: 2,
			redisUrl: redis.url,
			store,
			now: () => clock,
			demo: true,
			sandboxIdleMs: IDLE_MS,
			// Sweeps run when the test says (`sweep()`), not on a timer.
			sandboxSweepEveryMs: 24 * IDLE_MS
		});
		cleanups.push(() => cluster.close());
		const [here, there] = cluster.instances as [ClusterInstance, ClusterInstance];
		const members = store.members();

		const opened = await callApi(here.httpUrl, 'POST', '/api/demo', { body: { name: 'Nina' } });
		expect(opened.status).toBe(201);
		const { boardId, token } = opened.body as { boardId: string; token: string };
		const board = connectProvider(here.syncUrl, documentName.board(boardId), undefined, token);
		cleanups.push(() => board.destroy());
		await synced(board);
		expect(board.doc.getMap('stories').size).toBeGreaterThan(0);

		// Nina stays connected through the first instance for twice the idle time, while both
		// instances sweep every half of it, the other one first.
		for (let half = 0; half < 4; half++) {
			clock += IDLE_MS / 2 + 1;
			expect(await there.server.sandboxes.sweep()).toEqual([]);
			expect(await here.server.sandboxes.sweep()).toEqual([]);
		}
		expect(await members.board(boardId)).not.toBeNull();
		expect(await cluster.store.list(boardId)).not.toEqual([]);
		expect(board.wsconnected).toBe(true);
		const session = await callApi(there.httpUrl, 'GET', `/api/boards/${boardId}/session`, {
			token
		});
		expect(session.status).toBe(200);

		// Once she leaves, the sandbox is idle from then on, and either instance removes it.
		board.destroy();
		await roomsClosed(here, boardId);
		clock += IDLE_MS + 1;
		expect(await there.server.sandboxes.sweep()).toEqual([boardId]);
		expect(await members.board(boardId)).toBeNull();
		expect(await cluster.store.list(boardId)).toEqual([]);
	});
});
