/**
 * Access control over real sockets and HTTP: who may connect (401/403 at the upgrade), who may
 * write which document (read-only connections get permission-denied and change nothing), the
 * access API, removal of a member, the audit log, and role-guarded changes reported by A1.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { WebSocket } from 'ws';
import { TokenIssuer } from '../../server/auth/tokens';
import type { GuardedChange } from '../../src/lib/domain/authorship';
import type { Finding } from '../../src/lib/domain/findings';
import { documentName } from '../../src/lib/sync/layout';
import * as op from '../../src/lib/sync/operations';
import { BoardClient } from '../helpers/board-client';
import { RawClient, upgradeStatus } from '../helpers/raw-client';
import {
	eventually,
	mintToken,
	startTestServer,
	synced,
	testSecret,
	type TestServer
} from '../helpers/server';
import { callApi } from '../helpers/api';

let server: TestServer;
let logs: string[];
const closers: (() => void)[] = [];

beforeEach(async () => {
	logs = [];
	server = await startTestServer({ logLevel: 'debug', logWrite: (line) => logs.push(line) });
});

afterEach(async () => {
	for (const close of closers.splice(0)) close();
	await server.close();
});

async function open(boardId: string, as: Parameters<typeof BoardClient.open>[2] = {}) {
	const client = await BoardClient.open(server, boardId, as);
	closers.push(() => client.destroy());
	await client.synced();
	return client;
}

const api = (method: string, path: string, options?: Parameters<typeof callApi>[3]) =>
	callApi(server.httpUrl, method, path, options);

/** A board with teams Web and Ops, created through the API; returns ids and the admin token. */
async function acmeBoard() {
	const created = await api('POST', '/api/boards', { body: { name: 'Acme', adminName: 'Alice' } });
	expect(created.status).toBe(201);
	const { boardId, token: adminToken } = created.body as { boardId: string; token: string };
	const admin = Object.assign(
		await open(boardId, { personId: created.body.personId, name: 'Alice' }),
		{ personId: created.body.personId as string }
	);
	const ctx = op.liveContext(created.body.personId);
	const web = op.createTeam(admin.docs, ctx, { name: 'Web', velocity: 30 });
	const ops = op.createTeam(admin.docs, ctx, { name: 'Ops', velocity: 20 });
	const story = op.createStory(admin.docs, ctx, { title: 'Checkout', teamIds: [web.id] });
	await eventually(async () => {
		const { body } = await api('GET', `/api/boards/${boardId}/members`, { token: adminToken });
		return body.length === 1;
	});
	await admin.synced();
	return { boardId, adminToken, admin, web, ops, story };
}

async function join(
	boardId: string,
	adminToken: string,
	name: string,
	teamId: string | null,
	role: string
) {
	const invite = await api('POST', `/api/boards/${boardId}/invites`, {
		token: adminToken,
		body: { teamId, role }
	});
	expect(invite.status).toBe(201);
	expect(invite.body.path).toContain(`/join/${boardId}?invite=`);
	const joined = await api('POST', `/api/boards/${boardId}/join`, {
		body: { name, invite: invite.body.invite }
	});
	expect(joined.status).toBe(201);
	return joined.body as { personId: string; token: string; teams: string[]; roles: string[] };
}

describe('who may connect', () => {
	test('no token, a forged or malformed token and an expired one are refused with 401', async () => {
		const url = `${server.syncUrl}/acme`;
		expect((await upgradeStatus(url)).status).toBe(401);
		const forged = await mintToken(new TokenIssuer(testSecret()), 'acme');
		expect((await upgradeStatus(`${url}?token=${forged}`)).status).toBe(401);
		expect((await upgradeStatus(`${url}?token=not.a.token`)).status).toBe(401);
		expect((await upgradeStatus(`${url}?token=${'x'.repeat(5000)}`)).status).toBe(401);
		const expired = await mintToken(
			new TokenIssuer(server.secret, { now: () => Date.now() - 2 * 3600_000 }),
			'acme'
		);
		const refused = await upgradeStatus(`${url}?token=${expired}`);
		expect(refused.status).toBe(401);
		expect(refused.body).toMatch(/expired/);
		// The refusal is logged, never the token.
		expect(logs.some((line) => line.includes('refused a connection'))).toBe(true);
		for (const token of [forged, expired]) {
			expect(logs.some((line) => line.includes(token))).toBe(false);
		}
	});

	test('a token of another board is refused with 403', async () => {
		const token = await server.token('other');
		expect((await upgradeStatus(`${server.syncUrl}/acme?token=${token}`)).status).toBe(403);
		expect((await upgradeStatus(`${server.syncUrl}/acme/team/web?token=${token}`)).status).toBe(
			403
		);
		expect((await upgradeStatus(`${server.syncUrl}/other?token=${token}`)).status).toBe(101);
	});

	test('an expired session open at expiry is closed', async () => {
		const token = await server.token('acme', { ttlSeconds: 1 });
		const raw = await RawClient.open(`${server.syncUrl}/acme?token=${token}`);
		const closed = await raw.closed;
		expect(closed).toEqual({
			code: 1008,
			reason: 'session-expired: your session expired; join the board again'
		});
	});
});

