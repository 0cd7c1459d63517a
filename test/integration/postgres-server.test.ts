/**
 * The real server on PostgreSQL: a board made and written over HTTP and WebSocket, the server
 * restarted with a new store on the same database, and a late joiner reading it all back: the
 * documents, the members and invites, and the token secret live in PostgreSQL, not the process.
 */
import * as Y from 'yjs';
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { loadSharedSecret } from '../../server/auth/secret';
import { PostgresStore } from '../../server/store/postgres';
import { boardTickets } from '../../src/lib/client/tickets';
import { ConnectionState } from '../../src/lib/state/connection.svelte';
import { BoardConnection } from '../../src/lib/sync/connection/board-connection';
import * as op from '../../src/lib/sync/operations';
import { BoardClient } from '../helpers/board-client';
import { createTestDatabase, startDatabaseLink, type TestDatabase } from '../helpers/postgres';
import { eventually, roundTrip, startTestServer, synced, type TestServer } from '../helpers/server';
import { callApi } from '../helpers/api';

const api = (
	server: TestServer,
	method: string,
	path: string,
	options?: Parameters<typeof callApi>[3]
) => callApi(server.httpUrl, method, path, options);

/** A server process's start: its own store (pool) on the database, the secret from there. */
async function startOn(
	database: TestDatabase,
	options: { compactEvery?: number } = {}
): Promise<TestServer> {
	const store = await PostgresStore.open(database.url);
	// No SCRUMOPS_SECRET: the secret is the one the database keeps.
	const secret = await loadSharedSecret(store, {});
	return startTestServer({ store, secret: secret.key, ...options });
}

/** Resolves when `check` holds, re-checked whenever the connection's status may change. */
function until(connection: BoardConnection, check: () => boolean): Promise<void> {
	return new Promise((resolve) => {
		if (check()) return resolve();
		const stop = connection.onStatus(() => {
			if (!check()) return;
			stop();
			resolve();
		});
	});
}

/** An entity of the board document's `epics` collection, standing for any edit. */
const entry = (n: number) => new Y.Map<unknown>([['n', n]]);

