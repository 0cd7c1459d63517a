/**
 * The browser's board connection, run in Node against a real server: every WebSocket it opens
 * carries a fresh connection ticket and never the session token, it comes back by itself after
 * the server restarts, and a session the server refuses or ends closes it with the server's
 * sentence and says why by the reason's code.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MemoryStore } from '../../server/store/memory';
import { StoreUnavailableError, type DocumentStore } from '../../server/store/store';
import { boardTickets } from '../../src/lib/client/tickets';
import { ConnectionState } from '../../src/lib/state/connection.svelte';
import { BoardConnection } from '../../src/lib/sync/connection/board-connection';
import { eventually, startTestServer, type TestServer } from '../helpers/server';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What the page sends: ticket requests (with the token) and WebSocket URLs. */
function recorder(httpUrl: () => string) {
	const sockets: string[] = [];
	const tickets: string[] = [];
	const authorizations: string[] = [];
	let failures = 0;
	class RecordedSocket extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols);
			sockets.push(String(url));
		}
	}
	const recordedFetch = async (input: string | URL | Request, init?: RequestInit) => {
		authorizations.push(new Headers(init?.headers).get('authorization') ?? '');
		const response = await fetch(new URL(String(input), httpUrl()), init).catch(
			(error: unknown) => {
				failures++;
				throw error;
			}
		);
		if (response.status === 201) {
			tickets.push(((await response.clone().json()) as { ticket: string }).ticket);
		}
		return response;
	};
	return {
		sockets,
		tickets,
		authorizations,
		/** Ticket requests that found no server. */
		get failures() {
			return failures;
		},
		/** A page's connection options: tickets asked for with `token`, recorded sockets. */
		options: (token: string) => ({
			tickets: boardTickets('acme', token, recordedFetch as typeof fetch),
			WebSocket: RecordedSocket as unknown as typeof globalThis.WebSocket
		})
	};
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

test('every connection carries a fresh ticket, never the token, and returns after a restart', async () => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'scrumops-board-connection-'));
	cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
	let server: TestServer = await startTestServer({ dataDir });
	cleanups.push(() => server.close());
	const port = Number(new URL(server.httpUrl).port);
	const token = await server.token('acme');
	const page = recorder(() => server.httpUrl);
	const connection = new BoardConnection('acme', {
		wsUrl: server.syncUrl,
		...page.options(token)
	});
	cleanups.push(() => connection.destroy());
	await until(connection, () => connection.status === 'connected');
	expect(page.sockets).toHaveLength(1);

	await server.close();
	await until(connection, () => connection.status === 'offline');
	// It keeps trying while the server is down: a ticket request finds nobody.
	await eventually(() => page.failures > 0, { what: 'a ticket request fails' });
	server = await startTestServer({ dataDir, port, secret: server.secret });
	await until(connection, () => connection.status === 'connected');

	expect(page.sockets.length).toBeGreaterThanOrEqual(2);
	expect(new Set(page.tickets).size).toBe(page.tickets.length);
	for (const url of page.sockets) {
		expect(url).not.toContain('token=');
		const ticket = new URL(url).searchParams.get('ticket');
		expect(page.tickets).toContain(ticket);
	}
	// Each ticket was asked for with the session token, in a header.
	expect(page.authorizations.every((header) => header === `Bearer ${token}`)).toBe(true);
	// No socket was tried for the ticket requests that failed.
	expect(page.sockets).toHaveLength(page.tickets.length);
	expect(page.authorizations).toHaveLength(page.tickets.length + page.failures);
});

test("a session the server refuses ends the board's connection with the server's sentence", async () => {
	const server = await startTestServer({ store: 'memory' });
	cleanups.push(() => server.close());
	const token = await server.token('acme', { personId: 'sam', admin: false });
	const session = await fetch(`${server.httpUrl}/api/boards/acme/session`, {
		headers: { authorization: `Bearer ${token}` }
	});
	expect(session.status).toBe(200);
	await server.access.removeMember('acme', 'sam');

	const page = recorder(() => server.httpUrl);
	const connection = new BoardConnection('acme', { wsUrl: server.syncUrl, ...page.options(token) });
	cleanups.push(() => connection.destroy());
	await until(connection, () => connection.status === 'ended');
	expect(connection.ended).toEqual({
		code: 1008,
		reason: expect.stringMatching(/^member-removed: You were removed/),
		end: 'removed'
	});
	expect(page.sockets).toEqual([]);
});

