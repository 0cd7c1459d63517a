/**
 * Outbound webhooks against a real local HTTP receiver: the admin API and its refusals, signed
 * bodies a chat can show as they are, retries after 500s with a delivery log that says so, and
 * each occurrence sent once, across restarts too. Real server, real SQLite, real sockets.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
	Deliveries,
	WebhookCreated,
	WebhookEventBody,
	Webhooks
} from '../../src/lib/contract/webhooks';
import type { ScrumOpsServerOptions } from '../../server/server';
import * as op from '../../src/lib/sync/operations';
import { callApi } from '../helpers/api';
import { BoardClient } from '../helpers/board-client';
import { eventually, startTestServer, testSecret, type TestServer } from '../helpers/server';
import {
	startWebhookReceiver,
	type Receipt,
	type WebhookReceiver
} from '../helpers/webhook-receiver';

/** Short waits between attempts, so a test sees three attempts in well under a second. */
const FAST_RETRIES = { retryDelaysMs: [20, 40, 80, 160], pollMs: 50, timeoutMs: 2_000 };

let dataDir: string;
let secret: Uint8Array;
let server: TestServer;
let receiver: WebhookReceiver;
const closers: (() => void)[] = [];

async function start(
	webhooks: ScrumOpsServerOptions['webhooks'] = FAST_RETRIES
): Promise<TestServer> {
	return startTestServer({ dataDir, secret, webhooks });
}

beforeEach(async () => {
	dataDir = await mkdtemp(path.join(os.tmpdir(), 'scrumops-webhooks-'));
	secret = testSecret();
	server = await start();
	receiver = await startWebhookReceiver();
});

afterEach(async () => {
	for (const close of closers.splice(0)) close();
	await server.close();
	await receiver.close();
	await rm(dataDir, { recursive: true, force: true });
});

const api = (method: string, path: string, options?: Parameters<typeof callApi>[3]) =>
	callApi(server.httpUrl, method, path, options);

/** A board made through the API, open as its admin, with a team and an ops story with SLA. */
async function acmeBoard() {
	const created = await api('POST', '/api/boards', { body: { name: 'Acme', adminName: 'Alice' } });
	expect(created.status).toBe(201);
	const { boardId, personId, token } = created.body as Record<string, string>;
	const admin = await openBoard(boardId!, token!);
	const ctx = op.liveContext(personId!);
	const team = op.createTeam(admin.docs, ctx, { name: 'Payments', velocity: 20 });
	const story = op.createStory(admin.docs, ctx, {
		title: 'Payments run',
		duration: 'recurring',
		workType: 'ops',
		sla: 'policy',
		teamIds: [team.id]
	});
	return { boardId: boardId!, personId: personId!, token: token!, admin, ctx, team, story };
}

async function openBoard(boardId: string, token: string): Promise<BoardClient> {
	const client = BoardClient.withToken(server, boardId, token);
	closers.push(() => client.destroy());
	await client.synced();
	return client;
}

async function addWebhook(boardId: string, token: string, body: object = {}) {
	const answer = await api('POST', `/api/boards/${boardId}/webhooks`, {
		token,
		body: { url: receiver.url('acme?key=s3cret'), ...body }
	});
	expect(answer.status).toBe(201);
	return WebhookCreated.parse(answer.body);
}

async function deliveryLog(boardId: string, token: string, webhookId: string) {
	const answer = await api('GET', `/api/boards/${boardId}/webhooks/${webhookId}/deliveries`, {
		token
	});
	expect(answer.status).toBe(200);
	return Deliveries.parse(answer.body);
}

/** Whether the receipt's signature header is the HMAC-SHA256 of its raw body under `key`. */
function signedWith(receipt: Receipt, key: string): boolean {
	const expected = `sha256=${createHmac('sha256', key).update(receipt.raw).digest('hex')}`;
	const got = String(receipt.headers['x-scrumops-signature'] ?? '');
	return got.length === expected.length && timingSafeEqual(Buffer.from(got), Buffer.from(expected));
}

