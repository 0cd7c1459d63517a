/**
 * `POST /api/boards/:id/standup-updates` over real HTTP, with a real server and store: a member
 * who will miss the standup leaves an update, which every open board receives like any edit and
 * the store keeps; a wrong token, someone outside the team and a bad body are refused, each with
 * a reason, and write nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ErrorBody, StandupUpdateCreated } from '../../src/lib/contract/http';
import * as op from '../../src/lib/sync/operations';
import { BoardClient } from '../helpers/board-client';
import { eventually, roundTrip, startTestServer, type TestServer } from '../helpers/server';
import { callApi } from '../helpers/api';

let server: TestServer;
const closers: (() => void)[] = [];

beforeAll(async () => {
	server = await startTestServer();
});

afterAll(() => server.close());

afterEach(() => {
	for (const close of closers.splice(0)) close();
});

const api = (method: string, path: string, options?: Parameters<typeof callApi>[3]) =>
	callApi(server.httpUrl, method, path, options);

/** A board with teams Web and Ops, its admin's board open; Dan joins Web, Oli joins Ops. */
async function boardWithTeams() {
	const created = await api('POST', '/api/boards', { body: { name: 'Acme', adminName: 'Alice' } });
	const { boardId, personId, token } = created.body as {
		boardId: string;
		personId: string;
		token: string;
	};
	const admin = await BoardClient.open(server, boardId, { personId, name: 'Alice' });
	closers.push(() => admin.destroy());
	await admin.synced();
	const ctx = op.liveContext(personId);
	const web = op.createTeam(admin.docs, ctx, { name: 'Web', velocity: 30 });
	const ops = op.createTeam(admin.docs, ctx, { name: 'Ops', velocity: 20 });
	await roundTrip(admin.providers[0]!);
	async function join(name: string, teamId: string) {
		const invite = await api('POST', `/api/boards/${boardId}/invites`, {
			token,
			body: { teamId, role: 'team-member' }
		});
		const joined = await api('POST', `/api/boards/${boardId}/join`, {
			body: { name, invite: (invite.body as { invite: string }).invite }
		});
		expect(joined.status).toBe(201);
		return joined.body as { personId: string; token: string };
	}
	return {
		boardId,
		admin,
		web,
		ops,
		dan: await join('Dan', web.id),
		oli: await join('Oli', ops.id)
	};
}

const path = (boardId: string) => `/api/boards/${boardId}/standup-updates`;

describe('leaving an update for the standup through the API', () => {
	test('a member of the team leaves an update: 201 with the entry, which every open board receives', async () => {
		const { boardId, admin, web, dan } = await boardWithTeams();
		const answer = await api('POST', path(boardId), {
			token: dan.token,
			body: {
				teamId: web.id,
				done: 'Reviewed the checkout PR',
				next: 'Dentist, back tomorrow',
				impediments: 'Waiting for the payment sandbox\nNo Amex test cards'
			}
		});
		expect(answer.status).toBe(201);
		const entry = StandupUpdateCreated.parse(answer.body);
		expect(entry).toMatchObject({
			teamId: web.id,
			personId: dan.personId,
			round: null,
			done: 'Reviewed the checkout PR',
			impediments: 'Waiting for the payment sandbox\nNo Amex test cards'
		});
		expect(entry.day).toBe(new Date().toISOString().slice(0, 10));
		// Relayed like any edit: the board open in another client holds it, and its impediments.
		const seen = await eventually(() => admin.projection.state.standups.get(entry.id), {
			what: 'the update on the open board'
		});
		expect(seen).toEqual(entry);
		const titles = [...admin.projection.state.impediments.values()].map((i) => i.title).sort();
		expect(titles).toEqual(['No Amex test cards', 'Waiting for the payment sandbox']);
		// Stored: a client opening the board afresh reads it.
		const later = await BoardClient.open(server, boardId, { personId: dan.personId, name: 'Dan' });
		closers.push(() => later.destroy());
		await later.synced();
		expect(later.projection.state.standups.get(entry.id)).toEqual(entry);
	});

	test.each([
		['no token', undefined, 401, 'session-missing'],
		['a forged token', 'not.a.token', 401, 'session-invalid']
	])('%s is refused with 401', async (_, token, status, code) => {
		const { boardId, web } = await boardWithTeams();
		const answer = await api('POST', path(boardId), {
			token,
			body: { teamId: web.id, done: 'x' }
		});
		expect(answer.status).toBe(status);
		expect(ErrorBody.parse(answer.body).code).toBe(code);
	});

	test('someone outside the team is refused with 403, and nothing is written', async () => {
		const { boardId, admin, web, oli } = await boardWithTeams();
		const answer = await api('POST', path(boardId), {
			token: oli.token,
			body: { teamId: web.id, done: 'Not my team' }
		});
		expect(answer.status).toBe(403);
		const refusal = ErrorBody.parse(answer.body);
		expect(refusal.code).toBe('not-team-member');
		expect(refusal.error).toMatch(/only its members leave updates/);
		await roundTrip(admin.providers[0]!);
		expect(admin.projection.state.standups.size).toBe(0);
	});

	test.each([
		['no team', { done: 'x' }, /teamId/],
		['an empty update', { teamId: 'TEAM', done: ' ', next: '' }, /say what you did/],
		['an unknown field', { teamId: 'TEAM', done: 'x', mood: 'great' }, /mood|unrecognized/i],
		['an overlong text', { teamId: 'TEAM', next: 'x'.repeat(4001) }, /next/],
		['a done that is not text', { teamId: 'TEAM', done: 42 }, /done/]
	])('a body with %s is refused with 400 naming the problem', async (_, body, reason) => {
		const { boardId, admin, web, dan } = await boardWithTeams();
		const withTeam = JSON.parse(JSON.stringify(body).replace('TEAM', web.id));
		const answer = await api('POST', path(boardId), { token: dan.token, body: withTeam });
		expect(answer.status).toBe(400);
		const refusal = ErrorBody.parse(answer.body);
		expect(refusal.code).toBe('bad-request');
		expect(refusal.error).toMatch(reason);
		await roundTrip(admin.providers[0]!);
		expect(admin.projection.state.standups.size).toBe(0);
	});

	test('a session of another board is refused with 403', async () => {
		const first = await boardWithTeams();
		const second = await boardWithTeams();
		const answer = await api('POST', path(second.boardId), {
			token: first.dan.token,
			body: { teamId: second.web.id, done: 'x' }
		});
		expect(answer.status).toBe(403);
		expect(ErrorBody.parse(answer.body).code).toBe('wrong-board');
	});
});
