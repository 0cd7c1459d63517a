/**
 * The HTTP API against its contract, on a real server: every endpoint is called and every real
 * answer is read with the contract's schema, which must take it whole (nothing missing, nothing
 * extra). Refusals carry their code: a removed member's and an expired session's requests are
 * told apart by it, as the page tells them apart.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { TokenIssuer } from '../../server/auth/tokens';
import { ApiError, membersApi, sessionApi } from '../../src/lib/client/api';
import {
	AuditLog,
	BacklogPreview,
	BoardCreated,
	ConnectionTicket,
	ErrorBody,
	Findings,
	HealthReport,
	InviteCreated,
	Joined,
	Members,
	NoContent,
	OpenInvites,
	RejectedReport,
	RepairReport,
	ServerTime,
	SessionInfo,
	sessionEndOfError,
	type ErrorCode
} from '../../src/lib/contract';
import * as op from '../../src/lib/sync/operations';
import { BoardClient } from '../helpers/board-client';
import { eventually, mintToken, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let client: BoardClient | undefined;

beforeAll(async () => {
	server = await startTestServer({ store: 'memory' });
});

afterAll(async () => {
	client?.destroy();
	await server.close();
});

interface Answer {
	status: number;
	body: unknown;
}

async function call(
	method: 'GET' | 'POST' | 'DELETE',
	path: string,
	{ token, body, type }: { token?: string; body?: unknown; type?: string } = {}
): Promise<Answer> {
	const response = await fetch(`${server.httpUrl}${path}`, {
		method,
		headers: {
			...(token ? { authorization: `Bearer ${token}` } : {}),
			...(body !== undefined ? { 'content-type': type ?? 'application/json' } : {})
		},
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The answer read with `schema`: it must take the whole body and leave it as it was. */
function read<S extends z.ZodType>(answer: Answer, status: number, schema: S): z.output<S> {
	expect(answer.status, JSON.stringify(answer.body)).toBe(status);
	const parsed = schema.safeParse(answer.body);
	expect(parsed.error?.issues ?? [], JSON.stringify(answer.body)).toEqual([]);
	// Zod drops keys a schema does not name: a body that changed lost something the server sent.
	expect(parsed.data).toEqual(answer.body);
	return parsed.data as z.output<S>;
}

/** A refusal: the contract's error body, with `code`. */
function refused(answer: Answer, status: number, code: ErrorCode): string {
	const body = read(answer, status, ErrorBody);
	expect(body.code).toBe(code);
	return body.error;
}

/** The page's fetch, against this server. */
const pageFetch = ((input: string | URL | Request, init?: RequestInit) =>
	fetch(new URL(String(input), server.httpUrl), init)) as typeof fetch;