describe("sessions end on the server's clock", () => {
	test('a token minted by a server whose clock is two days behind lasts its hour on that clock', async () => {
		let clock = Date.now() - 2 * 86_400_000;
		const behind = await startTestServer({ now: () => clock, limits: { heartbeatMs: 250 } });
		try {
			const token = await behind.token('acme', { ttlSeconds: 3600 });
			const raw = await RawClient.open(`${behind.syncUrl}/acme?token=${token}`);
			// The machine's clock is two days past the token's expiry: still open after two checks.
			let pings = 0;
			const checked = new Promise<'checked'>((resolve) =>
				raw.ws.on('ping', () => {
					if (++pings === 2) resolve('checked');
				})
			);
			expect(await Promise.race([checked, raw.closed])).toBe('checked');
			expect(raw.ws.readyState).toBe(WebSocket.OPEN);
			// The hour passes on the server's clock: the next check closes it.
			clock += 3601_000;
			expect(await raw.closed).toEqual({
				code: 1008,
				reason: 'session-expired: your session expired; join the board again'
			});
		} finally {
			await behind.close();
		}
	});
});

describe('who may write', () => {
	test("a read-only connection's writes reach nobody and are not stored; it gets permission-denied", async () => {
		const { boardId, web, ops } = await acmeBoard();
		const opsDoc = documentName.team(boardId, ops.id);
		const owner = await server.connect(opsDoc, { as: { personId: 'olga', teams: [ops.id] } });
		closers.push(() => owner.destroy());
		await synced(owner);
		owner.doc.getMap('tasks').set('t-owned', new Y.Map([['title', 'by ops']]));

		// A Web member on the Ops document: they receive everything, change nothing.
		const outsider = await RawClient.open(
			await server.url(opsDoc, { personId: 'walt', teams: [web.id], roles: ['team-member'] })
		);
		closers.push(() => outsider.terminate());
		const foreign = new Y.Doc();
		foreign.getMap('tasks').set('t-forged', new Y.Map([['title', 'by web']]));
		const frame = encoding.createEncoder();
		encoding.writeVarUint(frame, 0);
		encoding.writeVarUint(frame, 2);
		encoding.writeVarUint8Array(frame, Y.encodeStateAsUpdate(foreign));
		outsider.send(encoding.toUint8Array(frame));
		await eventually(() => outsider.permissionDenied().length === 1, { what: 'permission denied' });
		expect(outsider.permissionDenied()[0]).toMatch(/not change/);

		// The owner keeps writing and the outsider sees it live; the forged task went nowhere.
		owner.doc.getMap('tasks').set('t-later', new Y.Map([['title', 'by ops']]));
		await eventually(() => outsider.frames.length >= 3, { what: 'outsider receives updates' });
		const late = await server.connect(opsDoc, { as: { personId: 'olga', teams: [ops.id] } });
		closers.push(() => late.destroy());
		await synced(late);
		await eventually(() => late.doc.getMap('tasks').has('t-later'));
		expect(late.doc.getMap('tasks').has('t-forged')).toBe(false);
		expect(owner.doc.getMap('tasks').has('t-forged')).toBe(false);
		const stored = new Y.Doc();
		for (const update of (await server.store.load(opsDoc)).updates) {
			Y.applyUpdate(stored, update);
		}
		expect(stored.getMap('tasks').has('t-owned')).toBe(true);
		expect(stored.getMap('tasks').has('t-forged')).toBe(false);
	});

	test("[R11] a member edits their own team's tasks, sees another team's live, and cannot change them", async () => {
		const { boardId, web, ops } = await acmeBoard();
		const wendy = await open(boardId, {
			personId: 'wendy',
			name: 'Wendy',
			teams: [web.id],
			roles: ['team-member'],
			admin: false
		});
		const oscar = await open(boardId, {
			personId: 'oscar',
			name: 'Oscar',
			teams: [ops.id],
			roles: ['team-member'],
			admin: false
		});
		const wendyCtx = op.liveContext('wendy');
		const oscarCtx = op.liveContext('oscar');
		const own = op.addTask(wendy.docs, wendyCtx, web.id, { title: 'Fix login' });
		const theirs = op.addTask(oscar.docs, oscarCtx, ops.id, { title: 'Rotate certificates' });
		await eventually(() => oscar.projection.state.tasks.get(own.id)?.title === 'Fix login', {
			what: 'Oscar sees Wendy’s task'
		});
		await eventually(() => wendy.projection.state.tasks.has(theirs.id), {
			what: 'Wendy sees Oscar’s task'
		});
		op.moveTask(oscar.docs, oscarCtx, ops.id, theirs.id, 'doing');
		await eventually(() => wendy.projection.state.tasks.get(theirs.id)?.status === 'doing', {
			what: 'Oscar’s move reaches Wendy live'
		});

		// Wendy's replica accepts her edit of an Ops task locally; the server drops it.
		op.editTask(wendy.docs, wendyCtx, ops.id, theirs.id, { title: 'Hijacked' });
		op.moveTask(wendy.docs, wendyCtx, web.id, own.id, 'done');
		await eventually(() => oscar.projection.state.tasks.get(own.id)?.status === 'done', {
			what: 'Wendy’s own change arrives'
		});
		expect(oscar.projection.state.tasks.get(theirs.id)?.title).toBe('Rotate certificates');
		const fresh = await open(boardId, { personId: 'oscar', teams: [ops.id] });
		expect(fresh.projection.state.tasks.get(theirs.id)?.title).toBe('Rotate certificates');
	});
});

