/**
 * Several instances behind a load balancer: three servers in this process share one store and
 * one Redis (a redis-server of the test's own, stopped and restarted at will). Real sockets, the
 * official y-websocket client. An update reaches no client on any instance before it is stored;
 * while Redis is away each instance keeps serving its own people, and when it is back everyone
 * converges without reconnecting; presence crosses instances, and so does its removal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import * as prng from 'lib0/prng';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { TokenIssuer } from '../../server/auth/tokens';
import { MemoryStore } from '../../server/store/memory';
import { PostgresStore } from '../../server/store/postgres';
import type { DocumentStore } from '../../server/store/store';
import {
	SharedStore,
	startTestCluster,
	type ClusterOptions,
	type TestCluster
} from '../helpers/cluster';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { startTestRedis, type TestRedis } from '../helpers/redis';
import { connectProvider, eventually, mintToken, startTestServer, synced } from '../helpers/server';

const BOARD = 'board-1';
let redis: TestRedis;
let cluster: TestCluster;
/** The PostgreSQL database of a test on that store, dropped after it. */
let database: TestDatabase | null = null;
const providers: WebsocketProvider[] = [];
const children: ChildProcess[] = [];

beforeEach(async () => {
	redis = await startTestRedis();
});

afterEach(async () => {
	for (const provider of providers.splice(0)) provider.destroy();
	for (const child of children.splice(0)) child.kill('SIGKILL');
	await cluster?.close();
	await redis.close();
	await database?.drop();
	database = null;
});

async function start(options: Partial<ClusterOptions> = {}): Promise<TestCluster> {
	cluster = await startTestCluster({ count: 3, redisUrl: redis.url, ...options });
	await everyoneSees(cluster.instances.length - 1);
	return cluster;
}

/** Each instance has heard from the others: the bus carries messages between all of them. */
function everyoneSees(others: number): Promise<unknown> {
	return eventually(
		() => cluster.instances.every((instance) => instance.fanout.instances.length >= others),
		{ timeoutMs: 15_000, what: 'every instance to hear from the others' }
	);
}

async function client(instance: number, name = BOARD): Promise<WebsocketProvider> {
	const provider = await cluster.instances[instance]!.connect(name);
	providers.push(provider);
	await synced(provider);
	return provider;
}

const epics = (provider: WebsocketProvider) => provider.doc.getMap<Y.Map<unknown>>('epics');

/** A new entity of the board's `epics` collection, standing for any edit. */
function write(provider: WebsocketProvider, key: string): void {
	epics(provider).set(key, new Y.Map<unknown>([['n', key]]));
}

/** The document as the store holds it. */
async function stored(store: DocumentStore, name = BOARD): Promise<Y.Doc> {
	const doc = new Y.Doc();
	for (const update of (await store.load(name)).updates) Y.applyUpdate(doc, update);
	return doc;
}

/** Keys of `epics` a client holds, sorted. */
const keysOf = (doc: Y.Doc) => [...doc.getMap('epics').keys()].sort();

/**
 * Whenever a client first sees others' keys, the store is read at that very moment (both stores
 * read synchronously when `load` is called); the keys must already be there.
 */
function watchStoreFirst(
	provider: WebsocketProvider,
	store: DocumentStore,
	checks: Promise<string[]>[]
): void {
	epics(provider).observe((event) => {
		if (event.transaction.local) return;
		const added = [...event.keysChanged].filter((key) => epics(provider).has(key));
		if (added.length === 0) return;
		const reading = store.load(BOARD);
		checks.push(
			reading.then(({ updates }) => {
				const doc = new Y.Doc();
				for (const update of updates) Y.applyUpdate(doc, update);
				return added.filter((key) => !doc.getMap('epics').has(key));
			})
		);
	});
}

async function converged(clients: WebsocketProvider[], store: DocumentStore, what: string) {
	const expected = keysOf(await stored(store));
	await eventually(
		async () => {
			const inStore = keysOf(await stored(store));
			return clients.every(
				(provider) => JSON.stringify(keysOf(provider.doc)) === JSON.stringify(inStore)
			);
		},
		{ timeoutMs: 20_000, what }
	);
	const json = (await stored(store)).getMap('epics').toJSON();
	for (const provider of clients) expect(epics(provider).toJSON()).toEqual(json);
	return expected;
}