test('a member removed while connected: the close says the session ended, by its code', async () => {
	const server = await startTestServer({ store: 'memory' });
	cleanups.push(() => server.close());
	const token = await server.token('acme', { personId: 'sam', admin: false });
	const page = recorder(() => server.httpUrl);
	const connection = new BoardConnection('acme', { wsUrl: server.syncUrl, ...page.options(token) });
	cleanups.push(() => connection.destroy());
	await until(connection, () => connection.status === 'connected');

	await server.access.removeMember('acme', 'sam');
	await until(connection, () => connection.status === 'ended');
	expect(connection.ended).toEqual({
		code: 1008,
		reason: 'member-removed: you were removed from this board',
		end: 'removed'
	});
});

/**
 * A real store that can lose its database: while `down`, every call fails as an outage of the
 * database behind it does, and nothing reaches it.
 */
class StoreWithOutage implements DocumentStore {
	down = false;
	readonly inner = new MemoryStore();
	#check(): void {
		if (this.down) throw new StoreUnavailableError();
	}
	async load(name: string) {
		this.#check();
		return this.inner.load(name);
	}
	async append(name: string, update: Uint8Array, author?: string, intent?: string | null) {
		this.#check();
		return this.inner.append(name, update, author, intent);
	}
	async claimLeases(holder: string, wanted: readonly string[], ttlMs: number) {
		this.#check();
		return this.inner.claimLeases(holder, wanted, ttlMs);
	}
	async compact(name: string, snapshot: Uint8Array, throughSeq: number) {
		this.#check();
		return this.inner.compact(name, snapshot, throughSeq);
	}
	async audit(name: string, limit: number) {
		this.#check();
		return this.inner.audit(name, limit);
	}
	async list(prefix: string) {
		this.#check();
		return this.inner.list(prefix);
	}
	async deleteDocuments(name: string) {
		this.#check();
		return this.inner.deleteDocuments(name);
	}
	async health() {
		return this.down
			? { ok: false, kind: 'memory', detail: 'the database cannot be reached' }
			: this.inner.health();
	}
	close() {
		return this.inner.close();
	}
}

test('while the server cannot store, the page says it cannot save, nobody receives its edit, and it is saved once the store is back', async () => {
	const store = new StoreWithOutage();
	const server = await startTestServer({ store });
	cleanups.push(() => server.close());
	const page = recorder(() => server.httpUrl);
	const connection = new BoardConnection('acme', {
		wsUrl: server.syncUrl,
		...page.options(await server.token('acme'))
	});
	cleanups.push(() => connection.destroy());
	const watcher = await server.connect('acme');
	cleanups.push(() => watcher.destroy());
	await until(connection, () => connection.status === 'connected');

	store.down = true;
	const health = await fetch(`${server.httpUrl}/healthz`);
	expect(health.status).toBe(503);
	connection.docs.collection('stories').set('s-1', new Y.Map([['title', 'Written while down']]));
	await until(connection, () => connection.offlineCause === 'store');
	expect(new ConnectionState(connection).label).toMatch(/^Can't save right now/);
	// Nothing that was not stored reached anyone.
	expect(watcher.doc.getMap('stories').has('s-1')).toBe(false);

	store.down = false;
	await until(connection, () => connection.status === 'connected');
	expect(connection.offlineCause).toBeNull();
	await eventually(() => watcher.doc.getMap('stories').has('s-1'), { what: 'the edit relayed' });
	const stored = new Y.Doc();
	for (const update of (await store.load('acme')).updates) Y.applyUpdate(stored, update);
	expect((stored.getMap('stories').get('s-1') as Y.Map<unknown>).get('title')).toBe(
		'Written while down'
	);
});