describe('npm run token', () => {
	test('prints a token on its last line that the server accepts for that person, team and role', async () => {
		const [boardId, web] = ['acme', { id: 'web' }];
		const run = promisify(execFile);
		// The CLI reads the secret as text from SCRUMOPS_SECRET, as the server does.
		const textSecret = 'a-text-secret-for-the-token-cli-test-0123456789';
		const cliServer = await startTestServer({ secret: new TextEncoder().encode(textSecret) });
		closers.push(() => void cliServer.close());
		const { stdout, stderr } = await run(
			process.execPath,
			[
				'--import',
				'tsx',
				'scripts/token.ts',
				'--board',
				boardId,
				'--user',
				'Ada Lovelace',
				'--team',
				web.id,
				'--role',
				'scrum-master'
			],
			{ env: { ...process.env, SCRUMOPS_SECRET: textSecret } }
		);
		const token = stdout.trim().split('\n').at(-1)!;
		expect(stderr).toMatch(/Ada Lovelace \(ada-lovelace\)/);
		expect(stderr).not.toContain(token);
		const identity = await cliServer.tokens.verifySession(token);
		expect(identity).toMatchObject({
			boardId,
			personId: 'ada-lovelace',
			name: 'Ada Lovelace',
			teams: [web.id],
			roles: ['scrum-master'],
			admin: false
		});
		expect(identity.expiresAt! - Date.now()).toBeGreaterThan(29 * 86_400_000);
		const url = `${cliServer.syncUrl}/${boardId}/team/${web.id}?token=${token}`;
		expect((await upgradeStatus(url)).status).toBe(101);
		await expect(
			run(
				process.execPath,
				['--import', 'tsx', 'scripts/token.ts', '--board', 'a/b', '--user', 'x'],
				{
					env: { ...process.env, SCRUMOPS_SECRET: textSecret }
				}
			)
		).rejects.toMatchObject({
			code: 2,
			stderr: expect.stringMatching(/--board "a\/b" is not valid/)
		});
	});
});

