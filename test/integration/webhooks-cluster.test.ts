/**
 * Outbound webhooks with several instances: three instances serve a board on PostgreSQL and
 * Redis, people edit it on the instances that do not speak for it, and a real local receiver
 * gets each event exactly once, also after the speaking instance stops and another takes over.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Deliveries, WebhookCreated } from '../../src/lib/contract/webhooks';
import * as op from '../../src/lib/sync/operations';
import { PostgresStore } from '../../server/store/postgres';
import { callApi } from '../helpers/api';
import { BoardClient } from '../helpers/board-client';
import { startTestCluster, type TestCluster } from '../helpers/cluster';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { startTestRedis, type TestRedis } from '../helpers/redis';
import { eventually } from '../helpers/server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

let redis: TestRedis;
let database: TestDatabase;
let cluster: TestCluster;
let receiver: WebhookReceiver;
const clients: BoardClient[] = [];

beforeEach(async () => {
	redis = await startTestRedis();
	database = await createTestDatabase();
	receiver = await startWebhookReceiver();
	cluster = await startTestCluster({
		count: 3,
		redisUrl: redis.url,
		store: await PostgresStore.open(database.url),
		storeOf: () => PostgresStore.open(database.url),
		webhooks: { retryDelaysMs: [20, 40, 80, 160], pollMs: 50, timeoutMs: 2_000 }
	});
	await eventually(() => cluster.instances.every((i) => i.fanout.instances.length >= 2), {
		timeoutMs: 15_000,
		what: 'every instance to hear from the others'
	});
});

afterEach(async () => {
	for (const client of clients.splice(0)) client.destroy();
	await cluster.close();
	await receiver.close();
	await redis.close();
	await database.drop();
});

async function open(instance: number, boardId: string, token: string): Promise<BoardClient> {
	const client = BoardClient.withToken(cluster.instances[instance]!, boardId, token);
	clients.push(client);
	await client.synced();
	return client;
}

/** The one instance that speaks for the board, once exactly one of `among` does. */
function speaker(boardId: string, among: number[]): Promise<number> {
	return eventually(
		() => {
			const speaking = among.filter(
				(i) => cluster.instances[i]!.server.validation.get(boardId)?.voice.speaking
			);
			return speaking.length === 1 ? speaking[0]! + 1 : null;
		},
		{ timeoutMs: 15_000, what: 'exactly one instance to speak for the board' }
	).then((found) => found - 1);
}

test('[W7] three instances: each event reaches the receiver exactly once, across a takeover too', async () => {
	const created = await callApi(cluster.instances[0]!.httpUrl, 'POST', '/api/boards', {
		body: { name: 'Acme', adminName: 'Alice' }
	});
	const { boardId, personId, token } = created.body as Record<string, string>;
	await open(0, boardId!, token!);
	const voice = await speaker(boardId!, [0, 1, 2]);
	const [writerAt, otherAt] = [(voice + 1) % 3, (voice + 2) % 3];
	const writer = await open(writerAt, boardId!, token!);
	await open(otherAt, boardId!, token!);

	// Added through an instance that does not speak for the board.
	const added = await callApi(
		cluster.instances[writerAt]!.httpUrl,
		'POST',
		`/api/boards/${boardId}/webhooks`,
		{ token, body: { url: receiver.url() } }
	);
	expect(added.status).toBe(201);
	const hook = WebhookCreated.parse(added.body);
	// The first attempt of the first event is refused: its retry is not made twice either.
	receiver.answerNext(500);

	const ctx = op.liveContext(personId!);
	const team = op.createTeam(writer.docs, ctx, { name: 'Payments', velocity: 20 });
	const story = op.createStory(writer.docs, ctx, {
		title: 'Payments run',
		duration: 'recurring',
		workType: 'ops',
		teamIds: [team.id]
	});
	const wp = op.createWorkPackage(writer.docs, ctx, {
		storyId: story.id,
		title: 'DB down',
		category: 'incident'
	});
	op.completeWorkPackage(writer.docs, ctx, wp.id);
	const sprint = (name: string) =>
		op.planSprint(writer.docs, ctx, {
			teamId: team.id,
			name,
			start: '2026-11-23',
			end: '2026-12-06'
		});
	const first = sprint('Sprint 1');
	op.commitStory(writer.docs, ctx, first.id, story.id, 21);
	// R1 holds only while the sprint is open: closed at once, the server might never read it.
	await eventually(() => receiver.receipts.some((r) => r.body.type === 'sprint.over-committed'), {
		timeoutMs: 10_000,
		what: 'the over-commitment at the receiver'
	});
	op.closeSprint(writer.docs, ctx, first.id);

	const log = (instance: number) =>
		callApi(
			cluster.instances[instance]!.httpUrl,
			'GET',
			`/api/boards/${boardId}/webhooks/${hook.id}/deliveries`,
			{ token }
		).then((answer) => Deliveries.parse(answer.body));
	const expectedTypes = [
		'work-package.opened',
		'work-package.completed',
		'sprint.over-committed',
		'sprint.closed'
	];
	await eventually(
		async () => {
			const entries = await log(otherAt);
			return (
				expectedTypes.every((type) => entries.some((d) => d.type === type)) &&
				entries.every((d) => d.status === 'delivered')
			);
		},
		{ timeoutMs: 15_000, what: 'every event delivered, by the log' }
	);

	// The speaking instance stops; another takes over, reads the whole board again, and sends
	// only what is new.
	for (const client of clients.splice(0, 1)) client.destroy();
	await cluster.instances[voice]!.close();
	await speaker(boardId!, [writerAt, otherAt]);
	const second = sprint('Sprint 2');
	op.closeSprint(writer.docs, ctx, second.id);
	const secondId = `sprint-closed:${second.id}:${writer.projection.state.sprints.get(second.id)!.closedAt}`;
	await eventually(
		async () =>
			(await log(writerAt)).find((d) => d.eventId === secondId && d.status === 'delivered'),
		{ timeoutMs: 20_000, what: 'the closing after the takeover, delivered' }
	);

	const entries = await log(otherAt);
	const ids = receiver.receipts.filter((r) => r.answered === 200).map((r) => r.body.id as string);
	expect(ids.sort()).toEqual(entries.map((d) => d.eventId).sort());
	expect(new Set(ids).size).toBe(ids.length);
	expect(receiver.receipts.filter((r) => r.answered === 500)).toHaveLength(1);
	// One attempt each, but the refused one: two.
	expect(entries.map((d) => d.attempts).sort()).toEqual([...Array(entries.length - 1).fill(1), 2]);
}, 60_000);
