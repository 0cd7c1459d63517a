/**
 * One person per person, over real HTTP with a real server and store: joining again resumes the
 * member, a team change keeps one member, members rename themselves, ask to change team or role
 * and the right people decide, the admin edits anyone (herself included), and every Members
 * view hears of each change on its stream.
 */
import { fc, test as propertyTest } from '@fast-check/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ErrorBody, MembersChanged } from '../../src/lib/contract/http';
import * as op from '../../src/lib/sync/operations';
import { BoardClient } from '../helpers/board-client';
import * as Y from 'yjs';
import { documentName } from '../../src/lib/sync/layout';
import {
	connectProvider,
	eventually,
	roundTrip,
	startTestServer,
	synced,
	type TestServer
} from '../helpers/server';
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

interface Joined {
	personId: string;
	token: string;
	teams: string[];
	roles: string[];
	resumed: boolean;
}

/** A board with teams Web and Ops made by its admin Alice; people join it by invite. */
async function acmeBoard() {
	const created = await api('POST', '/api/boards', { body: { name: 'Acme', adminName: 'Alice' } });
	expect(created.status).toBe(201);
	const boardId: string = created.body.boardId;
	const adminId: string = created.body.personId;
	const adminToken: string = created.body.token;
	const admin = await BoardClient.open(server, boardId, { personId: adminId, name: 'Alice' });
	closers.push(() => admin.destroy());
	await admin.synced();
	const ctx = op.liveContext(adminId);
	const web = op.createTeam(admin.docs, ctx, { name: 'Web', velocity: 30 });
	const ops = op.createTeam(admin.docs, ctx, { name: 'Ops', velocity: 20 });
	await roundTrip(admin.providers[0]!);

	const invites = new Map<string, string>();
	async function invite(teamId: string | null, role = 'team-member'): Promise<string> {
		const key = `${teamId}/${role}`;
		if (!invites.has(key)) {
			const made = await api('POST', `/api/boards/${boardId}/invites`, {
				token: adminToken,
				body: { teamId, role }
			});
			expect(made.status).toBe(201);
			invites.set(key, made.body.invite);
		}
		return invites.get(key)!;
	}
	async function join(
		name: string,
		{ teamId = null, role, resume }: { teamId?: string | null; role?: string; resume?: string } = {}
	): Promise<Joined> {
		const joined = await api('POST', `/api/boards/${boardId}/join`, {
			body: { name, invite: await invite(teamId, role), ...(resume ? { resume } : {}) }
		});
		expect(joined.status, JSON.stringify(joined.body)).toBe(201);
		return joined.body;
	}
	const members = async (token = adminToken) => {
		const listed = await api('GET', `/api/boards/${boardId}/members`, { token });
		expect(listed.status).toBe(200);
		return listed.body as { personId: string; name: string; teams: string[]; roles: string[] }[];
	};
	/** Makes `personId` the Scrum Master of `teamId` in the board document. */
	async function scrumMaster(teamId: string, personId: string) {
		op.updateTeam(admin.docs, ctx, teamId, { scrumMasterId: personId });
		await roundTrip(admin.providers[0]!);
	}
	return { boardId, adminId, adminToken, admin, web, ops, invite, join, members, scrumMaster };
}

/** The Members stream of a board: each revision it announced, in order. */
async function membersStream(boardId: string, token: string) {
	const controller = new AbortController();
	closers.push(() => controller.abort());
	const response = await fetch(`${server.httpUrl}/api/boards/${boardId}/members/live`, {
		headers: { authorization: `Bearer ${token}` },
		signal: controller.signal
	});
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toBe('text/event-stream');
	const revisions: number[] = [];
	void (async () => {
		const decoder = new TextDecoder();
		let buffered = '';
		try {
			for await (const chunk of response.body!) {
				buffered += decoder.decode(chunk as Uint8Array, { stream: true });
				let end: number;
				while ((end = buffered.indexOf('\n\n')) !== -1) {
					const event = buffered.slice(0, end);
					buffered = buffered.slice(end + 2);
					const data = /^data: (.*)$/m.exec(event)?.[1];
					if (data) revisions.push(MembersChanged.parse(JSON.parse(data)).revision);
				}
			}
		} catch {
			// Aborted at the end of the test.
		}
	})();
	await eventually(() => revisions.length > 0, { what: 'the first line of the stream' });
	return {
		revisions,
		/** Runs `action`, then resolves once the stream announced a change made since it began. */
		async hears(what: string, action: () => Promise<unknown>) {
			const seen = revisions.length;
			await action();
			await eventually(() => revisions.length > seen, { what });
		}
	};
}

