/**
 * What only the PostgreSQL store promises, on a fresh database of the local PostgreSQL: several
 * instances (each a store with its own pool, as each server process has) sharing one database,
 * starting together, compacting while others append, and a database that goes away and comes
 * back. The DocumentStore and MemberStore contracts themselves run in store-contract.test.ts.
 */
import pg from 'pg';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { PostgresStore, type PostgresStoreOptions } from '../../server/store/postgres';
import { POSTGRES_SCHEMA_VERSION, SCHEMA_VERSION_TABLE } from '../../server/store/postgres-schema';
import { eventually } from '../helpers/server';
import {
	createTestDatabase,
	startDatabaseLink,
	terminateConnections,
	type DatabaseLink,
	type TestDatabase
} from '../helpers/postgres';

/** One instance's writer: a Y.Doc of its own, pushing `${who}:${i}` onto the array `log`. */
class Writer {
	readonly doc = new Y.Doc();
	readonly #pending: Uint8Array[] = [];
	/** Every append that resolved: seq → the update. */
	readonly acked = new Map<number, Uint8Array>();
	/** Seqs in the order this writer's appends resolved. */
	readonly seqs: number[] = [];
	failures: Error[] = [];
	#next = 0;

	constructor(
		readonly who: string,
		readonly store: PostgresStore,
		readonly name: string
	) {
		this.doc.on('update', (update: Uint8Array) => this.#pending.push(update));
	}

	/** `count` edits appended in the same tick (one group commit), then waits for them all. */
	async burst(count: number): Promise<void> {
		for (let i = 0; i < count; i++) this.doc.getArray('log').push([`${this.who}:${this.#next++}`]);
		const batch = this.#pending.splice(0);
		const results = await Promise.allSettled(
			batch.map((update) => this.store.append(this.name, update, this.who))
		);
		results.forEach((result, i) => {
			if (result.status === 'fulfilled') {
				this.acked.set(result.value, batch[i]!);
				this.seqs.push(result.value);
			} else {
				this.failures.push(result.reason as Error);
			}
		});
	}
}

function replay(updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	expect(doc.store.pendingStructs, 'updates waiting for a missing update').toBeNull();
	return doc;
}

function range(from: number, to: number): number[] {
	return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('PostgresStore shared by several instances', () => {
	let database: TestDatabase | undefined;
	const opened: PostgresStore[] = [];
	const links: DatabaseLink[] = [];
	const open = async (url = database!.url, options?: PostgresStoreOptions) => {
		const store = await PostgresStore.open(url, options);
		opened.push(store);
		return store;
	};

	beforeEach(async () => {
		database = await createTestDatabase();
	});
	afterEach(async () => {
		for (const store of opened.splice(0)) await store.close().catch(() => undefined);
		for (const link of links.splice(0)) await link.close();
		// Undefined when PostgreSQL did not answer: the test failed saying so.
		await database?.drop();
		database = undefined;
	});

	test('[P1] two instances appending to one document get unique seqs, consecutive in commit order, and both load everything', async () => {
		const [a, b] = await Promise.all([open(), open()]);
		const writers = [new Writer('a', a, 'board/shared'), new Writer('b', b, 'board/shared')];
		// Bursts of 1 to 7 appends from both at once, so group commits of the two interleave.
		for (let round = 0; round < 40; round++) {
			await Promise.all(writers.map((writer, i) => writer.burst(((round + i * 3) % 7) + 1)));
		}
		const total = writers.reduce((sum, writer) => sum + writer.acked.size, 0);
		expect(writers.flatMap((writer) => writer.failures)).toEqual([]);
		// The two really interleaved: each got a seq below the other's newest.
		const [ofA, ofB] = writers.map((writer) => writer.seqs);
		expect(Math.min(...ofA!)).toBeLessThan(Math.max(...ofB!));
		expect(Math.min(...ofB!)).toBeLessThan(Math.max(...ofA!));
		// Unique and without a gap: every seq from 1 to the total was handed out exactly once.
		const all = writers.flatMap((writer) => [...writer.acked.keys()]).sort((x, y) => x - y);
		expect(all).toEqual(range(1, total));
		// Each instance's own appends got increasing seqs, in the order it issued them.
		for (const writer of writers) {
			expect(writer.seqs).toEqual([...writer.seqs].sort((x, y) => x - y));
		}
		for (const store of [a, b]) {
			const loaded = await store.load('board/shared');
			expect(loaded.lastSeq).toBe(total);
			for (const writer of writers) {
				for (const [seq, update] of writer.acked) {
					expect(loaded.updates[seq - 1], `seq ${seq}`).toEqual(update);
				}
			}
			const log = replay(loaded.updates).getArray<string>('log').toArray();
			for (const writer of writers) {
				const own = log.filter((entry) => entry.startsWith(`${writer.who}:`));
				expect(own).toEqual(range(0, writer.acked.size - 1).map((i) => `${writer.who}:${i}`));
			}
		}
		expect(await a.audit('board', 10_000)).toHaveLength(total);
	});

	test('[P2] two instances starting at once on an empty database both start, and every schema version is applied once', async () => {
		const [a, b] = await Promise.all([open(), open()]);
		expect(await a.append('board/x', new Uint8Array([1]))).toBe(1);
		expect(await b.load('board/x')).toEqual({ updates: [new Uint8Array([1])], lastSeq: 1 });
		const client = new pg.Client({ connectionString: database!.url });
		await client.connect();
		try {
			const { rows } = await client.query<{ version: number }>(
				`SELECT version FROM ${SCHEMA_VERSION_TABLE} ORDER BY version`
			);
			expect(rows.map((row) => row.version)).toEqual(
				Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1)
			);
		} finally {
			await client.end();
		}
		// A third instance later finds the schema in place and migrates nothing.
		const c = await open();
		expect((await c.load('board/x')).lastSeq).toBe(1);
	});

	test('[P3] a database written by a newer schema version is refused, not guessed at', async () => {
		await (await open()).close();
		const client = new pg.Client({ connectionString: database!.url });
		await client.connect();
		const newer = POSTGRES_SCHEMA_VERSION + 1;
		await client.query(`INSERT INTO ${SCHEMA_VERSION_TABLE} (version) VALUES ($1)`, [newer]);
		await client.end();
		await expect(open()).rejects.toThrow(
			`has schema version ${newer}, newer than this server understands (${POSTGRES_SCHEMA_VERSION})`
		);
	});

	test('[P4] compacting while another instance appends loses nothing', async () => {
		const [writerStore, compactor] = await Promise.all([open(), open()]);
		const writer = new Writer('w', writerStore, 'board/busy');
		let compactions = 0;
		let writing = true;
		const compacting = (async () => {
			while (writing) {
				const loaded = await compactor.load('board/busy');
				if (loaded.lastSeq === 0) continue;
				const snapshot = Y.encodeStateAsUpdate(replay(loaded.updates));
				await compactor.compact('board/busy', snapshot, loaded.lastSeq);
				compactions++;
			}
		})();
		// Writes until at least three compactions fell between its appends.
		for (let round = 0; round < 60 || compactions < 3; round++) {
			await writer.burst((round % 5) + 1);
			expect(round, 'rounds before three compactions').toBeLessThan(5_000);
		}
		writing = false;
		await compacting;

		expect(writer.failures).toEqual([]);
		expect([...writer.acked.keys()].sort((x, y) => x - y)).toEqual(range(1, writer.acked.size));
		for (const store of [writerStore, compactor]) {
			const loaded = await store.load('board/busy');
			expect(loaded.lastSeq).toBe(writer.acked.size);
			expect(replay(loaded.updates).getArray('log').toJSON()).toEqual(
				writer.doc.getArray('log').toJSON()
			);
		}
		expect(await writerStore.append('board/busy', new Uint8Array([0, 0]))).toBe(
			writer.acked.size + 1
		);
	});

	test('[P5] when PostgreSQL goes away, appends reject saying so, health is not ok, and the same store recovers', async () => {
		const link = await startDatabaseLink(database!.url);
		links.push(link);
		const store = await open(link.url, { connectTimeoutMs: 1_000, statementTimeoutMs: 2_000 });
		const writer = new Writer('w', store, 'board/flaky');
		await writer.burst(5);
		expect(writer.acked.size).toBe(5);

		link.cut();
		await writer.burst(3);
		expect(writer.failures).toHaveLength(3);
		expect(writer.failures[0]!.message).toMatch(
			/^Saving 3 update\(s\) to "board\/flaky" \(none of them was reported saved\) failed on PostgreSQL 127\.0\.0\.1:\d+\/scrumops_test_\w+: .+PostgreSQL is unreachable or restarting/
		);
		const health = await store.health();
		expect(health).toMatchObject({ ok: false, kind: 'postgres' });
		expect(health.detail).toMatch(/^Reaching the database failed on PostgreSQL .*unreachable/);
		await expect(store.load('board/flaky')).rejects.toThrow(/Loading document "board\/flaky"/);

		link.restore();
		await eventually(async () => (await store.health()).ok, { what: 'health to recover' });
		writer.failures = [];
		await writer.burst(4);
		expect(writer.failures).toEqual([]);
		const loaded = await store.load('board/flaky');
		// Nothing the cut interrupted was stored: the appends that failed never reached PostgreSQL.
		expect(loaded.lastSeq).toBe(writer.acked.size);
		for (const [seq, update] of writer.acked) expect(loaded.updates[seq - 1]).toEqual(update);
	});

	test('[P6] when the network to PostgreSQL goes silent, calls reject within the timeouts instead of hanging', async () => {
		const link = await startDatabaseLink(database!.url);
		links.push(link);
		const store = await open(link.url, { connectTimeoutMs: 500, statementTimeoutMs: 1_000 });
		expect(await store.append('board/silent', new Uint8Array([1]))).toBe(1);

		link.stall();
		const started = Date.now();
		await expect(store.append('board/silent', new Uint8Array([2]))).rejects.toThrow(
			/did not answer within 2000 ms|within 500 ms/
		);
		const health = await store.health();
		expect(health.ok).toBe(false);
		// The answer timeout (2 s) and a connect timeout (0.5 s), with room for a loaded machine.
		expect(Date.now() - started).toBeLessThan(10_000);

		link.restore();
		await eventually(async () => (await store.health()).ok, { what: 'health to recover' });
		expect(await store.append('board/silent', new Uint8Array([3]))).toBeGreaterThanOrEqual(2);
	}, 20_000);

	test('[P7] a PostgreSQL restart (every connection terminated) is survived without a new store', async () => {
		const store = await open();
		const writer = new Writer('w', store, 'board/restart');
		await writer.burst(10);
		expect(await terminateConnections(database!.name)).toBeGreaterThan(0);
		// Connections the pool held may fail once; each failure is reported, never a false ack.
		await eventually(
			async () => {
				writer.failures = [];
				await writer.burst(1);
				return writer.failures.length === 0;
			},
			{ what: 'an append to succeed after the restart' }
		);
		const loaded = await store.load('board/restart');
		for (const [seq, update] of writer.acked) expect(loaded.updates[seq - 1]).toEqual(update);
		expect(replay(loaded.updates).getArray('log').length).toBeGreaterThanOrEqual(writer.acked.size);
	});

	test('[P8] the instances of one deployment share the secrets the server generates', async () => {
		const [a, b] = await Promise.all([open(), open()]);
		const [first, second] = await Promise.all([
			a.sharedSecret('token-signing', 'a'.repeat(64)),
			b.sharedSecret('token-signing', 'b'.repeat(64))
		]);
		expect(first.value).toBe(second.value);
		expect([first.created, second.created].sort()).toEqual([false, true]);
		expect(await a.sharedSecret('token-signing', 'c'.repeat(64))).toEqual({
			value: first.value,
			created: false
		});
	});
});
