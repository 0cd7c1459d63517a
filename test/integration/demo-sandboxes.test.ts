/**
 * The demo as a sandbox per visitor, over real HTTP and sockets with a real SQLite store: each
 * visitor gets a copy of their own, the same browser gets it back, and sandboxes nobody used for
 * the idle time are removed with everything stored for them. The server's clock is a variable
 * here, so idleness is a matter of moving it, not of waiting.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { documentName } from '../../src/lib/sync/layout';
import {
	connectProvider,
	eventually,
	startTestServer,
	synced,
	type TestServer
} from '../helpers/server';

const IDLE_MS = 60 * 60 * 1000;

let server: TestServer;
let clock: number;
const closers: (() => void)[] = [];

beforeEach(async () => {
	clock = Date.now();
	server = await startTestServer({
		now: () => clock,
		sandboxIdleMs: IDLE_MS,
		// Sweeps run when a test asks (`sweep()`), not on a timer.
		sandboxSweepEveryMs: 24 * IDLE_MS
	});
});

afterEach(async () => {
	for (const close of closers.splice(0)) close();
	await server.close();
});

interface Sandbox {
	boardId: string;
	personId: string;
	token: string;
	resumed: boolean;
	sandbox: boolean;
	roles: string[];
}

async function openDemo(name: string, resume?: string): Promise<Sandbox> {
	const response = await fetch(`${server.httpUrl}/api/demo`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name, ...(resume ? { resume } : {}) })
	});
	const body = await response.json();
	expect(response.status, JSON.stringify(body)).toBe(201);
	return body as Sandbox;
}

async function get(path: string, token: string) {
	const response = await fetch(`${server.httpUrl}${path}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	return { status: response.status, body: await response.json() };
}

/** Resolves once no room of the board is open on the server (the API's writes have settled). */
async function roomsClosed(boardId: string) {
	await eventually(
		() =>
			![...server.server.registry.rooms()].some(
				(room) => room.name === boardId || room.name.startsWith(`${boardId}/`)
			),
		{ what: `the rooms of ${boardId} to close` }
	);
}

describe('the demo sandbox', () => {
	test("each visitor gets a copy of the demo board of their own, and cannot open anyone else's", async () => {
		const nina = await openDemo('Nina');
		const omar = await openDemo('Omar');
		expect(nina.boardId).not.toBe(omar.boardId);
		expect(nina).toMatchObject({ sandbox: true, resumed: false });

		const board = connectProvider(
			server.syncUrl,
			documentName.board(nina.boardId),
			undefined,
			nina.token
		);
		closers.push(() => board.destroy());
		await synced(board);
		expect(board.doc.getMap('stories').size).toBeGreaterThan(0);
		expect(board.doc.getMap('teams').size).toBe(3);

		const members = await get(`/api/boards/${nina.boardId}/members`, nina.token);
		expect(members.body.map((m: { name: string; admin: boolean }) => [m.name, m.admin])).toEqual([
			['Nina', true]
		]);
		const other = await get(`/api/boards/${omar.boardId}/members`, nina.token);
		expect(other.status).toBe(403);
		expect(other.body.code).toBe('wrong-board');
	});

	test('the same browser opening the demo again gets its own sandbox back, as the same member', async () => {
		const first = await openDemo('Nina');
		const again = await openDemo('Nina', first.token);
		expect(again).toMatchObject({
			boardId: first.boardId,
			personId: first.personId,
			resumed: true,
			sandbox: true
		});
		const members = await get(`/api/boards/${first.boardId}/members`, again.token);
		expect(members.body).toHaveLength(1);
		// A session of a board that is not a sandbox opens a new sandbox instead.
		const created = await fetch(`${server.httpUrl}/api/boards`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Real', adminName: 'Nina' })
		}).then((response) => response.json());
		const fresh = await openDemo('Nina', created.token);
		expect(fresh.resumed).toBe(false);
		expect(fresh.boardId).not.toBe(created.boardId);
	});

	test('a sandbox nobody used for the idle time is removed with its documents, members and invites; its visitor gets a new one', async () => {
		const nina = await openDemo('Nina');
		const omar = await openDemo('Omar');
		const invite = await fetch(`${server.httpUrl}/api/boards/${nina.boardId}/invites`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${nina.token}` },
			body: JSON.stringify({ teamId: null, role: 'team-member' })
		});
		expect(invite.status).toBe(201);
		await roomsClosed(nina.boardId);
		await roomsClosed(omar.boardId);
		expect(await server.store.list(`${nina.boardId}`)).not.toEqual([]);

		// Omar comes back after half the idle time; nobody touches Nina's sandbox.
		clock += IDLE_MS / 2;
		expect(await server.server.sandboxes.sweep()).toEqual([]);
		expect((await get(`/api/boards/${omar.boardId}/session`, omar.token)).status).toBe(200);
		clock += IDLE_MS / 2 + 1;
		expect(await server.server.sandboxes.sweep()).toEqual([nina.boardId]);

		const members = server.access.members;
		expect(await server.store.list(nina.boardId)).toEqual([]);
		expect(await members.board(nina.boardId)).toBeNull();
		expect(await members.members(nina.boardId)).toEqual([]);
		expect(await members.openInvites(nina.boardId, clock, 10)).toEqual([]);
		expect((await get(`/api/boards/${nina.boardId}/session`, nina.token)).status).toBe(401);
		expect(await members.board(omar.boardId)).not.toBeNull();
		expect(await server.store.list(omar.boardId)).not.toEqual([]);

		const back = await openDemo('Nina', nina.token);
		expect(back.resumed).toBe(false);
		expect(back.boardId).not.toBe(nina.boardId);
	});

	test('a sandbox someone is still connected to is kept, however long ago it was opened', async () => {
		const nina = await openDemo('Nina');
		const board = connectProvider(
			server.syncUrl,
			documentName.board(nina.boardId),
			undefined,
			nina.token
		);
		closers.push(() => board.destroy());
		await synced(board);
		clock += 2 * IDLE_MS;
		expect(await server.server.sandboxes.sweep()).toEqual([]);
		expect(await server.access.members.board(nina.boardId)).not.toBeNull();
		// Once they leave, it is idle from the last sweep that saw them.
		board.destroy();
		await roomsClosed(nina.boardId);
		clock += IDLE_MS + 1;
		expect(await server.server.sandboxes.sweep()).toEqual([nina.boardId]);
	});

	test('the demo can be switched off: no sandbox is made', async () => {
		const off = await startTestServer({ demo: false });
		closers.push(() => void off.close());
		const response = await fetch(`${off.httpUrl}/api/demo`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Nina' })
		});
		expect(response.status).toBe(404);
	});
});
