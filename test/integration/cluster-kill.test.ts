/**
 * Three production server processes (server/index.ts, as `npm run serve` runs it, without the
 * pages) on one PostgreSQL database, joined by a Redis of the test's own. Six people on one
 * board, two per instance, write concurrently (a seeded generator picks who writes what, and
 * when); at seeded moments an instance is killed with SIGKILL and started again on its port,
 * three times. Its people's clients reconnect by themselves.
 *
 * What a person saw another person write is never lost: right after each kill, everything any
 * client had received from someone else is in the database; at the end every client, and a late
 * joiner, hold all of it, and everyone (the database too) holds the same board.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as prng from 'lib0/prng';
import { afterEach, describe, expect, test } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { TokenIssuer } from '../../server/auth/tokens';
import { PostgresStore } from '../../server/store/postgres';
import * as op from '../../src/lib/sync/operations';
import { BoardClient } from '../helpers/board-client';
import { fixedContext } from '../helpers/op-context';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { freePort, ServerProcess } from '../helpers/processes';
import { startTestRedis, type TestRedis } from '../helpers/redis';
import { connectProvider, eventually, mintToken, synced } from '../helpers/server';

const BOARD = 'board-1';
const SECRET = 'cluster-kill-test-secret-of-at-least-32-characters';
const PEOPLE = 6;
const KILLS = 3;

interface Person {
	readonly id: string;
	readonly provider: WebsocketProvider;
	/** Keys of others' entries this person's client received, in the order it got them. */
	readonly saw: Set<string>;
	/** Keys this person wrote. */
	readonly wrote: Set<string>;
	/** How often their connection dropped. */
	drops: number;
}

const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const epics = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('epics');

/** The board as the database holds it. */
async function stored(store: PostgresStore): Promise<Y.Doc> {
	const doc = new Y.Doc();
	for (const update of (await store.load(BOARD)).updates) Y.applyUpdate(doc, update);
	return doc;
}

/** A document's state vector as sorted [client, clock] pairs, comparable across replicas. */
const stateOf = (doc: Y.Doc) =>
	[...Y.decodeStateVector(Y.encodeStateVector(doc)).entries()].sort(([a], [b]) => a - b);

/** Whether every provider is connected and synced with its instance. */
const allConnected = (providers: WebsocketProvider[]) =>
	providers.every((provider) => provider.wsconnected && provider.synced);

/**
 * Three production server processes on a fresh PostgreSQL database and a Redis of their own,
 * sharing one secret; everything is removed after the test.
 */
async function startDeployment(): Promise<{ database: TestDatabase; instances: ServerProcess[] }> {
	const database = await createTestDatabase();
	cleanups.push(() => database.drop());
	const redis: TestRedis = await startTestRedis();
	cleanups.push(() => redis.close());
	const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'scrumops-kill-'));
	cleanups.push(() => rm(dataRoot, { recursive: true, force: true }));
	const instances: ServerProcess[] = [];
	for (let i = 0; i < 3; i++) {
		instances.push(
			new ServerProcess(await freePort(), path.join(dataRoot, `instance-${i + 1}`), {
				DATABASE_URL: database.url,
				REDIS_URL: redis.url,
				SCRUMOPS_SECRET: SECRET,
				// The API and the relay only: no build needed.
				SERVE_APP: 'off',
				DEMO_BOARD: 'off',
				LOG_LEVEL: 'error'
			})
		);
	}
	cleanups.push(() => Promise.all(instances.map((instance) => instance.stop('SIGKILL'))));
	await Promise.all(instances.map((instance) => instance.start()));
	return { database, instances };
}

