/**
 * Connection tickets: a browser asks `POST /api/boards/:id/tickets` with its session token and
 * opens its WebSocket with `?ticket=…`, so the token never sits in a URL. A ticket opens one
 * connection to its board, once, within its lifetime; scripts keep using `?token=`.
 */
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { RawClient, upgradeStatus } from '../helpers/raw-client';
import {
	connectProvider,
	eventually,
	startTestServer,
	synced,
	type As,
	type TestServer
} from '../helpers/server';

const servers: TestServer[] = [];
const closers: (() => void)[] = [];

afterEach(async () => {
	for (const close of closers.splice(0)) close();
	for (const server of servers.splice(0)) await server.close();
});

async function serve(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
	const server = await startTestServer({ store: 'memory', ...options });
	servers.push(server);
	return server;
}

/** Asks for a ticket the way a browser does. */
async function askTicket(
	server: TestServer,
	boardId: string,
	token: string | null
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answer's shape is the test's subject
): Promise<{ status: number; body: any }> {
	const response = await fetch(`${server.httpUrl}/api/boards/${boardId}/tickets`, {
		method: 'POST',
		headers: token === null ? {} : { authorization: `Bearer ${token}` }
	});
	return { status: response.status, body: await response.json() };
}

async function ticketFor(server: TestServer, boardId: string, as?: As): Promise<string> {
	const answer = await askTicket(server, boardId, await server.token(boardId, as));
	expect(answer.status).toBe(201);
	return answer.body.ticket as string;
}

