/**
 * One voice per board: of three instances serving a board (on PostgreSQL, each through a link
 * the test can cut, and Redis), one at a time writes what the server publishes into it, its
 * findings and authorship records. When that instance is cut off, another takes over within
 * 10 s, and a write the cut-off instance makes with the lease it lost is stored nowhere and
 * reaches nobody. Real sockets, the official y-websocket client, the production lease times.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { TokenIssuer } from '../../server/auth/tokens';
import { PostgresStore } from '../../server/store/postgres';
import { FINDINGS_KEY } from '../../src/lib/sync/layout';
import * as op from '../../src/lib/sync/operations';
import { BoardClient } from '../helpers/board-client';
import { startTestCluster, type ClusterInstance, type TestCluster } from '../helpers/cluster';
import { fixedContext } from '../helpers/op-context';
import {
	createTestDatabase,
	startDatabaseLink,
	type DatabaseLink,
	type TestDatabase
} from '../helpers/postgres';
import { startTestRedis, type TestRedis } from '../helpers/redis';
import { eventually, mintToken } from '../helpers/server';

const BOARD = 'acme';
let redis: TestRedis;
let database: TestDatabase;
let links: DatabaseLink[];
let cluster: TestCluster;
const clients: BoardClient[] = [];

beforeEach(async () => {
	redis = await startTestRedis();
	database = await createTestDatabase();
	links = [];
	cluster = await startTestCluster({
		count: 3,
		redisUrl: redis.url,
		store: await PostgresStore.open(database.url),
		storeOf: async () => {
			const link = await startDatabaseLink(database.url);
			links.push(link);
			return PostgresStore.open(link.url, { connectTimeoutMs: 1_000, statementTimeoutMs: 2_000 });
		}
	});
	await eventually(() => cluster.instances.every((i) => i.fanout.instances.length >= 2), {
		timeoutMs: 15_000,
		what: 'every instance to hear from the others'
	});
});

afterEach(async () => {
	for (const client of clients.splice(0)) client.destroy();
	for (const link of links) link.restore();
	await cluster.close();
	for (const link of links) await link.close();
	await redis.close();
	await database.drop();
});

async function boardOn(instance: number, personId = 'tester'): Promise<BoardClient> {
	const token = await mintToken(new TokenIssuer(cluster.secret), BOARD, {
		personId,
		teams: []
	});
	const client = BoardClient.withToken(cluster.instances[instance]!, BOARD, token);
	clients.push(client);
	await client.synced();
	return client;
}

function speaking(instance: ClusterInstance): boolean {
	return instance.server.validation.get(BOARD)?.voice.speaking ?? false;
}

/** The one instance that speaks for the board, once exactly one does. */
async function speaker(timeoutMs = 10_000): Promise<number> {
	return eventually(
		() => {
			const speakers = cluster.instances.flatMap((instance, index) =>
				speaking(instance) ? [index] : []
			);
			return speakers.length === 1 ? speakers[0]! + 1 : null;
		},
		{ timeoutMs, what: 'exactly one instance to speak for the board' }
	).then((found) => found - 1);
}

/** The Yjs client id of an instance's copy of the board: what its writes are signed with. */
function clientIdOf(instance: number): number {
	return cluster.instances[instance]!.server.registry.get(BOARD)!.doc.clientID;
}

/**
 * The client ids that wrote the values of a server-owned root, in the store's log: replayed
 * update by update, the writer of each value it held along the way.
 */
async function storedWriters(root: string): Promise<Set<number>> {
	const writers = new Set<number>();
	const doc = new Y.Doc();
	const map = doc.getMap(root);
	for (const update of (await cluster.store.load(BOARD)).updates) {
		Y.applyUpdate(doc, update);
		for (const item of map._map.values()) if (!item.deleted) writers.add(item.id.client);
	}
	return writers;
}

/** Findings the board document holds, as a person on `client` sees them. */
const rulesSeen = (client: BoardClient) => client.publishedFindings().map((f) => f.rule);

test('[one voice] three instances serve a board; its findings are written by one of them only', async () => {
	const ada = await boardOn(0, 'ada');
	const bob = await boardOn(1, 'bob');
	const cat = await boardOn(2, 'cat');
	op.createBoard(ada.docs, fixedContext('ada'), { name: 'Acme' });
	// Each small team is a finding (R15): every team added changes what is published.
	const people = [ada, bob, cat].map((client, i) => ({
		client,
		ctx: fixedContext(['ada', 'bob', 'cat'][i]!)
	}));
	for (let i = 0; i < 6; i++) {
		const { client, ctx } = people[i % 3]!;
		op.createTeam(client.docs, ctx, {
			name: `Team ${i}`,
			velocity: 10
		});
		await eventually(
			() => [ada, bob, cat].every((c) => rulesSeen(c).filter((r) => r === 'R15').length === i + 1),
			{ timeoutMs: 10_000, what: `${i + 1} R15 findings published everywhere` }
		);
	}
	const voice = await speaker();
	const writers = await storedWriters(FINDINGS_KEY);
	expect(writers).toEqual(new Set([clientIdOf(voice)]));
	// And every instance answers the same findings over HTTP.
	const answers = await Promise.all(
		cluster.instances.map(async (instance) =>
			JSON.stringify(await instance.server.validation.findingsOf(BOARD))
		)
	);
	expect(new Set(answers).size).toBe(1);
});