describe('the server on PostgreSQL', { timeout: 30_000 }, () => {
	let database: TestDatabase | null = null;
	const cleanups: (() => Promise<void> | void)[] = [];
	afterEach(async () => {
		for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
		await database?.drop();
		database = null;
	});

	test('a board written by one person is read back by a late joiner after a restart', async () => {
		database = await createTestDatabase();
		const first = await startOn(database);
		let firstClosed = false;
		cleanups.push(() => (firstClosed ? undefined : first.close()));

		const created = await api(first, 'POST', '/api/boards', {
			body: { name: 'Acme', adminName: 'Alice' }
		});
		expect(created.status).toBe(201);
		const { boardId, personId: adminId, token: adminToken } = created.body;
		const alice = BoardClient.withToken(first, boardId, adminToken);
		await alice.synced();
		const ctx = op.liveContext(adminId);
		const web = op.createTeam(alice.docs, ctx, { name: 'Web', velocity: 30 });
		const story = op.createStory(alice.docs, ctx, { title: 'Checkout', teamIds: [web.id] });
		await roundTrip(alice.providers[0]!);
		const invite = await api(first, 'POST', `/api/boards/${boardId}/invites`, {
			token: adminToken,
			body: { teamId: web.id, role: 'team-member' }
		});
		expect(invite.status).toBe(201);
		alice.destroy();
		await first.close();
		firstClosed = true;

		const second = await startOn(database);
		cleanups.push(() => second.close());
		// The token the first server signed still works: the secret came from the database.
		const members = await api(second, 'GET', `/api/boards/${boardId}/members`, {
			token: adminToken
		});
		expect(members.status).toBe(200);
		expect(members.body.map((member: { name: string }) => member.name)).toEqual(['Alice']);

		const joined = await api(second, 'POST', `/api/boards/${boardId}/join`, {
			body: { name: 'Bob', invite: invite.body.invite }
		});
		expect(joined.status, JSON.stringify(joined.body)).toBe(201);
		const bob = BoardClient.withToken(second, boardId, joined.body.token);
		cleanups.push(() => bob.destroy());
		await bob.synced();
		await eventually(() => bob.projection.state.stories.get(story.id), { what: 'the story' });
		expect(bob.projection.state.stories.get(story.id)?.title).toBe('Checkout');
		expect(bob.projection.state.teams.get(web.id)?.name).toBe('Web');
		expect((await second.store.audit(boardId, 100)).length).toBeGreaterThan(0);
	});

	test('two servers on one database write one board, compacting often, and a third loads every edit', async () => {
		database = await createTestDatabase();
		// Each compacts its room after every few appends, and again when its room closes.
		const servers = [
			await startOn(database, { compactEvery: 3 }),
			await startOn(database, { compactEvery: 3 })
		];
		const open = [...servers];
		cleanups.push(async () => {
			for (const server of open) await server.close();
		});
		// Alone on the document, a server compacts as usual.
		const first = await servers[0]!.connect('board-1');
		await synced(first);
		for (let i = 0; i < 8; i++) {
			first.doc.getMap('epics').set(`e${i}`, entry(i));
			await roundTrip(first);
		}
		await eventually(
			async () => {
				const stored = await servers[0]!.store.load('board-1');
				return stored.updates.length < stored.lastSeq;
			},
			{ what: 'a compaction' }
		);
		const second = await servers[1]!.connect('board-1');
		await synced(second);
		const writers = [first, second];
		// Turns: each server's room stores updates whose seqs interleave with the other's.
		for (let i = 8; i < 24; i++) {
			const writer = writers[i % 2]!;
			writer.doc.getMap('epics').set(`e${i}`, entry(i));
			await roundTrip(writer);
		}
		for (const writer of writers) writer.destroy();
		for (const server of open.splice(0)) await server.close();

		const third = await startOn(database);
		cleanups.push(() => third.close());
		const reader = await third.connect('board-1');
		cleanups.push(() => reader.destroy());
		await synced(reader);
		expect([...reader.doc.getMap('epics').keys()].sort()).toEqual(
			Array.from({ length: 24 }, (_, i) => `e${i}`).sort()
		);
	});
	test('while PostgreSQL is unreachable the page says it cannot save, /healthz is 503, and the edit is saved once it is back, without a restart', async () => {
		database = await createTestDatabase();
		const link = await startDatabaseLink(database.url);
		cleanups.push(() => link.close());
		const store = await PostgresStore.open(link.url, {
			connectTimeoutMs: 1_000,
			statementTimeoutMs: 2_000
		});
		const secret = await loadSharedSecret(store, {});
		const server = await startTestServer({ store, secret: secret.key });
		cleanups.push(() => server.close());
		const created = await api(server, 'POST', '/api/boards', {
			body: { name: 'Acme', adminName: 'Alice' }
		});
		expect(created.status).toBe(201);
		const { boardId, token } = created.body;
		const fetcher = ((input: string | URL | Request, init?: RequestInit) =>
			fetch(new URL(String(input), server.httpUrl), init)) as typeof fetch;
		// The browser's own connection code, in Node.
		const page = new BoardConnection(boardId, {
			wsUrl: server.syncUrl,
			tickets: boardTickets(boardId, token, fetcher),
			WebSocket: WebSocket as unknown as typeof globalThis.WebSocket
		});
		cleanups.push(() => page.destroy());
		const watcher = BoardClient.withToken(server, boardId, token);
		cleanups.push(() => watcher.destroy());
		await watcher.synced();
		await until(page, () => page.status === 'connected');

		link.cut();
		await eventually(async () => (await fetch(`${server.httpUrl}/healthz`)).status === 503, {
			what: '/healthz to say the store is down'
		});
		page.docs.collection('epics').set('e-down', entry(1));
		await until(page, () => page.offlineCause === 'store');
		expect(new ConnectionState(page).label).toMatch(/^Can't save right now/);
		expect(watcher.docs.collection('epics').has('e-down')).toBe(false);

		link.restore();
		await until(page, () => page.status === 'connected');
		await eventually(() => watcher.docs.collection('epics').has('e-down'), {
			what: 'the edit relayed once stored',
			timeoutMs: 15_000
		});
		const stored = new Y.Doc();
		for (const update of (await store.load(boardId)).updates) Y.applyUpdate(stored, update);
		expect(stored.getMap('epics').has('e-down')).toBe(true);
		expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
	});
});