describe('joining again', () => {
	test('the same person joining again with the same invite from the same browser is the same member', async () => {
		const acme = await acmeBoard();
		const first = await acme.join('Dan', { teamId: acme.web.id });
		const again = await acme.join('Dan', { teamId: acme.web.id, resume: first.token });
		expect(again.personId).toBe(first.personId);
		expect(again.resumed).toBe(true);
		expect(again.teams).toEqual([acme.web.id]);
		const members = await acme.members();
		expect(members.map((m) => m.name)).toEqual(['Alice', 'Dan']);
		// The new session works; so does the one the browser held before.
		for (const token of [first.token, again.token]) {
			expect((await api('GET', `/api/boards/${acme.boardId}/session`, { token })).status).toBe(200);
		}
	});

	test('joining again under another name renames the member instead of adding one', async () => {
		const acme = await acmeBoard();
		const first = await acme.join('Dan');
		const again = await acme.join('Daniel', { resume: first.token });
		expect(again.personId).toBe(first.personId);
		expect((await acme.members()).map((m) => m.name)).toEqual(['Alice', 'Daniel']);
		await eventually(
			() => acme.admin.docs.collection('people').get(first.personId)?.get('name') === 'Daniel',
			{
				what: 'the rename in the board document'
			}
		);
	});

	test('a second invite to another team adds that team to the member who joins again', async () => {
		const acme = await acmeBoard();
		const first = await acme.join('Dan', { teamId: acme.web.id });
		const again = await acme.join('Dan', { teamId: acme.ops.id, resume: first.token });
		expect(again.personId).toBe(first.personId);
		expect(again.teams.sort()).toEqual([acme.web.id, acme.ops.id].sort());
		expect(await acme.members()).toHaveLength(2);
	});

	test('a session of another board, or of a removed member, does not resume anyone: a new member joins', async () => {
		const acme = await acmeBoard();
		const other = await acmeBoard();
		const stranger = await other.join('Eve');
		const eve = await acme.join('Eve', { resume: stranger.token });
		expect(eve.resumed).toBe(false);
		expect(eve.personId).not.toBe(stranger.personId);

		expect(
			(
				await api('DELETE', `/api/boards/${acme.boardId}/members/${eve.personId}`, {
					token: acme.adminToken
				})
			).status
		).toBe(204);
		const back = await acme.join('Eve', { resume: eve.token });
		expect(back.resumed).toBe(false);
		expect(back.personId).not.toBe(eve.personId);
	});

	test('joining again needs no invite when the browser holds the member’s session; without either it is refused', async () => {
		const acme = await acmeBoard();
		const dan = await acme.join('Dan');
		const again = await api('POST', `/api/boards/${acme.boardId}/join`, {
			body: { name: 'Dan', resume: dan.token }
		});
		expect(again.status).toBe(201);
		expect(again.body.personId).toBe(dan.personId);
		const nobody = await api('POST', `/api/boards/${acme.boardId}/join`, { body: { name: 'Dan' } });
		expect(nobody.status).toBe(401);
		expect(nobody.body.code).toBe('invite-needed');
	});
});