describe('three server processes on PostgreSQL and Redis, one killed at random moments', () => {
	test.each([7])(
		'nothing anyone saw is lost and everyone converges (seed %i)',
		{ timeout: 90_000 },
		async (seed) => {
			const gen = prng.create(seed);
			const { database, instances } = await startDeployment();
			// The test's own reader of the database, as a late instance would read it.
			const store = await PostgresStore.open(database.url);
			cleanups.push(() => store.close());

			const tokens = new TokenIssuer(new TextEncoder().encode(SECRET));
			const people: Person[] = [];
			cleanups.push(() => people.forEach((person) => person.provider.destroy()));
			for (let i = 0; i < PEOPLE; i++) {
				const id = `p${i}`;
				const token = await mintToken(tokens, BOARD, { personId: id, name: `Person ${i}` });
				const provider = connectProvider(instances[i % 3]!.syncUrl, BOARD, new Y.Doc(), token);
				const person: Person = { id, provider, saw: new Set(), wrote: new Set(), drops: 0 };
				epics(provider.doc).observe((event) => {
					if (event.transaction.local) return;
					for (const key of event.keysChanged) {
						if (epics(provider.doc).has(key) && !key.startsWith(`${id}-`)) person.saw.add(key);
					}
				});
				provider.on('status', ({ status }: { status: string }) => {
					if (status === 'disconnected') person.drops++;
				});
				people.push(person);
			}
			await Promise.all(people.map((person) => synced(person.provider)));

			let written = 0;
			const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
			/** One seeded edit: a new entry by someone, or a change to one they hold. */
			const edit = async () => {
				const person = prng.oneOf(gen, people);
				const map = epics(person.provider.doc);
				const existing = [...map.keys()];
				if (existing.length === 0 || prng.uint32(gen, 0, 3) > 0) {
					const key = `${person.id}-${written++}`;
					map.set(key, new Y.Map<unknown>([['n', key]]));
					person.wrote.add(key);
				} else {
					map.get(prng.oneOf(gen, existing))?.set('n', `changed by ${person.id}`);
				}
				// Think time between edits, so edits cross the relays while others are written.
				if (prng.bool(gen)) await pause(prng.uint32(gen, 0, 8));
			};
			/** Everything people received from someone else so far. */
			const seenByAnyone = () => new Set(people.flatMap((person) => [...person.saw]));

			const kills: { instance: number; seen: number; lost: string[] }[] = [];
			for (let kill = 0; kill < KILLS; kill++) {
				// Everyone is connected again; a seeded number of edits, and more until someone has
				// received one of them from someone else: then the kill, mid-stream.
				const seenBefore = seenByAnyone().size;
				for (let n = prng.uint32(gen, 20, 60); n > 0 || seenByAnyone().size === seenBefore; n--) {
					await edit();
				}
				const victim = prng.uint32(gen, 0, 2);
				await instances[victim]!.stop('SIGKILL');
				const seen = seenByAnyone();
				const inStore = epics(await stored(store));
				kills.push({
					instance: victim,
					seen: seen.size,
					lost: [...seen].filter((key) => !inStore.has(key))
				});
				// Its people keep editing while it is down, and after it is back.
				for (let n = prng.uint32(gen, 10, 30); n > 0; n--) await edit();
				const restarted = instances[victim]!.start();
				let back = false;
				// Settled either way: a start that failed is reported by `await restarted` below.
				void restarted.then(
					() => (back = true),
					() => (back = true)
				);
				// Until it is back (however long that takes here), at a person's pace.
				while (!back) {
					await edit();
					await pause(prng.uint32(gen, 5, 20));
				}
				await restarted;
				await eventually(() => allConnected(people.map((person) => person.provider)), {
					timeoutMs: 20_000,
					what: `everyone connected again after kill ${kill + 1}`
				});
			}
			for (let n = prng.uint32(gen, 20, 40); n > 0; n--) await edit();

			// Nothing seen before a kill was missing from the database right after it.
			expect(kills.map((k) => k.lost)).toEqual(kills.map(() => []));
			// The kills cut people off: at least the two on the victim each time.
			expect(people.reduce((sum, person) => sum + person.drops, 0)).toBeGreaterThanOrEqual(
				2 * KILLS
			);

			const late = connectProvider(
				instances[2]!.syncUrl,
				BOARD,
				new Y.Doc(),
				await mintToken(tokens, BOARD, { personId: 'late', name: 'Late' })
			);
			cleanups.push(() => late.destroy());
			await synced(late);
			const replicas = [...people.map((person) => person.provider.doc), late.doc];
			await eventually(
				async () => {
					const reference = JSON.stringify(stateOf(await stored(store)));
					return replicas.every((doc) => JSON.stringify(stateOf(doc)) === reference);
				},
				{ timeoutMs: 20_000, what: 'every client, the late joiner and the database to converge' }
			);

			const board = epics(await stored(store)).toJSON();
			for (const doc of replicas) expect(epics(doc).toJSON()).toEqual(board);
			const everythingSeen = seenByAnyone();
			const everythingWritten = people.flatMap((person) => [...person.wrote]);
			expect(everythingSeen.size).toBeGreaterThan(0);
			expect([...everythingSeen].filter((key) => !(key in board))).toEqual([]);
			// Nobody's client was lost, so whatever anyone wrote, even unseen, arrived in the end.
			expect(everythingWritten.filter((key) => !(key in board))).toEqual([]);
			expect(Object.keys(board)).toHaveLength(written);
		}
	);

	test(
		'the instance that speaks for a board is killed with SIGKILL; another takes over within 10 s',
		{
			timeout: 60_000
		},
		async () => {
			const { instances } = await startDeployment();

			const tokens = new TokenIssuer(new TextEncoder().encode(SECRET));
			const people = await Promise.all(
				instances.map(async (instance, i) => {
					const token = await mintToken(tokens, 'acme', { personId: `p${i}`, name: `Person ${i}` });
					const client = BoardClient.withToken(instance, 'acme', token);
					cleanups.push(() => client.destroy());
					await client.synced();
					return client;
				})
			);
			const r15s = (client: BoardClient) =>
				client.publishedFindings().filter((finding) => finding.rule === 'R15').length;
			// One context per person: each numbers the ids it makes.
			const contexts = people.map((_, i) => fixedContext(`p${i}`));
			op.createBoard(people[0]!.docs, contexts[0]!, { name: 'Acme' });
			op.createTeam(people[0]!.docs, contexts[0]!, { name: 'Ops', velocity: 30 });
			await eventually(() => people.every((client) => r15s(client) === 1), {
				timeoutMs: 15_000,
				what: 'the first finding published to everyone'
			});

			/** Which instances report speaking for the board on /metrics. */
			const speakers = async (among: number[]) => {
				const found: number[] = [];
				for (const i of among) {
					const text = await fetch(`${instances[i]!.url}/metrics`).then((r) => r.text());
					if (/^scrumops_boards_spoken_for 1$/m.test(text)) found.push(i);
				}
				return found;
			};
			const first = await eventually(
				async () => {
					const found = await speakers([0, 1, 2]);
					return found.length === 1 ? found : null;
				},
				{ timeoutMs: 15_000, what: 'exactly one instance to speak for the board' }
			);
			const victim = first[0]!;
			const survivors = [0, 1, 2].filter((i) => i !== victim);

			await instances[victim]!.stop('SIGKILL');
			const killedAt = Date.now();
			await eventually(
				async () => {
					const found = await speakers(survivors);
					return found.length === 1 ? found : null;
				},
				{ timeoutMs: 10_000, intervalMs: 100, what: 'another instance to speak for the board' }
			);
			expect(Date.now() - killedAt).toBeLessThan(10_000);
			// The new voice publishes: a change on one survivor shows as a finding on the other.
			const [writer, reader] = survivors.map((i) => people[i]!);
			op.createTeam(writer!.docs, contexts[survivors[0]!]!, { name: 'Tiny', velocity: 5 });
			await eventually(() => r15s(reader!) === 2, {
				timeoutMs: 10_000,
				what: 'the second finding, published by the new voice'
			});
		}
	);
});