test('[one voice] authorship records of people on any instance are written by the speaking one', async () => {
	const admin = await boardOn(0, 'ada');
	op.createBoard(admin.docs, fixedContext('ada'), { name: 'Acme' });
	const team = op.createTeam(admin.docs, fixedContext('ada'), { name: 'Ops', velocity: 30 });
	const voice = await speaker();
	const other = (voice + 1) % 3;
	const bob = await boardOn(other, 'bob');
	await eventually(() => bob.docs.board.getMap('teams').has(team.id), {
		what: 'bob sees the team'
	});
	op.updateTeam(bob.docs, fixedContext('bob'), team.id, { velocity: 45 });
	const key = `teams/${team.id}/velocity`;
	const record = await eventually(
		() => admin.docs.board.getMap('authorship').get(key) as { personId: string } | undefined,
		{ timeoutMs: 10_000, what: "the record of bob's change" }
	);
	expect(record.personId).toBe('bob');

	// While Redis is away, cat's record waits on cat's instance, and is written once it is back.
	const cat = await boardOn(other, 'cat');
	await redis.stop();
	op.updateTeam(cat.docs, fixedContext('cat'), team.id, { velocity: 50 });
	await eventually(() => cat.docs.board.getMap('teams').toJSON()[team.id]?.velocity === 50, {
		what: "cat's change"
	});
	await redis.start();
	await eventually(
		() =>
			(admin.docs.board.getMap('authorship').get(key) as { personId: string }).personId === 'cat',
		{ timeoutMs: 15_000, what: "the record of cat's change, once Redis is back" }
	);
	expect(await storedWriters('authorship')).toEqual(new Set([clientIdOf(voice)]));
}, 30_000);

test('[one voice] when the speaking instance is cut off, another takes over within 10 s; a write it makes with the lost lease is stored nowhere', async () => {
	const voice = await (async () => {
		const ada = await boardOn(0, 'ada');
		op.createBoard(ada.docs, fixedContext('ada'), { name: 'Acme' });
		op.createTeam(ada.docs, fixedContext('ada'), { name: 'Ops', velocity: 30 });
		await eventually(() => rulesSeen(ada).includes('R15'), { what: 'R15 published' });
		return speaker();
	})();
	const [next, last] = [(voice + 1) % 3, (voice + 2) % 3];
	const watcher = await boardOn(next, 'walt');
	const writer = await boardOn(last, 'wes');
	const wes = fixedContext('wes');
	// What the speaker will write with once it wakes up from being cut off.
	const stale =
		cluster.instances[voice]!.server.validation.get(BOARD)!.voice.origin('publishFindings');
	expect(stale).not.toBeNull();
	const staleRoom = cluster.instances[voice]!.server.registry.get(BOARD)!;
	const firstWriter = staleRoom.doc.clientID;

	const cutAt = Date.now();
	links[voice]!.cut();
	let most = 0;
	const successor = await eventually(
		() => {
			const speakers = cluster.instances.flatMap((instance, index) =>
				speaking(instance) ? [index] : []
			);
			most = Math.max(most, speakers.length);
			return speakers.length === 1 && speakers[0] !== voice ? speakers[0]! + 1 : null;
		},
		{ timeoutMs: 10_000, what: 'another instance to speak for the board' }
	).then((found) => found - 1);
	expect(Date.now() - cutAt).toBeLessThan(10_000);
	expect(most, 'instances speaking at once').toBe(1);
	// The new voice publishes what changes from now on.
	op.createTeam(writer.docs, wes, { name: 'Tiny', velocity: 5 });
	await eventually(() => rulesSeen(watcher).filter((r) => r === 'R15').length === 2, {
		timeoutMs: 10_000,
		what: 'the new speaker publishes the second R15'
	});

	// Back on the network, the old speaker writes with the token it had: refused by the store.
	links[voice]!.restore();
	expect(staleRoom.state).toBe('open');
	staleRoom.doc.transact(() => {
		staleRoom.doc.getMap(FINDINGS_KEY).set('list', []);
	}, stale);
	// Its copy holds a write nobody else has: it closes, and its people reload from the store.
	await eventually(() => staleRoom.state === 'closed', {
		timeoutMs: 10_000,
		what: 'the room that wrote with a lost lease to close'
	});
	// Nobody saw it, and the store does not hold it.
	op.createTeam(writer.docs, wes, { name: 'Tinier', velocity: 5 });
	await eventually(() => rulesSeen(watcher).filter((r) => r === 'R15').length === 3, {
		timeoutMs: 10_000,
		what: 'a third R15'
	});
	// Before the cut, the first voice; after it, its successor: never anyone else.
	const writers = await storedWriters(FINDINGS_KEY);
	expect(writers).toEqual(new Set([firstWriter, clientIdOf(successor)]));
	const reloaded = new Y.Doc();
	for (const update of (await cluster.store.load(BOARD)).updates) Y.applyUpdate(reloaded, update);
	expect(
		(reloaded.getMap(FINDINGS_KEY).get('list') as { rule: string }[]).filter(
			(f) => f.rule === 'R15'
		)
	).toHaveLength(3);
	expect(speaking(cluster.instances[voice]!)).toBe(false);
}, 40_000);