describe('changing teams, roles and names', () => {
	test('the admin moves a member to another team: still one member, and the board shows the move', async () => {
		const acme = await acmeBoard();
		const dan = await acme.join('Dan', { teamId: acme.web.id });
		const moved = await api('POST', `/api/boards/${acme.boardId}/members/${dan.personId}`, {
			token: acme.adminToken,
			body: { teams: [acme.ops.id] }
		});
		expect(moved.status).toBe(200);
		expect(moved.body.teams).toEqual([acme.ops.id]);
		const members = await acme.members();
		expect(members.filter((m) => m.name === 'Dan')).toHaveLength(1);
		const memberIds = (teamId: string) =>
			(
				acme.admin.docs.collection('teams').get(teamId)?.get('memberIds') as
					{ has(id: string): boolean } | undefined
			)?.has(dan.personId);
		await eventually(() => memberIds(acme.ops.id) && !memberIds(acme.web.id), {
			what: 'Dan in Ops and out of Web in the board document'
		});
		// His session speaks for his new team from now on.
		const session = await api('GET', `/api/boards/${acme.boardId}/session`, { token: dan.token });
		expect(session.body.teams).toEqual([acme.ops.id]);
	});

	test("a member moved to another team writes that team's tasks at once: their connection comes back under the new team", async () => {
		const acme = await acmeBoard();
		const dan = await acme.join('Dan', { teamId: acme.web.id });
		const opsDoc = documentName.team(acme.boardId, acme.ops.id);
		const provider = connectProvider(server.syncUrl, opsDoc, new Y.Doc(), dan.token);
		closers.push(() => provider.destroy());
		await synced(provider);
		const closes: number[] = [];
		provider.on('connection-close', (event: CloseEvent | null) => {
			if (event) closes.push(event.code);
		});

		const moved = await api('POST', `/api/boards/${acme.boardId}/members/${dan.personId}`, {
			token: acme.adminToken,
			body: { teams: [acme.ops.id] }
		});
		expect(moved.status).toBe(200);
		await eventually(() => closes.includes(1013), { what: 'the access-changed close' });
		await eventually(() => provider.wsconnected && provider.synced, { what: 'the reconnection' });

		provider.doc.getMap('tasks').set('t-moved', new Y.Map([['title', 'by Dan, now in Ops']]));
		await roundTrip(provider);
		const reader = await server.connect(opsDoc, { as: { personId: 'olga', teams: [acme.ops.id] } });
		closers.push(() => reader.destroy());
		await synced(reader);
		expect(reader.doc.getMap('tasks').has('t-moved')).toBe(true);
	});

	test('the admin puts herself on a team and takes a role', async () => {
		const acme = await acmeBoard();
		const edited = await api('POST', `/api/boards/${acme.boardId}/members/${acme.adminId}`, {
			token: acme.adminToken,
			body: { teams: [acme.web.id], roles: ['product-owner', 'team-member'] }
		});
		expect(edited.status).toBe(200);
		const session = await api('GET', `/api/boards/${acme.boardId}/session`, {
			token: acme.adminToken
		});
		expect(session.body).toMatchObject({
			teams: [acme.web.id],
			roles: ['product-owner', 'team-member'],
			admin: true
		});
	});

	test('a member renames themselves, but changes neither their own team nor anyone else', async () => {
		const acme = await acmeBoard();
		const dan = await acme.join('Dan', { teamId: acme.web.id });
		const eve = await acme.join('Eve');
		const edit = (personId: string, body: unknown) =>
			api('POST', `/api/boards/${acme.boardId}/members/${personId}`, { token: dan.token, body });

		const renamed = await edit(dan.personId, { name: '  Daniel  ' });
		expect(renamed.status).toBe(200);
		expect(renamed.body.name).toBe('Daniel');

		const ownTeam = await edit(dan.personId, { teams: [acme.ops.id] });
		expect(ownTeam.status).toBe(403);
		expect(ownTeam.body.code).toBe('not-admin');
		const someoneElse = await edit(eve.personId, { name: 'Mallory' });
		expect(someoneElse.status).toBe(403);
		expect(someoneElse.body.code).toBe('not-admin');
		expect((await acme.members()).map((m) => m.name)).toEqual(['Alice', 'Daniel', 'Eve']);
	});

	test('a team that is not on the board, and an empty change, are refused with what to fix', async () => {
		const acme = await acmeBoard();
		const nowhere = await api('POST', `/api/boards/${acme.boardId}/members/${acme.adminId}`, {
			token: acme.adminToken,
			body: { teams: ['no-such-team'] }
		});
		expect(nowhere.status).toBe(400);
		expect(nowhere.body.error).toContain('no-such-team');
		const empty = await api('POST', `/api/boards/${acme.boardId}/members/${acme.adminId}`, {
			token: acme.adminToken,
			body: {}
		});
		expect(empty.status).toBe(400);
		expect(empty.body.error).toContain('name, teams or roles');
	});
});