describe('the access API', () => {
	test('create, invite, join, check a session, list members, read the audit log', async () => {
		const { boardId, adminToken, story } = await acmeBoard();
		const bob = await join(boardId, adminToken, 'Bob', null, 'stakeholder');
		expect(bob.roles).toEqual(['stakeholder']);
		const session = await api('GET', `/api/boards/${boardId}/session`, { token: bob.token });
		expect(session.status).toBe(200);
		expect(session.body).toMatchObject({
			boardId,
			name: 'Bob',
			roles: ['stakeholder'],
			admin: false
		});
		expect(Date.parse(session.body.expiresAt)).toBeGreaterThan(Date.now() + 29 * 86_400_000);

		const members = await api('GET', `/api/boards/${boardId}/members`, { token: bob.token });
		expect(members.body.map((m: { name: string }) => m.name)).toEqual(['Alice', 'Bob']);

		// A stakeholder reads the board but cannot change it.
		const viewer = await open(boardId, {
			personId: bob.personId,
			name: 'Bob',
			roles: ['stakeholder'],
			admin: false
		});
		expect(viewer.projection.state.stories.get(story.id)?.title).toBe('Checkout');

		// Only the admin invites or reads the audit log.
		expect(
			(
				await api('POST', `/api/boards/${boardId}/invites`, {
					token: bob.token,
					body: { teamId: null, role: 'product-owner' }
				})
			).status
		).toBe(403);
		const audit = await api('GET', `/api/boards/${boardId}/audit?limit=50`, { token: adminToken });
		expect(audit.status).toBe(200);
		const authors = new Set(audit.body.map((entry: { author: string }) => entry.author));
		expect(authors.has('server')).toBe(true);
		expect(authors.has(bob.personId)).toBe(false);
		expect(audit.body[0]).toMatchObject({
			document: expect.stringContaining(boardId),
			bytes: expect.any(Number)
		});
		expect((await api('GET', `/api/boards/${boardId}/audit`, { token: bob.token })).status).toBe(
			403
		);
	});

	test('bad requests get a status and a sentence, and write nothing', async () => {
		const { boardId, adminToken } = await acmeBoard();
		const cases: [string, string, { token?: string; body?: unknown }, number][] = [
			['POST', '/api/boards', { body: { name: '', adminName: 'A' } }, 400],
			['POST', '/api/boards', { body: { name: 'X', adminName: 'A'.repeat(81) } }, 400],
			['POST', `/api/boards/${boardId}/join`, { body: { name: 'Eve' } }, 401],
			['POST', `/api/boards/${boardId}/join`, { body: { name: 'Eve', invite: 'forged' } }, 401],
			[
				'POST',
				`/api/boards/${boardId}/invites`,
				{ token: adminToken, body: { teamId: 'nope', role: 'team-member' } },
				400
			],
			[
				'POST',
				`/api/boards/${boardId}/invites`,
				{ token: adminToken, body: { teamId: null, role: 'king' } },
				400
			],
			[
				'POST',
				`/api/boards/${boardId}/invites`,
				{ body: { teamId: null, role: 'team-member' } },
				401
			],
			['GET', `/api/boards/${boardId}/members`, {}, 401],
			['GET', '/api/boards/bad%20id/members', {}, 400],
			['DELETE', `/api/boards/${boardId}/members/nobody`, { token: adminToken }, 404],
			['DELETE', `/api/boards/${boardId}/invites/nobody`, { token: adminToken }, 404],
			['DELETE', `/api/boards/${boardId}/invites/bad%20id`, { token: adminToken }, 400],
			['GET', `/api/boards/${boardId}/invites?limit=0`, { token: adminToken }, 400],
			['GET', `/api/boards/${boardId}/invites`, {}, 401]
		];
		for (const [method, path, options, status] of cases) {
			const response = await api(method, path, options);
			expect({ method, path, status: response.status }).toEqual({ method, path, status });
			expect(response.body.error).toMatch(/\w+ \w+/);
		}
		const huge = await fetch(`${server.httpUrl}/api/boards`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'x'.repeat(20_000), adminName: 'A' })
		});
		expect(huge.status).toBe(413);
		const text = await fetch(`${server.httpUrl}/api/boards`, { method: 'POST', body: 'name=x' });
		expect(text.status).toBe(415);
		const members = await api('GET', `/api/boards/${boardId}/members`, { token: adminToken });
		expect(members.body).toHaveLength(1);
	});
});