/**
 * A store whose appends take 20 ms to become durable, far longer than a message takes through
 * Redis: an instance that published before its append was acknowledged would be caught.
 */
class SlowStore extends MemoryStore {
	override async append(...args: Parameters<MemoryStore['append']>): Promise<number> {
		await new Promise((resolve) => setTimeout(resolve, 20));
		return super.append(...args);
	}
}

/** Counts how often a provider lost its connection. */
function disconnections(provider: WebsocketProvider): () => number {
	let count = 0;
	provider.on('status', ({ status }: { status: string }) => {
		if (status === 'disconnected') count++;
	});
	return () => count;
}

describe('several instances through Redis', { timeout: 60_000 }, () => {
	test.each(['sqlite', 'memory', 'slow', 'postgres'] as const)(
		'edits and presence cross instances; a late joiner on a third gets everything; nothing is seen before it is stored (%s store)',
		async (kind) => {
			const { store } = await start({
				store:
					kind === 'slow'
						? new SlowStore()
						: kind === 'postgres'
							? await PostgresStore.open((database = await createTestDatabase()).url)
							: kind
			});
			const a = await client(0);
			const b = await client(1);
			const checks: Promise<string[]>[] = [];
			watchStoreFirst(a, store, checks);
			watchStoreFirst(b, store, checks);
			for (let i = 0; i < 20; i++) {
				write(a, `a${i}`);
				write(b, `b${i}`);
			}
			a.awareness.setLocalStateField('user', { name: 'Ana' });
			b.awareness.setLocalStateField('user', { name: 'Ben' });
			await eventually(() => epics(a).size === 40 && epics(b).size === 40, {
				timeoutMs: 15_000,
				what: 'both clients to hold all 40 edits'
			});
			await eventually(
				() =>
					a.awareness.getStates().get(b.doc.clientID)?.user?.name === 'Ben' &&
					b.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ana',
				{ timeoutMs: 15_000, what: 'each to see the other’s presence' }
			);
			const late = await client(2);
			watchStoreFirst(late, store, checks);
			expect(keysOf(late.doc)).toEqual(keysOf(a.doc));
			await eventually(
				() =>
					late.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ana' &&
					late.awareness.getStates().get(b.doc.clientID)?.user?.name === 'Ben',
				{ timeoutMs: 15_000, what: 'the late joiner to see Ana and Ben' }
			);
			write(late, 'late');
			await eventually(() => epics(a).has('late') && epics(b).has('late'), {
				timeoutMs: 15_000,
				what: 'the late joiner’s edit on the other instances'
			});
			expect(checks.length).toBeGreaterThan(0);
			const notStoredYet = (await Promise.all(checks)).flat();
			expect(notStoredYet).toEqual([]);
			await converged([a, b, late], store, 'all three to equal the store');
		}
	);

	test.each(['sqlite', 'postgres'] as const)(
		'with Redis down each instance keeps serving its own people; when it is back everyone converges without reconnecting (%s store)',
		async (kind) => {
			const { store } = await start({
				store:
					kind === 'postgres'
						? await PostgresStore.open((database = await createTestDatabase()).url)
						: kind
			});
			const [a1, a2, b1, b2] = [await client(0), await client(0), await client(1), await client(1)];
			const everyone = [a1, a2, b1, b2];
			const drops = everyone.map(disconnections);
			const sockets = everyone.map((provider) => provider.ws);
			write(a1, 'before-a');
			write(b1, 'before-b');
			await converged(everyone, store, 'the first edits everywhere');
			const checks: Promise<string[]>[] = [];
			for (const provider of everyone) watchStoreFirst(provider, store, checks);

			let i = 0;
			const writing = setInterval(() => {
				write(a1, `a-${i}`);
				write(b1, `b-${i}`);
				i++;
			}, 5);
			await eventually(() => i >= 20, { what: 'writes under way' });
			await redis.stop();
			const stoppedAt = i;
			await eventually(() => i >= stoppedAt + 40, { what: 'writes while Redis is down' });
			clearInterval(writing);
			const last = i - 1;
			// Each instance's own people still get each other's edits, stored first.
			await eventually(() => epics(a2).has(`a-${last}`) && epics(b2).has(`b-${last}`), {
				timeoutMs: 15_000,
				what: 'the same instance’s clients to keep syncing without Redis'
			});
			expect(cluster.instances.every((instance) => !instance.fanout.connected)).toBe(true);

			await redis.start();
			const keys = await converged(everyone, store, 'every client after Redis is back');
			expect(keys).toContain(`a-${last}`);
			expect(keys).toContain(`b-${last}`);
			expect(keys.length).toBe(2 + 2 * i);
			expect(drops.map((count) => count())).toEqual([0, 0, 0, 0]);
			expect(everyone.map((provider) => provider.ws)).toEqual(sockets);
			expect(checks.length).toBeGreaterThan(0);
			expect((await Promise.all(checks)).flat()).toEqual([]);
		}
	);

	test('presence removal crosses instances: a client that leaves, and an instance that shuts down', async () => {
		await start();
		const a = await client(0);
		const b = await client(1);
		const c = await client(2);
		a.awareness.setLocalStateField('user', { name: 'Ana' });
		c.awareness.setLocalStateField('user', { name: 'Cy' });
		await eventually(
			() =>
				b.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ana' &&
				b.awareness.getStates().get(c.doc.clientID)?.user?.name === 'Cy',
			{ timeoutMs: 15_000, what: 'Ana and Cy on instance B' }
		);
		// Her connection drops without the goodbye the client sends when it is closed on purpose:
		// instance A removes her presence, and B must hear of it.
		a.shouldConnect = false;
		(a.ws as unknown as WebSocket).terminate();
		await eventually(() => !b.awareness.getStates().has(a.doc.clientID), {
			timeoutMs: 15_000,
			what: 'Ana gone from B after her connection to A dropped'
		});
		// C's people leave with it; its shutdown must not wait for their 30 s awareness timeout.
		const closing = Date.now();
		await cluster.instances[2]!.close();
		await eventually(() => !b.awareness.getStates().has(c.doc.clientID), {
			timeoutMs: 5_000,
			what: 'Cy gone from B after instance C shut down'
		});
		expect(Date.now() - closing).toBeLessThan(5_000);
	});

	test('an instance killed with SIGKILL: its people’s presence disappears on the others within its heartbeat timeout', async () => {
		const SECRET = 'fanout-test-secret-of-at-least-32-characters!';
		const { store } = await start({ count: 1, secret: new TextEncoder().encode(SECRET) });
		const tokens = new TokenIssuer(new TextEncoder().encode(SECRET));
		const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/relay-process.ts'], {
			env: {
				...process.env,
				DATA_DIR: cluster.dataDir,
				SCRUMOPS_SECRET: SECRET,
				REDIS_URL: redis.url,
				REDIS_HEARTBEAT_MS: '200'
			},
			stdio: ['ignore', 'pipe', 'inherit']
		});
		children.push(child);
		const port = await new Promise<number>((resolve, reject) => {
			createInterface({ input: child.stdout! }).once('line', (line) =>
				resolve((JSON.parse(line) as { port: number }).port)
			);
			child.once('exit', (code) => reject(new Error(`the instance exited early with ${code}`)));
		});
		const here = await client(0);
		const there = connectProvider(
			`ws://127.0.0.1:${port}/sync`,
			BOARD,
			undefined,
			await mintToken(tokens, BOARD)
		);
		providers.push(there);
		await synced(there);
		there.awareness.setLocalStateField('user', { name: 'Dee' });
		write(there, 'from-the-child');
		await eventually(
			() =>
				here.awareness.getStates().get(there.doc.clientID)?.user?.name === 'Dee' &&
				epics(here).has('from-the-child'),
			{ timeoutMs: 15_000, what: 'Dee and her edit on the other instance' }
		);
		const killed = Date.now();
		child.kill('SIGKILL');
		// Its timeout is 3 heartbeats (600 ms), checked on the survivor's own 200 ms heartbeat.
		await eventually(() => !here.awareness.getStates().has(there.doc.clientID), {
			timeoutMs: 10_000,
			what: 'Dee gone after her instance was killed'
		});
		const gone = Date.now() - killed;
		expect(gone).toBeLessThan(5_000);
		expect(keysOf(await stored(store))).toContain('from-the-child');
	});

	test.each([1, 2])(
		'random concurrent edits on three instances with Redis restarted at a random moment (seed %i) converge on the store',
		async (seed) => {
			const gen = prng.create(seed);
			const { store } = await start();
			const clients: WebsocketProvider[] = [];
			for (let n = 0; n < 6; n++) clients.push(await client(n % 3));
			const rounds = 60;
			const restartAt = prng.uint32(gen, 10, rounds - 20);
			for (let round = 0; round < rounds; round++) {
				if (round === restartAt) await redis.stop();
				if (round === restartAt + prng.uint32(gen, 3, 15)) await redis.start();
				const writer = clients[prng.uint32(gen, 0, clients.length - 1)]!;
				const map = epics(writer);
				const existing = [...map.keys()];
				const choice = prng.uint32(gen, 0, 9);
				if (choice < 6 || existing.length === 0) write(writer, `s${seed}-${round}`);
				else if (choice < 8) map.delete(prng.oneOf(gen, existing));
				else map.get(prng.oneOf(gen, existing))?.set('n', `changed ${round}`);
				if (prng.bool(gen))
					await new Promise((resolve) => setTimeout(resolve, prng.uint32(gen, 0, 20)));
			}
			if (!redis.running) await redis.start();
			await converged(clients, store, 'every client to equal the store');
			const first = Y.encodeStateVector(clients[0]!.doc);
			for (const provider of clients) expect(Y.encodeStateVector(provider.doc)).toEqual(first);
		}
	);

	test('an update whose message never came is found by its missing number and read from the store', async () => {
		const { store } = await start({ count: 2, gapWaitMs: 100 });
		// A writer on the same store that publishes nothing: as if its messages were lost.
		const silent = await startTestServer({ store: new SharedStore(store) });
		try {
			const a = await client(0);
			const b = await client(1);
			const quiet = await silent.connect(BOARD);
			providers.push(quiet);
			await synced(quiet);
			write(quiet, 'unannounced');
			await eventually(
				async () =>
					epics(quiet).has('unannounced') &&
					(await stored(store)).getMap('epics').has('unannounced'),
				{
					what: 'the unannounced edit stored'
				}
			);
			expect(epics(a).has('unannounced')).toBe(false);
			// A's next append gets a number above the one it never heard of: a gap, filled from the store.
			write(a, 'after');
			await converged([a, b], store, 'both instances to find the unannounced edit');
			expect(epics(b).has('unannounced')).toBe(true);
		} finally {
			await silent.close();
		}
	});

	test('compaction on one instance while another appends and Redis is down loses nothing', async () => {
		const { store } = await start({ count: 2, compactEvery: 5 });
		const a = await client(0);
		const b = await client(1);
		write(a, 'first');
		await eventually(() => epics(b).has('first'), { what: 'the first edit on B' });
		await redis.stop();
		// Both append to the one log; each instance compacts after 5 appends of its own, while
		// the other's numbers are missing from its document.
		for (let i = 0; i < 30; i++) {
			write(a, `a${i}`);
			write(b, `b${i}`);
			if (i % 5 === 4) await new Promise((resolve) => setTimeout(resolve, 10));
		}
		await eventually(async () => keysOf(await stored(store)).length === 61, {
			timeoutMs: 15_000,
			what: 'all 61 edits stored'
		});
		await redis.start();
		await converged([a, b], store, 'both clients after Redis is back');
		// Closing both rooms compacts them once more: the store still holds everything.
		for (const provider of providers.splice(0)) provider.destroy();
		await Promise.all(cluster.instances.map((instance) => instance.close()));
		expect(keysOf(await stored(store)).length).toBe(61);
	});
});