describe('the webhook API', () => {
	test('[W1] only the admin adds, lists and removes webhooks; a bad URL is refused with the reason', async () => {
		const { boardId, token } = await acmeBoard();
		const path = `/api/boards/${boardId}/webhooks`;
		const body = { url: receiver.url() };
		expect((await api('POST', path, { body })).status).toBe(401);
		const member = await server.token(boardId, { personId: 'bob', admin: false });
		const refused = await api('POST', path, { token: member, body });
		expect(refused.status).toBe(403);
		expect(refused.body.code).toBe('not-admin');
		expect((await api('GET', path, { token: member })).status).toBe(403);

		for (const [url, reason] of [
			['ftp://files.example/in', /only http:\/\/ and https:\/\//],
			['not a url', /not a URL/],
			['https://user:pw@chat.example/hook', /no user name or password/],
			[`https://chat.example/${'a'.repeat(2000)}`, /at most 2000 characters/]
		] as const) {
			const answer = await api('POST', path, { token, body: { url } });
			expect(answer.status, url.slice(0, 40)).toBe(400);
			expect(answer.body.error).toMatch(reason);
		}
		const unknownType = await api('POST', path, {
			token,
			body: { url: receiver.url(), events: ['sprint.started'] }
		});
		expect(unknownType.status).toBe(400);
		expect(unknownType.body.error).toMatch(/^events\.0: /);

		const created = await addWebhook(boardId, token, { events: ['sprint.closed'] });
		expect(created.secret.length).toBeGreaterThanOrEqual(32);
		const listed = Webhooks.parse((await api('GET', path, { token })).body);
		// Listed without the secret, and without the query, which may hold the receiver's key.
		expect(listed).toEqual([
			{
				id: created.id,
				url: receiver.url('acme'),
				events: ['sprint.closed'],
				createdAt: created.createdAt
			}
		]);
		expect(JSON.stringify(listed)).not.toContain('s3cret');
		expect((await api('DELETE', `${path}/${created.id}`, { token: member })).status).toBe(403);
		expect((await api('DELETE', `${path}/${created.id}`, { token })).status).toBe(204);
		expect((await api('DELETE', `${path}/${created.id}`, { token })).status).toBe(404);
		expect((await api('GET', `${path}/${created.id}/deliveries`, { token })).status).toBe(404);
		expect(Webhooks.parse((await api('GET', path, { token })).body)).toEqual([]);
	});
});

describe('demo sandboxes', () => {
	test('[W9] a demo sandbox, removed once idle with all it holds, refuses webhooks', async () => {
		const demo = await api('POST', '/api/demo', { body: { name: 'Nina' } });
		expect(demo.status).toBe(201);
		const answer = await api('POST', `/api/boards/${demo.body.boardId}/webhooks`, {
			token: demo.body.token,
			body: { url: receiver.url() }
		});
		expect(answer.status).toBe(400);
		expect(answer.body.error).toBe(
			'A demo sandbox sends no webhooks; create a board of your own to add one.'
		);
	});
});

describe('private receivers', () => {
	test('[W8] a server that sends to the public network only refuses a receiver on a private address', async () => {
		await server.close();
		server = await start({ ...FAST_RETRIES, allowPrivateAddresses: false });
		const { boardId, token } = await acmeBoard();
		for (const url of [
			receiver.url(),
			'http://localhost:8080/hook',
			'http://10.1.2.3/hook',
			'http://[::1]:9000/hook',
			'http://169.254.169.254/latest/meta-data'
		]) {
			const answer = await api('POST', `/api/boards/${boardId}/webhooks`, {
				token,
				body: { url }
			});
			expect(answer.status, url).toBe(400);
			expect(answer.body.error).toMatch(
				/is a private address; give a receiver this server may reach/
			);
		}
	});
});

describe('delivery', () => {
	test('[W2] a completed work package reaches the receiver once, signed, with a line a chat shows as is', async () => {
		const { boardId, token, admin, ctx, story } = await acmeBoard();
		const hook = await addWebhook(boardId, token, { events: ['work-package.completed'] });
		const wp = op.createWorkPackage(admin.docs, ctx, {
			storyId: story.id,
			title: 'DB down',
			category: 'incident',
			severity: 'SEV1'
		});
		op.completeWorkPackage(admin.docs, ctx, wp.id);
		const completedAt = admin.projection.state.workPackages.get(wp.id)!.completedAt!;
		const id = `wp-completed:${wp.id}:${completedAt}`;
		const [receipt] = await eventually(
			() => (receiver.of(id).length > 0 ? receiver.of(id) : null),
			{
				what: 'the completion at the receiver'
			}
		);
		expect(signedWith(receipt!, hook.secret)).toBe(true);
		expect(signedWith(receipt!, 'another secret')).toBe(false);
		expect(receipt!.headers['x-scrumops-event']).toBe('work-package.completed');
		expect(receipt!.headers['x-scrumops-delivery']).toBe(`${hook.id}/${id}`);
		expect(receipt!.headers['content-type']).toBe('application/json');
		expect(WebhookEventBody.parse(receipt!.body)).toEqual({
			id,
			type: 'work-package.completed',
			boardId,
			occurredAt: completedAt,
			workPackageId: wp.id,
			storyId: story.id,
			text: "Completed: SEV1 'DB down' on Payments run."
		});
		await eventually(
			async () => (await deliveryLog(boardId, token, hook.id))[0]?.status === 'delivered',
			{ what: 'the log to say delivered' }
		);
		const [entry] = await deliveryLog(boardId, token, hook.id);
		expect(entry).toMatchObject({ eventId: id, attempts: 1, lastStatusCode: 200 });
		// More changes to the board: the first completion is not sent again, and the openings,
		// which this webhook did not ask for, are not sent at all.
		const later = op.createWorkPackage(admin.docs, ctx, {
			storyId: story.id,
			title: 'Later',
			category: 'request'
		});
		op.completeWorkPackage(admin.docs, ctx, later.id);
		await eventually(() => receiver.receipts.some((r) => r.body.workPackageId === later.id), {
			what: 'the second completion'
		});
		expect(receiver.receipts.map((r) => r.body.type)).toEqual([
			'work-package.completed',
			'work-package.completed'
		]);
		expect(receiver.of(id)).toHaveLength(1);
	});

	test('[W3] a receiver answering 500 twice gets the event on the third attempt; the log shows it', async () => {
		const { boardId, token, admin, ctx, team } = await acmeBoard();
		const hook = await addWebhook(boardId, token, { events: ['sprint.closed'] });
		receiver.answerNext(500, 500);
		const sprint = op.planSprint(admin.docs, ctx, {
			teamId: team.id,
			name: 'Sprint 12',
			start: '2026-11-23',
			end: '2026-12-06'
		});
		op.closeSprint(admin.docs, ctx, sprint.id);
		const closedAt = admin.projection.state.sprints.get(sprint.id)!.closedAt!;
		const id = `sprint-closed:${sprint.id}:${closedAt}`;
		const entry = await eventually(
			async () =>
				(await deliveryLog(boardId, token, hook.id)).find((d) => d.status === 'delivered'),
			{ what: 'the delivery after two refusals' }
		);
		expect(entry).toMatchObject({
			eventId: id,
			type: 'sprint.closed',
			attempts: 3,
			lastStatusCode: 200,
			lastError: null,
			nextAttemptAt: null
		});
		expect(receiver.of(id).map((r) => r.answered)).toEqual([500, 500, 200]);
		// Every attempt carries the same body, signature and delivery id.
		expect(new Set(receiver.of(id).map((r) => r.raw)).size).toBe(1);
		expect(receiver.of(id).every((r) => signedWith(r, hook.secret))).toBe(true);
		expect(receiver.of(id)[0]!.body.text).toBe('Sprint closed: Sprint 12 of Payments.');
	});

	test('[W4] a receiver that keeps failing is given up on after the last attempt, saying why', async () => {
		const { boardId, token, admin, ctx, team } = await acmeBoard();
		const hook = await addWebhook(boardId, token, { events: ['sprint.closed'] });
		receiver.answerNext(503, 503, 503, 503, 503);
		const sprint = op.planSprint(admin.docs, ctx, {
			teamId: team.id,
			name: 'Sprint 13',
			start: '2026-11-23',
			end: '2026-12-06'
		});
		op.closeSprint(admin.docs, ctx, sprint.id);
		const entry = await eventually(
			async () => (await deliveryLog(boardId, token, hook.id)).find((d) => d.status === 'failed'),
			{ what: 'the delivery to be given up' }
		);
		expect(entry).toMatchObject({ attempts: 5, lastStatusCode: 503, nextAttemptAt: null });
		expect(receiver.receipts).toHaveLength(5);
	});

	test('[W5] SLA breaches, escalations, returns and over-commitments arrive with ids naming the occurrence', async () => {
		const { boardId, token, admin, personId, team, story } = await acmeBoard();
		const hook = await addWebhook(boardId, token);
		const createdAt = Date.parse(hook.createdAt);
		// Opened so that its SEV1 deadline (6 h) falls a moment after the webhook was added: it is
		// breached by the time the server reads it, and the breach is news to the receiver.
		const past = {
			...op.liveContext(personId),
			now: () => new Date(createdAt + 1 - 6 * 3600_000).toISOString()
		};
		const wp = op.createWorkPackage(admin.docs, past, {
			storyId: story.id,
			title: 'DB down',
			category: 'incident',
			severity: 'SEV1'
		});
		const ctx = op.liveContext(personId);
		const other = op.createStory(admin.docs, ctx, { title: 'Database team', teamIds: [team.id] });
		const hop = op.escalate(admin.docs, ctx, wp.id, other.id, 'needs a DBA');
		op.resolveEscalation(admin.docs, ctx, wp.id);
		const sprint = op.planSprint(admin.docs, ctx, {
			teamId: team.id,
			name: 'Sprint 14',
			start: '2026-11-23',
			end: '2026-12-06'
		});
		op.commitStory(admin.docs, ctx, sprint.id, other.id, 21);
		const deadline = admin.projection.state.workPackages.get(wp.id)!.slaDeadline!;
		const resolvedAt = admin.projection.state.workPackages.get(wp.id)!.escalations[0]!.resolvedAt!;

		const breached = await eventually(() => receiver.of(`sla-breached:${wp.id}:${deadline}`)[0], {
			what: 'the SLA breach'
		});
		expect(breached.body).toMatchObject({ type: 'sla.breached', workPackageId: wp.id });
		expect(breached.body.text).toMatch(
			/^SLA breached: SEV1 'DB down' on Payments run — \d+ s past deadline\.$/
		);
		const escalated = await eventually(
			() => receiver.of(`wp-escalated:${wp.id}:${hop.at}:${other.id}`)[0],
			{ what: 'the escalation' }
		);
		expect(escalated.body.text).toBe(
			"Escalated: SEV1 'DB down' from Payments run to Database team — needs a DBA"
		);
		await eventually(() => receiver.of(`wp-returned:${wp.id}:${resolvedAt}:${other.id}`)[0], {
			what: 'the return'
		});
		const overCommitted = await eventually(
			() => receiver.receipts.find((r) => r.body.type === 'sprint.over-committed'),
			{ what: 'the over-commitment' }
		);
		expect(overCommitted.body).toMatchObject({ sprintId: sprint.id, teamId: team.id });
		expect(overCommitted.body.text).toMatch(
			/^Over-commitment \(R1\): Payments committed 21 points/
		);
		// The work package was opened before the webhook existed: not news, not sent. Nor was the
		// SLA at risk after the webhook was added.
		expect(receiver.receipts.some((r) => r.body.type === 'work-package.opened')).toBe(false);
		expect(receiver.receipts.some((r) => r.body.type === 'sla.at-risk')).toBe(false);
		// Each at most once.
		const ids = receiver.receipts.map((r) => r.body.id as string);
		expect(new Set(ids).size).toBe(ids.length);
	});

	test('[W6] after a restart, what was pending is delivered, board open or not, and what was delivered is not sent again', async () => {
		// Retries a minute apart: the refused attempt below is due again only after the restart.
		await server.close();
		server = await start({ ...FAST_RETRIES, retryDelaysMs: [60_000, 60_000] });
		const { boardId, token, admin, ctx, team } = await acmeBoard();
		const hook = await addWebhook(boardId, token, { events: ['sprint.closed'] });
		const close = (name: string) => {
			const sprint = op.planSprint(admin.docs, ctx, {
				teamId: team.id,
				name,
				start: '2026-11-23',
				end: '2026-12-06'
			});
			op.closeSprint(admin.docs, ctx, sprint.id);
			return `sprint-closed:${sprint.id}:${admin.projection.state.sprints.get(sprint.id)!.closedAt}`;
		};
		const first = close('Sprint 1');
		await eventually(() => receiver.of(first).length === 1, { what: 'the first closing' });
		receiver.answerNext(500);
		const second = close('Sprint 2');
		await eventually(
			async () =>
				(await deliveryLog(boardId, token, hook.id)).find(
					(d) => d.eventId === second && d.attempts === 1 && d.status === 'pending'
				),
			{ what: 'the refused attempt in the log' }
		);
		for (const c of closers.splice(0)) c();
		await server.close();

		// Two minutes later by the new server's clock: the retry is due.
		server = await startTestServer({
			dataDir,
			secret,
			webhooks: FAST_RETRIES,
			now: () => Date.now() + 120_000
		});
		// Nobody opens the board: the pending delivery is found in the store and made all the same.
		const delivered = await eventually(
			async () =>
				(await deliveryLog(boardId, token, hook.id)).find(
					(d) => d.eventId === second && d.status === 'delivered'
				),
			{ what: 'the pending delivery, after the restart' }
		);
		expect(delivered.attempts).toBe(2);
		expect(receiver.of(second).map((r) => r.answered)).toEqual([500, 200]);
		expect(server.server.registry.get(boardId)).toBeUndefined();

		// Opened again, the board is read whole: what happened before is not sent again, what
		// happens now is.
		const again = await openBoard(boardId, token);
		const sprint = op.planSprint(again.docs, ctx, {
			teamId: team.id,
			name: 'Sprint 3',
			start: '2026-11-23',
			end: '2026-12-06'
		});
		op.closeSprint(again.docs, ctx, sprint.id);
		await eventually(() => receiver.receipts.some((r) => r.body.sprintId === sprint.id), {
			what: 'the third closing'
		});
		expect(receiver.of(first)).toHaveLength(1);
		expect(receiver.of(second)).toHaveLength(2);
		expect(await deliveryLog(boardId, token, hook.id)).toHaveLength(3);
	});
});