describe('a connection ticket', () => {
	test('opens one connection to its board, once', async () => {
		const server = await serve();
		const token = await server.token('acme');
		const asked = await askTicket(server, 'acme', token);
		expect(asked.status).toBe(201);
		expect(asked.body.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const lifetime = Date.parse(asked.body.expiresAt) - Date.now();
		expect(lifetime).toBeGreaterThan(20_000);
		expect(lifetime).toBeLessThanOrEqual(30_000);

		const url = `${server.syncUrl}/acme?ticket=${asked.body.ticket}`;
		const client = await RawClient.open(url);
		closers.push(() => client.terminate());
		await eventually(() => client.frames.length > 0, { what: 'the server answers on it' });

		const again = await upgradeStatus(url);
		expect(again.status).toBe(401);
		expect(again.body).toMatch(/used already/);
	});

	test('speaks for the person it was issued to: a stranger to a team reads its document only', async () => {
		const server = await serve();
		const ticket = await ticketFor(server, 'acme', { personId: 'walt', teams: ['web'] });
		const outsider = await RawClient.open(`${server.syncUrl}/acme/team/ops?ticket=${ticket}`);
		closers.push(() => outsider.terminate());
		// An update to the Ops tasks: dropped and answered with permission-denied.
		const doc = new Y.Doc();
		doc.getMap('tasks').set('t-forged', new Y.Map([['title', 'by web']]));
		const frame = encoding.createEncoder();
		encoding.writeVarUint(frame, 0);
		encoding.writeVarUint(frame, 2);
		encoding.writeVarUint8Array(frame, Y.encodeStateAsUpdate(doc));
		outsider.send(encoding.toUint8Array(frame));
		await eventually(() => outsider.permissionDenied().length === 1, {
			what: 'permission denied'
		});
	});

	test('is refused on another board, with the board it is for', async () => {
		const server = await serve();
		const ticket = await ticketFor(server, 'acme');
		const refused = await upgradeStatus(`${server.syncUrl}/other?ticket=${ticket}`);
		expect(refused.status).toBe(401);
		expect(refused.body).toMatch(/for board "acme", not "other"/);
	});

	test('is refused once it expired', async () => {
		let clock = Date.now();
		const server = await serve({ now: () => clock });
		const ticket = await ticketFor(server, 'acme');
		clock += 30_001;
		const refused = await upgradeStatus(`${server.syncUrl}/acme?ticket=${ticket}`);
		expect(refused.status).toBe(401);
		expect(refused.body).toMatch(/expired/);
	});

	test('an unknown ticket is refused', async () => {
		const server = await serve();
		const refused = await upgradeStatus(`${server.syncUrl}/acme?ticket=${'A'.repeat(43)}`);
		expect(refused.status).toBe(401);
		expect(refused.body).toMatch(/not valid/);
	});

	test('is refused when its person was removed after getting it', async () => {
		const server = await serve();
		const ticket = await ticketFor(server, 'acme', { personId: 'sam', admin: false });
		expect(await server.access.removeMember('acme', 'sam')).toBe(true);
		const refused = await upgradeStatus(`${server.syncUrl}/acme?ticket=${ticket}`);
		expect(refused.status).toBe(401);
		expect(refused.body).toMatch(/removed/);
	});
});

describe('asking for a ticket', () => {
	test('needs a session token of the board, and says what is wrong', async () => {
		const server = await serve();
		const missing = await askTicket(server, 'acme', null);
		expect(missing.status).toBe(401);
		expect(missing.body.error).toMatch(/session token is needed/);
		const other = await askTicket(server, 'acme', await server.token('other'));
		expect(other.status).toBe(403);
		expect(other.body.error).toMatch(/not "acme"/);
		const sam = await server.token('acme', { personId: 'sam' });
		expect((await askTicket(server, 'acme', sam)).status).toBe(201);
		await server.access.removeMember('acme', 'sam');
		const removed = await askTicket(server, 'acme', sam);
		expect(removed.status).toBe(401);
		expect(removed.body.error).toMatch(/removed/);
	});

	test('is not counted against the write limit: every reconnect asks for one', async () => {
		const server = await serve({ writeLimit: { perMinute: 1, burst: 1 } });
		const token = await server.token('acme');
		for (let attempt = 0; attempt < 5; attempt++) {
			expect((await askTicket(server, 'acme', token)).status).toBe(201);
		}
	});
});

test('the official y-websocket client with params: {token} still syncs', async () => {
	const server = await serve();
	const writer = connectProvider(server.syncUrl, 'acme', new Y.Doc(), await server.token('acme'));
	const reader = connectProvider(server.syncUrl, 'acme', new Y.Doc(), await server.token('acme'));
	closers.push(
		() => writer.destroy(),
		() => reader.destroy()
	);
	await Promise.all([synced(writer), synced(reader)]);
	writer.awareness.setLocalStateField('user', { name: 'Script' });
	await eventually(() => reader.awareness.getStates().get(writer.doc.clientID)?.user, {
		what: 'the script is seen by the other client'
	});
});

test('neither tokens nor tickets reach the log', async () => {
	const logs: string[] = [];
	const server = await serve({ logLevel: 'debug', logWrite: (line) => logs.push(line) });
	const token = await server.token('acme');
	const secrets = [token];

	// A ticket connection, the same ticket again, a token connection, refusals of each kind.
	const asked = await askTicket(server, 'acme', token);
	secrets.push(asked.body.ticket);
	const byTicket = await RawClient.open(`${server.syncUrl}/acme?ticket=${asked.body.ticket}`);
	closers.push(() => byTicket.terminate());
	expect((await upgradeStatus(`${server.syncUrl}/acme?ticket=${asked.body.ticket}`)).status).toBe(
		401
	);
	const byToken = await RawClient.open(`${server.syncUrl}/acme?token=${token}`);
	closers.push(() => byToken.terminate());
	const forOther = await ticketFor(server, 'other');
	secrets.push(forOther);
	expect((await upgradeStatus(`${server.syncUrl}/acme?ticket=${forOther}`)).status).toBe(401);
	const otherToken = await server.token('other');
	secrets.push(otherToken);
	expect((await upgradeStatus(`${server.syncUrl}/acme?token=${otherToken}`)).status).toBe(403);
	const viaQuery = await fetch(`${server.httpUrl}/api/boards/acme/tickets?token=${token}`, {
		method: 'POST'
	});
	expect(viaQuery.status).toBe(201);
	secrets.push(((await viaQuery.json()) as { ticket: string }).ticket);
	await eventually(() => byTicket.frames.length > 0 && byToken.frames.length > 0);
	byTicket.terminate();
	byToken.terminate();
	await Promise.all([byTicket.closed, byToken.closed]);

	expect(logs.some((line) => line.includes('refused a connection'))).toBe(true);
	expect(logs.some((line) => line.includes('/tickets'))).toBe(true);
	for (const secret of secrets) {
		expect(logs.filter((line) => line.includes(secret))).toEqual([]);
	}
});