describe('asking to change team or role', () => {
	test("a request to join a team is approved by that team's Scrum Master; the other team's, and the asker, are refused", async () => {
		const acme = await acmeBoard();
		const sam = await acme.join('Sam', { teamId: acme.web.id, role: 'scrum-master' });
		const olga = await acme.join('Olga', { teamId: acme.ops.id, role: 'scrum-master' });
		await acme.scrumMaster(acme.web.id, sam.personId);
		await acme.scrumMaster(acme.ops.id, olga.personId);
		const dan = await acme.join('Dan');

		const asked = await api('POST', `/api/boards/${acme.boardId}/requests`, {
			token: dan.token,
			body: { teams: [acme.web.id], roles: ['team-member'] }
		});
		expect(asked.status).toBe(201);
		expect(asked.body).toMatchObject({
			status: 'pending',
			personId: dan.personId,
			canDecide: false
		});

		// Everyone sees it; only Sam and the admin are offered to decide it.
		const seenBy = async (token: string) =>
			(await api('GET', `/api/boards/${acme.boardId}/requests`, { token })).body[0].canDecide;
		expect(await seenBy(sam.token)).toBe(true);
		expect(await seenBy(acme.adminToken)).toBe(true);
		expect(await seenBy(olga.token)).toBe(false);
		expect(await seenBy(dan.token)).toBe(false);

		const decide = (token: string, decision: string) =>
			api('POST', `/api/boards/${acme.boardId}/requests/${asked.body.id}/${decision}`, { token });
		for (const token of [olga.token, dan.token]) {
			const refused = await decide(token, 'approve');
			expect(refused.status).toBe(403);
			expect(refused.body.code).toBe('not-approver');
		}
		const approved = await decide(sam.token, 'approve');
		expect(approved.status).toBe(200);
		expect(approved.body).toMatchObject({ status: 'approved', decidedBy: sam.personId });
		const again = await decide(acme.adminToken, 'decline');
		expect(again.status).toBe(409);
		expect(again.body.code).toBe('request-settled');

		const members = await acme.members();
		expect(members.find((m) => m.personId === dan.personId)?.teams).toEqual([acme.web.id]);
		expect(members).toHaveLength(4);
	});

	test('the admin declines a request, which changes nothing; a Scrum Master cannot grant a chief role', async () => {
		const acme = await acmeBoard();
		const sam = await acme.join('Sam', { teamId: acme.web.id, role: 'scrum-master' });
		await acme.scrumMaster(acme.web.id, sam.personId);
		const dan = await acme.join('Dan', { teamId: acme.web.id });

		const chief = await api('POST', `/api/boards/${acme.boardId}/requests`, {
			token: dan.token,
			body: { teams: [acme.web.id], roles: ['chief-product-owner'] }
		});
		expect(chief.status).toBe(201);
		const bySam = await api(
			'POST',
			`/api/boards/${acme.boardId}/requests/${chief.body.id}/approve`,
			{ token: sam.token }
		);
		expect(bySam.status).toBe(403);
		expect(bySam.body.code).toBe('not-approver');
		const declined = await api(
			'POST',
			`/api/boards/${acme.boardId}/requests/${chief.body.id}/decline`,
			{ token: acme.adminToken }
		);
		expect(declined.status).toBe(200);
		expect(declined.body.status).toBe('declined');
		const members = await acme.members();
		expect(members.find((m) => m.personId === dan.personId)?.roles).toEqual(['team-member']);
	});

	test('a new request replaces the pending one; the asker may withdraw theirs, nobody else may', async () => {
		const acme = await acmeBoard();
		const dan = await acme.join('Dan');
		const eve = await acme.join('Eve');
		const ask = (teams: string[]) =>
			api('POST', `/api/boards/${acme.boardId}/requests`, {
				token: dan.token,
				body: { teams, roles: ['team-member'] }
			});
		const first = await ask([acme.web.id]);
		const second = await ask([acme.ops.id]);
		const listed = await api('GET', `/api/boards/${acme.boardId}/requests`, { token: dan.token });
		expect(listed.body.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
			[second.body.id, 'pending'],
			[first.body.id, 'withdrawn']
		]);
		const byEve = await api(
			'POST',
			`/api/boards/${acme.boardId}/requests/${second.body.id}/withdraw`,
			{ token: eve.token }
		);
		expect(byEve.status).toBe(403);
		const byDan = await api(
			'POST',
			`/api/boards/${acme.boardId}/requests/${second.body.id}/withdraw`,
			{ token: dan.token }
		);
		expect(byDan.body.status).toBe('withdrawn');
		const unchanged = await ask([]);
		expect(unchanged.status).toBe(400);
		expect(unchanged.body.error).toContain('already have');
	});
});