describe('revoking an invite', () => {
	test('a revoked invite lets nobody else join; who joined with it stays a member', async () => {
		const { boardId, adminToken, web } = await acmeBoard();
		const made = await api('POST', `/api/boards/${boardId}/invites`, {
			token: adminToken,
			body: { teamId: web.id, role: 'team-member', expiresInDays: 3 }
		});
		expect(made.status).toBe(201);
		expect(Date.parse(made.body.expiresAt)).toBeGreaterThan(Date.now() + 2.9 * 86_400_000);
		const dan = await api('POST', `/api/boards/${boardId}/join`, {
			body: { name: 'Dan', invite: made.body.invite }
		});
		expect(dan.status).toBe(201);

		const listed = await api('GET', `/api/boards/${boardId}/invites`, { token: adminToken });
		expect(listed.body).toEqual([
			{
				id: made.body.id,
				teamId: web.id,
				role: 'team-member',
				createdBy: 'Alice',
				createdAt: expect.any(String),
				expiresAt: made.body.expiresAt
			}
		]);
		// Only the admin sees or revokes invites.
		expect(
			(await api('GET', `/api/boards/${boardId}/invites`, { token: dan.body.token })).status
		).toBe(403);
		const byMember = await api('DELETE', `/api/boards/${boardId}/invites/${made.body.id}`, {
			token: dan.body.token
		});
		expect(byMember.status).toBe(403);

		const revoked = await api('DELETE', `/api/boards/${boardId}/invites/${made.body.id}`, {
			token: adminToken
		});
		expect(revoked.status).toBe(204);
		const again = await api('DELETE', `/api/boards/${boardId}/invites/${made.body.id}`, {
			token: adminToken
		});
		expect(again.status).toBe(404);
		expect(again.body.error).toMatch(/revoked already/);
		expect(
			(await api('GET', `/api/boards/${boardId}/invites`, { token: adminToken })).body
		).toEqual([]);

		const eve = await api('POST', `/api/boards/${boardId}/join`, {
			body: { name: 'Eve', invite: made.body.invite }
		});
		expect(eve.status).toBe(403);
		expect(eve.body.error).toBe(
			"The board's admin revoked this invite link; ask them for a new one."
		);
		const members = await api('GET', `/api/boards/${boardId}/members`, { token: adminToken });
		expect(members.body.map((m: { name: string }) => m.name)).toEqual(['Alice', 'Dan']);
		// Dan joined before the revocation: his session still opens his team's document.
		const url = `${server.syncUrl}/${boardId}/team/${web.id}?token=${dan.body.token}`;
		expect((await upgradeStatus(url)).status).toBe(101);
	});

	test('a signed invite the board has no record of is refused', async () => {
		const { boardId } = await acmeBoard();
		const unrecorded = await server.tokens.issueInvite(
			{ id: 'never-issued', boardId, teamId: null, role: 'product-owner' },
			3600
		);
		const joined = await api('POST', `/api/boards/${boardId}/join`, {
			body: { name: 'Mallory', invite: unrecorded }
		});
		expect(joined.status).toBe(401);
		expect(joined.body.error).toMatch(/no record of this invite/);
	});
});