describe('every endpoint answers what the contract says', () => {
	let board: z.output<typeof BoardCreated>;
	let member: z.output<typeof Joined>;

	test('POST /api/boards, with the creator time zone', async () => {
		board = read(
			await call('POST', '/api/boards', {
				body: { name: 'Acme', adminName: 'Alice', timeZone: 'Europe/Berlin' }
			}),
			201,
			BoardCreated
		);
		// A story and a team, so the backlog, the findings and the rejected parts have content.
		client = await BoardClient.open(server, board.boardId, {
			personId: board.personId,
			name: 'Alice'
		});
		const ctx = op.liveContext(board.personId);
		const web = op.createTeam(client.docs, ctx, { name: 'Web', velocity: 30 });
		op.createStory(client.docs, ctx, { title: 'Checkout', teamIds: [web.id] });
		await client.synced();
	});

	test('GET /api/time and GET /healthz', async () => {
		read(await call('GET', '/api/time'), 200, ServerTime);
		expect(read(await call('GET', '/healthz'), 200, HealthReport).status).toBe('ok');
	});

	test('invites: create, list, revoke', async () => {
		const path = `/api/boards/${board.boardId}/invites`;
		const created = read(
			await call('POST', path, { token: board.token, body: { teamId: null, role: 'stakeholder' } }),
			201,
			InviteCreated
		);
		const open = read(await call('GET', path, { token: board.token }), 200, OpenInvites);
		expect(open.map((invite) => invite.id)).toContain(created.id);
		read(await call('DELETE', `${path}/${created.id}`, { token: board.token }), 204, NoContent);
	});

	test('join, session, connection ticket', async () => {
		const invite = read(
			await call('POST', `/api/boards/${board.boardId}/invites`, {
				token: board.token,
				body: { role: 'team-member' }
			}),
			201,
			InviteCreated
		);
		member = read(
			await call('POST', `/api/boards/${board.boardId}/join`, {
				body: { name: 'Bob', invite: invite.invite }
			}),
			201,
			Joined
		);
		const session = read(
			await call('GET', `/api/boards/${board.boardId}/session`, { token: member.token }),
			200,
			SessionInfo
		);
		expect(session).toMatchObject({ name: 'Bob', roles: ['team-member'], admin: false });
		read(
			await call('POST', `/api/boards/${board.boardId}/tickets`, { token: member.token }),
			201,
			ConnectionTicket
		);
	});

	test('members and the audit log', async () => {
		const members = read(
			await call('GET', `/api/boards/${board.boardId}/members`, { token: board.token }),
			200,
			Members
		);
		expect(members.map((m) => m.name).sort()).toEqual(['Alice', 'Bob']);
		const audit = read(
			await call('GET', `/api/boards/${board.boardId}/audit`, { token: board.token }),
			200,
			AuditLog
		);
		expect(audit.length).toBeGreaterThan(0);
	});

	test('findings, backlog, rejected parts and the repair', async () => {
		const base = `/api/boards/${board.boardId}`;
		await eventually(
			async () =>
				read(await call('GET', `${base}/backlog`, { token: board.token }), 200, BacklogPreview)
					.total === 1,
			{ what: 'the story in the backlog' }
		);
		const findings = read(
			await call('GET', `${base}/findings`, { token: board.token }),
			200,
			Findings
		);
		expect(findings.length).toBeGreaterThan(0);
		read(await call('GET', `${base}/rejected`, { token: board.token }), 200, RejectedReport);
		read(await call('POST', `${base}/repair`, { token: board.token }), 200, RepairReport);
	});

	test("the page's calls read the same answers", async () => {
		await expect(sessionApi(board.boardId, member.token, pageFetch)).resolves.toMatchObject({
			personId: member.personId
		});
		await expect(membersApi(board.boardId, board.token, pageFetch)).resolves.toHaveLength(2);
	});

	test('removal: the member is refused with 401 member-removed', async () => {
		read(
			await call('DELETE', `/api/boards/${board.boardId}/members/${member.personId}`, {
				token: board.token
			}),
			204,
			NoContent
		);
		for (const [method, route] of [
			['GET', 'session'],
			['POST', 'tickets'],
			['GET', 'findings']
		] as const) {
			const sentence = refused(
				await call(method, `/api/boards/${board.boardId}/${route}`, { token: member.token }),
				401,
				'member-removed'
			);
			expect(sentence).toMatch(/removed/);
		}
		const error = await sessionApi(board.boardId, member.token, pageFetch).catch((e) => e);
		expect(error).toBeInstanceOf(ApiError);
		expect(error).toMatchObject({ status: 401, code: 'member-removed', fromApi: true });
		expect(sessionEndOfError(error)).toBe('removed');
	});

	test('expiry: a session that expired is refused with 401 session-expired', async () => {
		const expired = await mintToken(
			new TokenIssuer(server.secret, { now: () => Date.now() - 2 * 3600_000 }),
			board.boardId,
			{ personId: board.personId, name: 'Alice' }
		);
		refused(
			await call('GET', `/api/boards/${board.boardId}/session`, { token: expired }),
			401,
			'session-expired'
		);
		const error = await sessionApi(board.boardId, expired, pageFetch).catch((e) => e);
		expect(error).toMatchObject({ status: 401, code: 'session-expired' });
		expect(sessionEndOfError(error)).toBe('expired');
	});

	test('every other refusal has its code, and none of them ends a session', async () => {
		const base = `/api/boards/${board.boardId}`;
		const other = await server.token('elsewhere');
		const cases: [Promise<Answer>, number, ErrorCode][] = [
			[call('GET', `${base}/session`), 401, 'session-missing'],
			[call('GET', `${base}/session`, { token: 'not.a.token' }), 401, 'session-invalid'],
			[call('GET', `${base}/session`, { token: other }), 403, 'wrong-board'],
			[
				call('POST', `${base}/join`, { body: { name: 'Eve', invite: 'not.an.invite' } }),
				401,
				'invite-invalid'
			],
			[call('POST', `${base}/join`, { body: { name: 'Eve' } }), 401, 'invite-needed'],
			[
				call('POST', '/api/boards', {
					body: { name: 'Acme', adminName: 'Alice', timeZone: 'Mars/Olympus_Mons' }
				}),
				400,
				'bad-request'
			],
			[call('POST', '/api/boards', { body: 'not json' }), 400, 'bad-request'],
			[call('POST', '/api/boards', { body: '{}', type: 'text/plain' }), 415, 'not-json'],
			[
				call('GET', '/api/boards/nobody/findings', { token: await server.token('nobody') }),
				404,
				'not-found'
			],
			[call('DELETE', '/api/time'), 405, 'method-not-allowed'],
			[call('GET', '/api/nothing-here'), 404, 'not-found']
		];
		for (const [answer, status, code] of cases) refused(await answer, status, code);

		const guest = read(
			await call('POST', `/api/boards/${board.boardId}/join`, {
				body: {
					name: 'Gus',
					invite: read(
						await call('POST', `${base}/invites`, {
							token: board.token,
							body: { role: 'stakeholder' }
						}),
						201,
						InviteCreated
					).invite
				}
			}),
			201,
			Joined
		);
		refused(await call('GET', `${base}/audit`, { token: guest.token }), 403, 'not-admin');
		refused(await call('POST', `${base}/repair`, { token: guest.token }), 403, 'not-admin');
		const forged = await membersApi(board.boardId, 'not.a.token', pageFetch).catch((e) => e);
		expect(forged).toMatchObject({ status: 401, code: 'session-invalid' });
		expect(sessionEndOfError(forged)).toBeNull();
	});
});