describe('Members live', () => {
	test('every open Members stream hears of a join, a rename, a move, a request and a removal', async () => {
		const acme = await acmeBoard();
		const adminView = await membersStream(acme.boardId, acme.adminToken);
		let dan: Joined | undefined;
		await adminView.hears('the join', async () => (dan = await acme.join('Dan')));
		const danView = await membersStream(acme.boardId, dan!.token);
		/** Both views hear of what `action` changes. */
		const bothHear = async (what: string, action: () => Promise<unknown>) => {
			const seen = danView.revisions.length;
			await adminView.hears(what, action);
			await eventually(() => danView.revisions.length > seen, { what: `${what} (Dan's view)` });
		};

		await bothHear('the rename', () =>
			api('POST', `/api/boards/${acme.boardId}/members/${dan!.personId}`, {
				token: dan!.token,
				body: { name: 'Daniel' }
			})
		);
		await bothHear('the request', () =>
			api('POST', `/api/boards/${acme.boardId}/requests`, {
				token: dan!.token,
				body: { teams: [acme.web.id], roles: ['team-member'] }
			})
		);
		await bothHear('the move', () =>
			api('POST', `/api/boards/${acme.boardId}/members/${dan!.personId}`, {
				token: acme.adminToken,
				body: { teams: [acme.ops.id] }
			})
		);
		let eve: Joined | undefined;
		await adminView.hears('the second join', async () => (eve = await acme.join('Eve')));
		await adminView.hears('the removal', () =>
			api('DELETE', `/api/boards/${acme.boardId}/members/${eve!.personId}`, {
				token: acme.adminToken
			})
		);
		expect(adminView.revisions).toEqual([...adminView.revisions].sort((a, b) => a - b));
	});

	test('the stream is only for members of the board', async () => {
		const acme = await acmeBoard();
		const response = await fetch(`${server.httpUrl}/api/boards/${acme.boardId}/members/live`);
		expect(response.status).toBe(401);
	});
});

describe('hostile bodies', () => {
	const board = acmeBoard;
	let acme: Awaited<ReturnType<typeof board>>;
	let dan: Joined;
	beforeAll(async () => {
		acme = await board();
		dan = await acme.join('Dan');
	});

	const bodies = fc.oneof(
		fc.jsonValue(),
		fc.record(
			{
				name: fc.oneof(fc.string({ maxLength: 120 }), fc.jsonValue()),
				teams: fc.oneof(fc.array(fc.string({ maxLength: 20 }), { maxLength: 60 }), fc.jsonValue()),
				roles: fc.oneof(
					fc.array(fc.constantFrom('team-member', 'scrum-master', 'admin', ''), { maxLength: 12 }),
					fc.jsonValue()
				)
			},
			{ requiredKeys: [] }
		)
	);

	propertyTest.prop([bodies], { numRuns: 60, seed: 5 })(
		'any body sent to change a member or ask for a change is answered with a code, never a server error',
		async (body) => {
			for (const [path, token] of [
				[`/api/boards/${acme.boardId}/members/${dan.personId}`, dan.token],
				[`/api/boards/${acme.boardId}/members/${dan.personId}`, acme.adminToken],
				[`/api/boards/${acme.boardId}/requests`, dan.token]
			] as const) {
				const answer = await api('POST', path, { token, body });
				expect([200, 201, 400, 403]).toContain(answer.status);
				if (answer.status >= 400) expect(ErrorBody.parse(answer.body).code).toBeDefined();
			}
		}
	);
});