describe('removing a member', () => {
	test('closes their open connections within 5 s and their token stops working', async () => {
		const { boardId, adminToken, web } = await acmeBoard();
		const carol = await join(boardId, adminToken, 'Carol', web.id, 'team-member');
		const raw = await RawClient.open(
			`${server.syncUrl}/${boardId}/team/${web.id}?token=${carol.token}`
		);
		const started = Date.now();
		const removed = await api('DELETE', `/api/boards/${boardId}/members/${carol.personId}`, {
			token: adminToken
		});
		expect(removed.status).toBe(204);
		const closed = await raw.closed;
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(closed).toEqual({
			code: 1008,
			reason: 'member-removed: you were removed from this board'
		});
		expect((await upgradeStatus(`${server.syncUrl}/${boardId}?token=${carol.token}`)).status).toBe(
			401
		);
		const session = await api('GET', `/api/boards/${boardId}/session`, { token: carol.token });
		expect(session.status).toBe(401);
		expect(session.body.error).toMatch(/removed/);
		expect(session.body.code).toBe('member-removed');
	});
	test('on another instance sharing the store, their connections close within 5 s too, and a role change reconnects them', async () => {
		const { boardId, adminToken, web } = await acmeBoard();
		const carol = await join(boardId, adminToken, 'Carol', web.id, 'team-member');
		const dave = await join(boardId, adminToken, 'Dave', web.id, 'team-member');
		// A second instance on the same store, as behind a load balancer.
		const other = await startTestServer({
			dataDir: server.dataDir,
			secret: server.secret,
			sharedStoreSweepMs: 250
		});
		closers.push(() => void other.close());
		const carolThere = await RawClient.open(
			`${other.syncUrl}/${boardId}/team/${web.id}?token=${carol.token}`
		);
		const daveThere = await RawClient.open(`${other.syncUrl}/${boardId}?token=${dave.token}`);
		await carolThere.opened;
		await daveThere.opened;

		const started = Date.now();
		const removed = await api('DELETE', `/api/boards/${boardId}/members/${carol.personId}`, {
			token: adminToken
		});
		expect(removed.status).toBe(204);
		expect(await carolThere.closed).toEqual({
			code: 1008,
			reason: 'member-removed: you were removed from this board'
		});
		expect(Date.now() - started).toBeLessThan(5_000);

		const changed = await api('POST', `/api/boards/${boardId}/members/${dave.personId}`, {
			token: adminToken,
			body: { roles: ['stakeholder'] }
		});
		expect(changed.status).toBe(200);
		expect((await daveThere.closed).reason).toMatch(/^access-changed: /);
		expect(Date.now() - started).toBeLessThan(10_000);
	});
});

