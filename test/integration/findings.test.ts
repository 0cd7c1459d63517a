/**
 * The server validates every merged board state with the same engine as the clients and
 * publishes the findings in the board document and over HTTP.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Finding } from '../../src/lib/domain/findings';
import { FINDINGS_KEY } from '../../src/lib/sync/layout';
import * as op from '../../src/lib/sync/operations';
import { ensureDemoBoard } from '../../server/server';
import { BoardClient } from '../helpers/board-client';
import { fixedContext } from '../helpers/op-context';
import { eventually, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
const clients: BoardClient[] = [];

beforeEach(async () => {
	server = await startTestServer();
});

afterEach(async () => {
	for (const client of clients.splice(0)) client.destroy();
	await server.close();
});

async function board(id = 'acme'): Promise<BoardClient> {
	const client = await BoardClient.open(server, id);
	clients.push(client);
	await client.synced();
	return client;
}

async function apiFindings(boardId: string): Promise<{ status: number; body: unknown }> {
	const token = /^[\w-]+$/.test(boardId) ? await server.token(boardId) : 'none';
	const response = await fetch(`${server.httpUrl}/api/boards/${boardId}/findings`, {
		headers: { authorization: `Bearer ${token}` }
	});
	return { status: response.status, body: await response.json() };
}

describe('server-side validation', () => {
	test('[R1] a client over-commits a sprint; another client and the API see the finding', async () => {
		const sm = await board();
		const watcher = await board();
		const ctx = fixedContext('sm');
		op.createBoard(sm.docs, ctx, { name: 'Acme' });
		const team = op.createTeam(sm.docs, ctx, { name: 'Ops', velocity: 30 });
		const incidents = op.createStory(sm.docs, ctx, {
			title: 'Incidents',
			duration: 'recurring',
			teamIds: [team.id]
		});
		const upgrade = op.createStory(sm.docs, ctx, { title: 'Upgrade', teamIds: [team.id] });
		const sprint = op.planSprint(sm.docs, ctx, {
			teamId: team.id,
			name: 'Sprint 12',
			start: '2026-11-23',
			end: '2026-12-06'
		});
		op.reserveUnknownWork(sm.docs, ctx, sprint.id, incidents.id, 10);
		op.commitStory(sm.docs, ctx, sprint.id, upgrade.id, 21);

		const published = await eventually(
			() => watcher.publishedFindings().find((f) => f.rule === 'R1'),
			{ what: 'R1 in the watcher’s board document' }
		);
		expect(published.severity).toBe('error');
		expect(published.message).toContain('31 points');
		expect(published.message).toContain('velocity 30');
		expect(published.refs).toContainEqual({ kind: 'sprint', id: sprint.id });

		const { status, body } = await apiFindings('acme');
		expect(status).toBe(200);
		expect((body as Finding[]).filter((f) => f.rule === 'R1')).toEqual([published]);

		// Back under velocity: the finding disappears everywhere.
		op.commitStory(sm.docs, ctx, sprint.id, upgrade.id, 20);
		await eventually(() => !watcher.publishedFindings().some((f) => f.rule === 'R1'), {
			what: 'R1 gone'
		});
	});

	test('a client that overwrites the server-owned findings is reverted', async () => {
		const sm = await board();
		const ctx = fixedContext('sm');
		op.createBoard(sm.docs, ctx, { name: 'Acme' });
		op.createTeam(sm.docs, ctx, { name: 'Tiny', velocity: 10 });
		await eventually(() => sm.publishedFindings().some((f) => f.rule === 'R15'), {
			what: 'R15 published'
		});
		sm.docs.board.getMap(FINDINGS_KEY).set('list', []);
		await eventually(() => sm.publishedFindings().some((f) => f.rule === 'R15'), {
			what: 'findings restored'
		});
	});

	test('the demo board is created once and validated when asked over HTTP', async () => {
		const today = new Date().toISOString().slice(0, 10);
		expect(await ensureDemoBoard(server.server.registry, server.access, today)).toBe(true);
		expect(await ensureDemoBoard(server.server.registry, server.access, today)).toBe(false);
		const { status, body } = await apiFindings('demo');
		expect(status).toBe(200);
		expect((body as Finding[]).map((f) => f.rule)).toEqual(['R13', 'R15']);
		const viewer = await board('demo');
		expect(viewer.projection.state.stories.size).toBe(6);
		expect(viewer.projection.state.tasks.size).toBe(5);
	});

	test('an unknown board is a 404 and a malformed id a 400; asking stores nothing', async () => {
		expect((await apiFindings('nobody')).status).toBe(404);
		expect((await apiFindings('bad%20id')).status).toBe(400);
		await eventually(async () => server.server.registry.size === 0, { what: 'unloaded' });
		const { SqliteStore } = await import('../../server/store/sqlite');
		const store = SqliteStore.open(server.dataDir);
		expect(await store.list('')).toEqual([]);
		await store.close();
	});
});
