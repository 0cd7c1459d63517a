/**
 * GET /api/boards/:id/backlog: the top of the backlog a page shows while it decodes a large
 * board document, read from the server's own projection of the board.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { BacklogPreview } from '../../src/lib/domain/backlog-preview';
import * as op from '../../src/lib/sync/operations';
import { BoardClient } from '../helpers/board-client';
import { fixedContext } from '../helpers/op-context';
import { eventually, startTestServer, type As, type TestServer } from '../helpers/server';

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

async function preview(
	boardId: string,
	{ query = '', token }: { query?: string; token?: string | null } = {},
	as?: As
): Promise<{ status: number; body: unknown }> {
	const bearer = token === undefined ? await server.token(boardId, as) : token;
	const response = await fetch(`${server.httpUrl}/api/boards/${boardId}/backlog${query}`, {
		headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` }
	});
	return { status: response.status, body: await response.json() };
}

describe('backlog preview', () => {
	test('a loading page gets the top of the backlog in order, as another person just left it', async () => {
		const po = await board();
		const ctx = fixedContext('po');
		op.createBoard(po.docs, ctx, { name: 'Acme' });
		const web = op.createTeam(po.docs, ctx, { name: 'Web', velocity: 20 });
		const titles = ['Checkout', 'Search', 'Invoices', 'Login', 'Reports'];
		const stories = titles.map((title) =>
			op.createStory(po.docs, ctx, { title, teamIds: title === 'Reports' ? [web.id] : [] })
		);
		// Reports goes to the top: the preview follows the order people see.
		op.moveStory(po.docs, ctx, stories[4]!.id, 0);

		const body = await eventually(async () => {
			const { status, body } = await preview('acme', { query: '?limit=3' });
			expect(status).toBe(200);
			const parsed = BacklogPreview.parse(body);
			return parsed.stories[0]?.title === 'Reports' ? parsed : null;
		});
		expect(body.total).toBe(5);
		expect(body.stories.map((s) => s.title)).toEqual(['Reports', 'Checkout', 'Search']);
		expect(body.teams).toEqual([expect.objectContaining({ id: web.id, name: 'Web' })]);
	});

	test('anyone on the board may read it, a stakeholder too', async () => {
		const po = await board();
		op.createBoard(po.docs, fixedContext('po'), { name: 'Acme' });
		const { status, body } = await preview('acme', {}, { personId: 'sam', roles: ['stakeholder'] });
		expect(status).toBe(200);
		expect(body).toEqual({ total: 0, stories: [], teams: [] });
	});

	test('no token is a 401, another board’s a 403, a bad limit a 400 and an unknown board a 404', async () => {
		const po = await board();
		op.createBoard(po.docs, fixedContext('po'), { name: 'Acme' });
		expect((await preview('acme', { token: null })).status).toBe(401);
		expect((await preview('acme', { token: 'not-a-token' })).status).toBe(401);
		expect((await preview('acme', { token: await server.token('other') })).status).toBe(403);
		for (const limit of ['0', '201', '2.5', 'many']) {
			const { status, body } = await preview('acme', { query: `?limit=${limit}` });
			expect(status).toBe(400);
			expect(body).toEqual({
				error: 'limit must be a whole number from 1 to 200.',
				code: 'bad-request'
			});
		}
		const unknown = await preview('nobody');
		expect(unknown.status).toBe(404);
		expect(unknown.body).toEqual({ error: 'There is no board "nobody".', code: 'not-found' });
	});
});