describe('role-guarded changes', () => {
	/** A member of the team with none of the roles that guard story and team fields. */
	const openAsMallory = (boardId: string, teamId: string) =>
		open(boardId, {
			personId: 'mallory',
			name: 'Mallory',
			teams: [teamId],
			roles: ['team-member'],
			admin: false
		});

	test('[A1] a change made without the role surfaces as a finding naming the person', async () => {
		const { boardId, story, web, admin } = await acmeBoard();
		const mallory = await openAsMallory(boardId, web.id);
		op.editStory(mallory.docs, op.liveContext('mallory'), story.id, { duration: 'recurring' });
		const a1 = (findings: Finding[]) => findings.find((f) => f.rule === 'A1');
		const seen = await eventually(() => a1(admin.publishedFindings()), { what: 'A1 published' });
		expect(seen.message).toMatch(/Mallory/);
		expect(seen.message).toMatch(/duration/);
		expect(seen.refs).toContainEqual({ kind: 'person', id: 'mallory' });
		await eventually(() => a1([...admin.projection.findings()]), {
			what: 'A1 on the admin’s own replica'
		});

		// The Product Owner decides the duration: the record is theirs now, and the finding goes.
		op.editStory(admin.docs, op.liveContext('alice'), story.id, { duration: 'finite' });
		await eventually(() => !a1(admin.publishedFindings()), { what: 'A1 cleared' });
	});

	test('[A1] a backlog reorder by someone who is not the story’s Product Owner is recorded and reported', async () => {
		const { boardId, story, web, admin } = await acmeBoard();
		const alice = op.liveContext(admin.personId);
		op.setProductOwner(admin.docs, alice, story.id, admin.personId);
		op.createStory(admin.docs, alice, { title: 'Search', productOwnerIds: [admin.personId] });
		await admin.synced();
		const mallory = await openAsMallory(boardId, web.id);
		await eventually(() => mallory.projection.state.stories.size === 2, { what: 'two stories' });

		op.moveStory(mallory.docs, op.liveContext('mallory'), story.id, 1);
		const a1 = (findings: Finding[]) =>
			findings.find((f) => f.rule === 'A1' && f.message.includes('backlog position'));
		const seen = await eventually(() => a1(admin.publishedFindings()), { what: 'A1 published' });
		expect(seen.message).toBe(
			'Mallory changed the backlog position of "Checkout" without being its Product Owner or a ' +
				'Chief Product Owner (their roles: team member).'
		);
		const record = admin.docs.authorship().get(`stories/${story.id}/rank`) as GuardedChange;
		expect(record).toMatchObject({ personId: 'mallory', roles: ['team-member'] });
		await eventually(() => a1([...admin.projection.findings()]), { what: 'on every replica' });
		await eventually(() => a1([...mallory.projection.findings()]), { what: 'on Mallory’s too' });

		// Its Product Owner puts it back: the record is theirs, and the finding goes.
		op.moveStory(admin.docs, alice, story.id, 0);
		await eventually(() => !a1(admin.publishedFindings()), { what: 'A1 cleared' });
	});

	test('[A1] accepting a story at the review without being its Product Owner is recorded and reported', async () => {
		const { boardId, story, web, admin } = await acmeBoard();
		const alice = op.liveContext(admin.personId);
		op.setProductOwner(admin.docs, alice, story.id, admin.personId);
		const sprint = op.planSprint(admin.docs, alice, {
			teamId: web.id,
			name: 'Web sprint 1',
			start: '2026-11-23',
			end: '2026-12-04'
		});
		op.commitStory(admin.docs, alice, sprint.id, story.id, 5);
		await admin.synced();
		const mallory = await openAsMallory(boardId, web.id);
		await eventually(() => mallory.projection.state.sprints.has(sprint.id), { what: 'the sprint' });

		// A proposal is anyone's to make, and records nothing.
		op.proposeChange(mallory.docs, op.liveContext('mallory'), story.id, {
			kind: 'accept',
			sprintId: sprint.id,
			note: 'demoed on Friday'
		});
		await eventually(() => admin.projection.state.stories.get(story.id)?.proposals.mallory, {
			what: 'the proposal reaches the Product Owner'
		});
		const byMallory = () =>
			[...admin.docs.authorship().values()].filter(
				(record) => (record as GuardedChange).personId === 'mallory'
			);
		expect(byMallory()).toEqual([]);

		op.reviewStory(mallory.docs, op.liveContext('mallory'), sprint.id, story.id, 'accepted');
		const a1 = (findings: Finding[]) => findings.find((f) => f.rule === 'A1');
		const seen = await eventually(() => a1(admin.publishedFindings()), { what: 'A1 published' });
		expect(seen.message).toBe(
			'Mallory changed the review of "Checkout" in Web sprint 1 without being its Product Owner ' +
				'or a Chief Product Owner (their roles: team member).'
		);
		expect(seen.refs).toEqual([
			{ kind: 'story', id: story.id },
			{ kind: 'sprint', id: sprint.id },
			{ kind: 'person', id: 'mallory' }
		]);
		expect(admin.docs.authorship().has(`sprints/${sprint.id}/reviews/${story.id}`)).toBe(true);

		// The Product Owner reviews it themselves: the finding goes, and so does the proposal.
		op.reviewStory(admin.docs, alice, sprint.id, story.id, 'accepted');
		await eventually(() => !a1(admin.publishedFindings()), { what: 'A1 cleared' });
		expect(admin.projection.state.stories.get(story.id)?.proposals).toEqual({});
	});

	test('a client cannot rewrite the authorship record', async () => {
		const { boardId, story, web, admin } = await acmeBoard();
		const mallory = await openAsMallory(boardId, web.id);
		op.editStory(mallory.docs, op.liveContext('mallory'), story.id, { teaming: 'multiple' });
		await eventually(() => admin.publishedFindings().some((f) => f.rule === 'A1'));
		mallory.docs.board.getMap('authorship').clear();
		await eventually(() => mallory.docs.board.getMap('authorship').size === 1, {
			what: 'restored'
		});
		expect(admin.publishedFindings().some((f) => f.rule === 'A1')).toBe(true);
	});
});

describe('API write limit', () => {
	test('past its budget an address gets 429 with Retry-After and nothing is created; reads go on', async () => {
		await server.close();
		server = await startTestServer({ writeLimit: { perMinute: 1, burst: 2 } });
		const board = { body: { name: 'Acme', adminName: 'Alice' } };
		expect((await api('POST', '/api/boards', board)).status).toBe(201);
		expect((await api('POST', '/api/boards', board)).status).toBe(201);

		const response = await fetch(`${server.httpUrl}/api/boards`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Spam', adminName: 'Mallory' })
		});
		expect(response.status).toBe(429);
		const wait = Number(response.headers.get('retry-after'));
		expect(wait).toBeGreaterThanOrEqual(1);
		expect(await response.json()).toEqual({
			error: `Too many changes from your address; try again in ${wait} s.`,
			code: 'rate-limited'
		});
		expect(await server.store.list('')).toHaveLength(2);

		for (let i = 0; i < 5; i++) expect((await api('GET', '/api/time')).status).toBe(200);
	});
});
