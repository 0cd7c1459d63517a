/**
 * One contract for every DocumentStore (server/store/store.ts), run against each implementation
 * (PostgreSQL's on a fresh database of the local server, test/helpers/postgres.ts), then what
 * only a file-backed store can promise: reopening, sharing the file, and keeping every
 * acknowledged append when the process is killed with SIGKILL. What only PostgreSQL promises
 * (several instances on one database) is in postgres-store.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { AttributingStore } from '../../server/store/attribution';
import { MemoryIntegrationStore, type IntegrationStore } from '../../server/store/integrations';
import { MemoryMemberStore, type MemberStore } from '../../server/store/members';
import { AlertRouting } from '../../src/lib/domain/alerts';
import { MemoryStore } from '../../server/store/memory';
import { PostgresStore } from '../../server/store/postgres';
import { SQLITE_FILE_NAME, SQLITE_SCHEMA_VERSION, SqliteStore } from '../../server/store/sqlite';
import { FencedOutError, type DocumentStore } from '../../server/store/store';
import { createTestDatabase } from '../helpers/postgres';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRITER = join(ROOT, 'test/helpers/store-writer.ts');

interface StoreFixture {
	store: DocumentStore;
	/** Closes the store (again, if the test did) and removes whatever it left behind. */
	dispose(): Promise<void>;
}

/** A Y.Doc after `edits` edits of every kind, and the update each edit produced, in order. */
function editedDoc(edits: number): { doc: Y.Doc; updates: Uint8Array[] } {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	const board = doc.getMap('board');
	const log = doc.getArray<number>('log');
	const notes = doc.getText('notes');
	for (let i = 0; i < edits; i++) {
		switch (i % 5) {
			case 0:
				log.push([i]);
				break;
			case 1:
				notes.insert(Math.floor(notes.length / 2), `edit ${i}; `);
				break;
			case 2: {
				const card = new Y.Map<unknown>();
				card.set('title', `Card ${i}`);
				board.set(`card-${i}`, card);
				break;
			}
			case 3: {
				// Changes a card an earlier update created: replay order matters.
				const card = board.get(`card-${i - 1}`) as Y.Map<unknown>;
				card.set('done', true);
				break;
			}
			default:
				doc.transact(() => {
					if (log.length > 1) log.delete(0, 1);
					notes.delete(0, Math.min(3, notes.length));
				});
		}
	}
	return { doc, updates };
}

/** Applies `updates` in order to a fresh Y.Doc, failing if any depends on a missing one. */
function replay(updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	expect(doc.store.pendingStructs, 'updates that wait for a missing update').toBeNull();
	expect(doc.store.pendingDs, 'deletions that wait for a missing update').toBeNull();
	return doc;
}

function expectSameState(actual: Y.Doc, expected: Y.Doc): void {
	expect(actual.getMap('board').toJSON()).toEqual(expected.getMap('board').toJSON());
	expect(actual.getArray('log').toJSON()).toEqual(expected.getArray('log').toJSON());
	expect(actual.getText('notes').toString()).toBe(expected.getText('notes').toString());
	expect(Y.encodeStateVector(actual)).toEqual(Y.encodeStateVector(expected));
}

function range(from: number, to: number): number[] {
	return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function storeContract(name: string, makeStore: () => Promise<StoreFixture>): void {
	describe(`${name} meets the DocumentStore contract`, () => {
		let fixture: StoreFixture;
		let store: DocumentStore;

		beforeEach(async () => {
			fixture = await makeStore();
			store = fixture.store;
		});
		afterEach(() => fixture.dispose());

		test('[S1] a document never written loads empty', async () => {
			expect(await store.load('board/none')).toEqual({ updates: [], lastSeq: 0 });
			expect(await store.list('')).toEqual([]);
		});

		test('[S2] append resolves with 1, 2, 3… per document, independently', async () => {
			const bytes = new Uint8Array([1, 2, 3]);
			expect(await store.append('a', bytes)).toBe(1);
			expect(await store.append('a', bytes)).toBe(2);
			expect(await store.append('b', bytes)).toBe(1);
			expect(await store.append('a', bytes)).toBe(3);
			expect(await store.append('b', bytes)).toBe(2);
			expect((await store.load('a')).lastSeq).toBe(3);
			expect((await store.load('b')).lastSeq).toBe(2);
		});

		test("[S3] load returns updates in order; replaying them gives the writer's state", async () => {
			const { doc, updates } = editedDoc(40);
			for (const update of updates) await store.append('board/b1', update);
			const loaded = await store.load('board/b1');
			expect(loaded.lastSeq).toBe(updates.length);
			expect(loaded.updates).toEqual(updates);
			expectSameState(replay(loaded.updates), doc);
		});

		test('[S4] bytes are copied on the way in and on the way out', async () => {
			const update = Buffer.from([5, 6, 7]);
			const appended = store.append('copies', update);
			update.fill(0); // before the (possibly batched) write
			await appended;
			const first = await store.load('copies');
			expect(first.updates).toEqual([new Uint8Array([5, 6, 7])]);
			first.updates[0]!.fill(9);
			expect((await store.load('copies')).updates).toEqual([new Uint8Array([5, 6, 7])]);
		});

		test('[S5] appends in the same tick (a group commit) all resolve in call order and load', async () => {
			const names = ['g/1', 'g/2', 'g/3'];
			const sent = new Map<string, Uint8Array[]>(names.map((n) => [n, []]));
			const calls: { name: string; seq: Promise<number> }[] = [];
			for (let i = 0; i < 600; i++) {
				const name = names[i % names.length]!;
				const update = new Uint8Array([i % 256, Math.floor(i / 256) + 1]);
				sent.get(name)!.push(update);
				calls.push({ name, seq: store.append(name, update) });
			}
			const seqs = await Promise.all(calls.map((call) => call.seq));
			for (const name of names) {
				expect(seqs.filter((_, i) => calls[i]!.name === name)).toEqual(range(1, 200));
				const loaded = await store.load(name);
				expect(loaded.lastSeq).toBe(200);
				expect(loaded.updates).toEqual(sent.get(name));
			}
		});

		test('[S6] compact replaces the prefix by the snapshot, keeps later updates; seqs continue', async () => {
			const { doc, updates } = editedDoc(30);
			for (const update of updates) await store.append('c', update);
			const snapshot = Y.encodeStateAsUpdate(replay(updates.slice(0, 18)));
			await store.compact('c', snapshot, 18);

			const loaded = await store.load('c');
			expect(loaded.lastSeq).toBe(30);
			expect(loaded.updates).toEqual([snapshot, ...updates.slice(18)]);
			expectSameState(replay(loaded.updates), doc);

			doc.getArray<number>('log').push([999]);
			const next = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(replay(loaded.updates)));
			expect(await store.append('c', next)).toBe(31);
			expectSameState(replay((await store.load('c')).updates), doc);
		});

		test('[S7] compacting through the newest seq keeps seqs counting from there', async () => {
			const { doc, updates } = editedDoc(10);
			for (const update of updates) await store.append('all', update);
			await store.compact('all', Y.encodeStateAsUpdate(doc), 10);
			expect(await store.load('all')).toEqual({
				updates: [Y.encodeStateAsUpdate(doc)],
				lastSeq: 10
			});
			// Compacting again at the same point replaces the snapshot and is harmless.
			await store.compact('all', Y.encodeStateAsUpdate(doc), 10);
			expect(await store.append('all', new Uint8Array([0, 0]))).toBe(11);
			expect(await store.list('')).toEqual(['all']);
		});

		test('[S8] compact while appends are queued loses none of them', async () => {
			const { doc, updates } = editedDoc(60);
			for (const update of updates.slice(0, 20)) await store.append('busy', update);
			const snapshot = Y.encodeStateAsUpdate(replay(updates.slice(0, 15)));

			// All in one tick: queued appends, the compaction, more queued appends.
			const before = updates.slice(20, 40).map((update) => store.append('busy', update));
			const compacted = store.compact('busy', snapshot, 15);
			const after = updates.slice(40).map((update) => store.append('busy', update));
			expect(await Promise.all([...before, ...after])).toEqual(range(21, 60));
			await compacted;

			const loaded = await store.load('busy');
			expect(loaded.lastSeq).toBe(60);
			expect(loaded.updates).toEqual([snapshot, ...updates.slice(15)]);
			expectSameState(replay(loaded.updates), doc);
		});

		test('[S9] compact refuses a throughSeq it cannot honour, and changes nothing', async () => {
			const { updates } = editedDoc(6);
			for (const update of updates) await store.append('r', update);
			const snapshot = Y.encodeStateAsUpdate(replay(updates.slice(0, 4)));
			await expect(store.compact('r', snapshot, 7)).rejects.toThrow(
				/through seq 7: its newest stored update is seq 6/
			);
			await expect(store.compact('unknown', snapshot, 1)).rejects.toThrow(
				/newest stored update is seq 0/
			);
			for (const bad of [0, -1, 2.5, Number.NaN, '3']) {
				await expect(store.compact('r', snapshot, bad as number)).rejects.toThrow(
					/throughSeq as a positive integer/
				);
			}
			expect((await store.load('r')).updates).toEqual(updates);

			await store.compact('r', snapshot, 4);
			await expect(
				store.compact('r', Y.encodeStateAsUpdate(replay(updates.slice(0, 2))), 2)
			).rejects.toThrow(/already compacted through seq 4/);
			expect((await store.load('r')).updates).toEqual([snapshot, ...updates.slice(4)]);
		});

		test('[S10] list(prefix) returns the matching names, sorted, prefix taken literally', async () => {
			const names = ['team/b', 'board/2', 'board/10', 'board/1', 'boar', 'board%x', 'board_y'];
			for (const name of names) await store.append(name, new Uint8Array([1]));
			await store.compact('board/2', new Uint8Array([0, 0]), 1);
			expect(await store.list('board/')).toEqual(['board/1', 'board/10', 'board/2']);
			expect(await store.list('board')).toEqual([
				'board%x',
				'board/1',
				'board/10',
				'board/2',
				'board_y'
			]);
			// SQL LIKE wildcards must not match anything but themselves.
			expect(await store.list('board%')).toEqual(['board%x']);
			expect(await store.list('board_')).toEqual(['board_y']);
			expect(await store.list('')).toEqual([...names].sort());
			expect(await store.list('zzz')).toEqual([]);
		});

		test('[S35] deleteDocuments removes a board document, its team documents and their audit, nothing else', async () => {
			for (const name of [
				'sandbox',
				'sandbox/team/web',
				'sandbox/team/ops',
				'sandboxed',
				'other'
			]) {
				await store.append(name, new Uint8Array([1]), 'ada');
			}
			await store.compact('sandbox/team/web', new Uint8Array([0, 0]), 1);
			// Queued in the same tick as the delete: written first, then deleted with the rest.
			const late = store.append('sandbox/team/ops', new Uint8Array([2]));
			expect(await store.deleteDocuments('sandbox')).toBe(3);
			expect(await late).toBe(2);
			expect(await store.list('')).toEqual(['other', 'sandboxed']);
			expect(await store.load('sandbox/team/web')).toEqual({ updates: [], lastSeq: 0 });
			expect(await store.audit('sandbox', 10)).toEqual([]);
			expect((await store.audit('sandboxed', 10)).map((entry) => entry.author)).toEqual(['ada']);
			expect(await store.deleteDocuments('sandbox')).toBe(0);
			// A board deleted and made again starts from nothing.
			expect(await store.append('sandbox', new Uint8Array([3]))).toBe(1);
		});

		test('[S11] invalid document names are refused with a message saying what is wrong', async () => {
			const update = new Uint8Array([1]);
			const tooLong = 'x'.repeat(513);
			await expect(store.append('', update)).rejects.toThrow(/Document name is empty/);
			await expect(store.load('')).rejects.toThrow(/Document name is empty/);
			await expect(store.compact('', update, 1)).rejects.toThrow(/Document name is empty/);
			await expect(store.append(tooLong, update)).rejects.toThrow(
				/513 characters long, over the limit of 512/
			);
			await expect(store.append(42 as unknown as string, update)).rejects.toThrow(
				/Document name must be a string, got number 42/
			);
			await expect(store.list(null as unknown as string)).rejects.toThrow(
				/List prefix must be a string/
			);
			expect(await store.append('x'.repeat(512), update)).toBe(1);
			expect(await store.list('')).toEqual(['x'.repeat(512)]);
		});

		test('[S12] invalid updates and snapshots are refused with a clear message', async () => {
			await expect(store.append('d', new Uint8Array())).rejects.toThrow(
				/The update is empty \(0 bytes\)/
			);
			await expect(store.append('d', [1, 2] as unknown as Uint8Array)).rejects.toThrow(
				/The update must be a Uint8Array \(a Yjs update\), got an array of length 2/
			);
			await expect(store.append('d', 'abc' as unknown as Uint8Array)).rejects.toThrow(
				/must be a Uint8Array/
			);
			await store.append('d', new Uint8Array([1]));
			await expect(store.compact('d', new Uint8Array(), 1)).rejects.toThrow(
				/The snapshot is empty/
			);
			expect(await store.load('d')).toEqual({ updates: [new Uint8Array([1])], lastSeq: 1 });
		});

		test('[S13] health reports ok and names the implementation', async () => {
			const health = await store.health();
			expect(health.ok).toBe(true);
			expect(health.kind).toMatch(/\w+/);
		});

		test('[S27] every append is audited with its author, document, seq and size, newest first', async () => {
			await store.append('acme', new Uint8Array([1, 2, 3]), 'ada');
			await store.append('acme/team/web', new Uint8Array([4]), 'bob');
			await store.append('acme2', new Uint8Array([5]), 'eve');
			await store.append('acme', new Uint8Array([6, 7]));
			const entries = await store.audit('acme', 10);
			expect(
				entries.map(({ document, seq, author, bytes, intent }) => ({
					document,
					seq,
					author,
					bytes,
					intent
				}))
			).toEqual([
				{ document: 'acme', seq: 2, author: 'server', bytes: 2, intent: null },
				{ document: 'acme/team/web', seq: 1, author: 'bob', bytes: 1, intent: null },
				{ document: 'acme', seq: 1, author: 'ada', bytes: 3, intent: null }
			]);
			expect(entries.every((entry) => Math.abs(entry.at - Date.now()) < 60_000)).toBe(true);
			expect(await store.audit('acme', 1)).toHaveLength(1);
			// Compaction folds updates into a snapshot; the audit log keeps them.
			await store.compact('acme', new Uint8Array([9]), 2);
			expect(await store.audit('acme', 10)).toHaveLength(3);
		});

		test('[S28] audit authors and limits are bounded', async () => {
			await expect(store.append('acme', new Uint8Array([1]), '')).rejects.toThrow(/author/);
			await expect(store.append('acme', new Uint8Array([1]), 'x'.repeat(65))).rejects.toThrow(
				/author/
			);
			await expect(store.audit('acme', 0)).rejects.toThrow(/limit/);
			await expect(store.audit('acme', 1.5)).rejects.toThrow(/limit/);
		});

		test("[S32] a change made on someone's behalf is audited with its intent; malformed intents are refused", async () => {
			await store.append('acme', new Uint8Array([1]), 'ada');
			await store.append('acme', new Uint8Array([2]), 'ada', 'repairBoard');
			const [repair, edit] = await store.audit('acme', 10);
			expect(repair).toMatchObject({ seq: 2, author: 'ada', intent: 'repairBoard' });
			expect(edit).toMatchObject({ seq: 1, author: 'ada', intent: null });
			for (const intent of ['', 'repair board', 'x'.repeat(65), 7]) {
				await expect(
					store.append('acme', new Uint8Array([3]), 'ada', intent as string)
				).rejects.toThrow(/intent/);
			}
			expect(await store.audit('acme', 10)).toHaveLength(2);
		});

		test('[S37] a lease has one holder at a time; another takes it over, with a higher token, only once it expired', async () => {
			const first = await store.claimLeases('instance-a', ['acme', 'globex'], 60_000);
			expect(first).toEqual(
				new Map([
					['acme', 1],
					['globex', 1]
				])
			);
			// Held and renewed: nobody else gets it.
			expect(await store.claimLeases('instance-b', ['acme'], 60_000)).toEqual(new Map());
			expect(await store.claimLeases('instance-a', ['acme', 'globex'], 150)).toEqual(first);
			// Not renewed: once it ran out, the next claim takes it.
			const takenAt = Date.now();
			let taken = new Map<string, number>();
			while (taken.size === 0) {
				taken = await store.claimLeases('instance-b', ['acme'], 60_000);
				expect(Date.now() - takenAt, 'the lease expires').toBeLessThan(10_000);
			}
			expect(taken).toEqual(new Map([['acme', 2]]));
			// The first holder finds it gone; it keeps what nobody took.
			expect(await store.claimLeases('instance-a', ['acme', 'globex'], 60_000)).toEqual(
				new Map([['globex', 1]])
			);
		});

		test('[S38] an append fenced with a lease token is stored only while the lease still has it', async () => {
			const held = await store.claimLeases('instance-a', ['acme'], 100);
			const fence = { lease: 'acme', token: held.get('acme')! };
			expect(await store.append('acme', new Uint8Array([1]), 'server', null, fence)).toBe(1);
			let taken = new Map<string, number>();
			while (taken.size === 0) taken = await store.claimLeases('instance-b', ['acme'], 60_000);
			// Committed together: the stale write alone is refused.
			const results = await Promise.allSettled([
				store.append('acme', new Uint8Array([2]), 'bob'),
				store.append('acme', new Uint8Array([3]), 'server', null, fence),
				store.append('acme', new Uint8Array([4]), 'server', null, {
					lease: 'acme',
					token: taken.get('acme')!
				})
			]);
			expect(results.map((result) => result.status)).toEqual([
				'fulfilled',
				'rejected',
				'fulfilled'
			]);
			const refusal = (results[1] as PromiseRejectedResult).reason as Error;
			expect(refusal).toBeInstanceOf(FencedOutError);
			expect(refusal.message).toMatch(/another instance speaks for it now/);
			const loaded = await store.load('acme');
			expect(loaded.updates).toEqual([1, 2, 4].map((byte) => new Uint8Array([byte])));
			expect(loaded.lastSeq).toBe(3);
			// A lease nobody ever claimed fences out every token.
			await expect(
				store.append('other', new Uint8Array([5]), 'server', null, { lease: 'other', token: 1 })
			).rejects.toThrow(FencedOutError);
			expect(await store.list('other')).toEqual([]);
		});

		test('[S39] a lease let go is taken at once, and its token never starts over', async () => {
			await store.claimLeases('instance-a', ['acme'], 60_000);
			// Claiming without it lets it go.
			expect(await store.claimLeases('instance-a', [], 60_000)).toEqual(new Map());
			expect(await store.claimLeases('instance-b', ['acme'], 60_000)).toEqual(
				new Map([['acme', 2]])
			);
			await store.claimLeases('instance-b', [], 60_000);
			expect(await store.claimLeases('instance-a', ['acme'], 60_000)).toEqual(
				new Map([['acme', 3]])
			);
		});

		test('[S40] bad lease claims and fences are refused, saying what is expected', async () => {
			await expect(store.claimLeases('', ['acme'], 1000)).rejects.toThrow(/lease holder must be/);
			await expect(store.claimLeases('a', ['acme'], 0)).rejects.toThrow(/lease time must be/);
			await expect(store.claimLeases('a', [''], 1000)).rejects.toThrow(/Document name is empty/);
			await expect(
				store.append('acme', new Uint8Array([1]), 'server', null, { lease: 'acme', token: 0 })
			).rejects.toThrow(/fence must be null or \{ lease, token \}/);
			expect(await store.list('')).toEqual([]);
		});

		test('[S14] close writes queued appends; afterwards every call rejects', async () => {
			const queued = [
				store.append('q', new Uint8Array([1])),
				store.append('q', new Uint8Array([2]))
			];
			await store.close();
			expect(await Promise.all(queued)).toEqual([1, 2]);

			const closed = /is closed: \w+\(\) was called after close\(\)/;
			await expect(store.load('q')).rejects.toThrow(closed);
			await expect(store.append('q', new Uint8Array([3]))).rejects.toThrow(closed);
			await expect(store.compact('q', new Uint8Array([3]), 1)).rejects.toThrow(closed);
			await expect(store.list('')).rejects.toThrow(closed);
			await expect(store.health()).rejects.toThrow(closed);
			// A second close (signal handler, then `finally`) is harmless.
			await expect(store.close()).resolves.toBeUndefined();
		});
	});
}

async function temporaryDir(): Promise<string> {
	return mkdtemp(join(tmpdir(), 'scrumops-store-'));
}

storeContract('MemoryStore', async () => {
	const store = new MemoryStore();
	return { store, dispose: () => store.close() };
});

storeContract('SqliteStore', async () => {
	const dir = await temporaryDir();
	const store = SqliteStore.open(dir);
	return {
		store,
		dispose: async () => {
			await store.close();
			await rm(dir, { recursive: true, force: true });
		}
	};
});

storeContract('PostgresStore', async () => {
	const database = await createTestDatabase();
	const store = await PostgresStore.open(database.url);
	return {
		store,
		dispose: async () => {
			await store.close();
			await database.drop();
		}
	};
});

// The decorator the server's rooms write through (a repair is audited as the admin's): it must
// keep every promise of the store it wraps.
storeContract('AttributingStore over a SqliteStore', async () => {
	const dir = await temporaryDir();
	const store = new AttributingStore(SqliteStore.open(dir));
	return {
		store,
		dispose: async () => {
			await store.close();
			await rm(dir, { recursive: true, force: true });
		}
	};
});

describe('AttributingStore', () => {
	test("[S34] the server's appends made inside attribute() are audited as the person's, with the intent", async () => {
		const store = new AttributingStore(new MemoryStore());
		await store.append('acme', new Uint8Array([1]), 'bob');
		const { result, appends } = store.attribute({ author: 'ada', intent: 'repairBoard' }, () => {
			void store.append('acme', new Uint8Array([2]));
			void store.append('acme', new Uint8Array([3]), 'carol');
			return 'done';
		});
		await store.append('acme', new Uint8Array([4]));
		expect(result).toBe('done');
		expect(await Promise.all(appends)).toEqual([2]);
		expect(
			(await store.audit('acme', 10)).map(({ seq, author, intent }) => ({ seq, author, intent }))
		).toEqual([
			{ seq: 4, author: 'server', intent: null },
			{ seq: 3, author: 'carol', intent: null },
			{ seq: 2, author: 'ada', intent: 'repairBoard' },
			{ seq: 1, author: 'bob', intent: null }
		]);
	});
});

function memberContract(
	name: string,
	create: () => Promise<{ members: MemberStore; dispose(): Promise<void> }>
) {
	describe(`${name} (member store contract)`, () => {
		let members: MemberStore;
		let dispose: () => Promise<void>;
		beforeEach(async () => {
			({ members, dispose } = await create());
		});
		afterEach(() => dispose());

		const ada = {
			boardId: 'acme',
			personId: 'ada',
			name: 'Ada',
			teams: ['web'],
			roles: ['scrum-master' as const],
			admin: false,
			joinedAt: 1000
		};

		test('[M1] a board id is registered once', async () => {
			expect(await members.createBoard({ id: 'acme', name: 'Acme', createdAt: 1 })).toBe(true);
			expect(await members.createBoard({ id: 'acme', name: 'Other', createdAt: 2 })).toBe(false);
			expect(await members.board('acme')).toEqual({
				id: 'acme',
				name: 'Acme',
				createdAt: 1,
				sandbox: false,
				lastActiveAt: 1
			});
			expect(await members.board('nope')).toBeNull();
		});

		test('[M2] members are added, updated and listed by join time', async () => {
			await members.putMember({ ...ada, personId: 'bob', name: 'Bob', joinedAt: 2000 });
			expect(await members.putMember(ada)).toEqual({ ...ada, removedAt: null, changedAt: null });
			const renamed = await members.putMember({ ...ada, name: 'Ada L.', joinedAt: 5000 });
			expect(renamed.name).toBe('Ada L.');
			expect(renamed.joinedAt).toBe(1000);
			expect((await members.putMember({ ...ada, changedAt: 7000 })).changedAt).toBe(7000);
			expect((await members.putMember(ada)).changedAt, 'kept when not given').toBe(7000);
			expect((await members.members('acme')).map((m) => m.personId)).toEqual(['ada', 'bob']);
			expect(await members.members('other')).toEqual([]);
			// Many boards in one read: each of their members once, other boards' none.
			await members.putMember({ ...ada, boardId: 'globex', personId: 'cy', name: 'Cy' });
			await members.putMember({ ...ada, boardId: 'initech', personId: 'di', name: 'Di' });
			const read = await members.membersOfBoards(['acme', 'globex', 'acme', 'nope']);
			expect(read.map((m) => `${m.boardId}/${m.personId}`).sort()).toEqual([
				'acme/ada',
				'acme/bob',
				'globex/cy'
			]);
			expect(await members.membersOfBoards([])).toEqual([]);
		});

		test('[M3] a removed member stays removed, even when their token is presented again', async () => {
			await members.putMember(ada);
			expect(await members.remove('acme', 'ada', 3000)).toBe(true);
			expect(await members.remove('acme', 'ada', 4000)).toBe(false);
			expect(await members.remove('acme', 'nobody', 4000)).toBe(false);
			await members.putMember(ada);
			expect((await members.member('acme', 'ada'))?.removedAt).toBe(3000);
		});

		test('[M4] invites are recorded, listed while open, newest first, and revoked once', async () => {
			const invite = {
				boardId: 'acme',
				id: 'inv-1',
				teamId: 'web',
				role: 'team-member' as const,
				createdBy: 'ada',
				createdAt: 1000,
				expiresAt: 10_000
			};
			await members.putInvite(invite);
			await members.putInvite({ ...invite, id: 'inv-2', teamId: null, createdAt: 2000 });
			await members.putInvite({ ...invite, id: 'old', createdAt: 500, expiresAt: 1500 });
			await members.putInvite({ ...invite, boardId: 'other', id: 'elsewhere' });
			expect(await members.invite('acme', 'inv-1')).toEqual({ ...invite, revokedAt: null });
			expect(await members.invite('other', 'inv-1')).toBeNull();
			const open = (now: number, limit = 10) =>
				members.openInvites('acme', now, limit).then((list) => list.map((i) => i.id));
			expect(await open(1200)).toEqual(['inv-2', 'inv-1', 'old']);
			expect(await open(1500)).toEqual(['inv-2', 'inv-1']);
			expect(await open(1500, 1)).toEqual(['inv-2']);

			expect(await members.revokeInvite('acme', 'inv-1', 3000)).toBe(true);
			expect(await members.revokeInvite('acme', 'inv-1', 4000)).toBe(false);
			expect(await members.revokeInvite('acme', 'nobody', 4000)).toBe(false);
			expect((await members.invite('acme', 'inv-1'))?.revokedAt).toBe(3000);
			expect(await open(1500)).toEqual(['inv-2']);
			// Issuing the same id again does not bring a revoked invite back.
			await members.putInvite(invite);
			expect((await members.invite('acme', 'inv-1'))?.revokedAt).toBe(3000);
		});

		test('[M5] sandboxes idle since before a time are listed least recent first; activity never moves back', async () => {
			await members.createBoard({ id: 'real', name: 'Real', createdAt: 100 });
			await members.createBoard({ id: 'sb-1', name: 'Demo', createdAt: 200, sandbox: true });
			await members.createBoard({ id: 'sb-2', name: 'Demo', createdAt: 300, sandbox: true });
			await members.createBoard({ id: 'sb-3', name: 'Demo', createdAt: 400, sandbox: true });
			expect(await members.idleSandboxes(1000, 10)).toEqual(['sb-1', 'sb-2', 'sb-3']);
			await members.touchBoard('sb-1', 2000);
			await members.touchBoard('sb-1', 1500);
			await members.touchBoard('nowhere', 2000);
			expect((await members.board('sb-1'))?.lastActiveAt).toBe(2000);
			expect(await members.idleSandboxes(1000, 10)).toEqual(['sb-2', 'sb-3']);
			expect(await members.idleSandboxes(1000, 1)).toEqual(['sb-2']);
			expect(await members.idleSandboxes(350, 10)).toEqual(['sb-2']);
			expect(await members.idleSandboxes(3000, 10)).toEqual(['sb-2', 'sb-3', 'sb-1']);
		});

		test('[M6] deleting a board forgets it with its members, invites and requests, and only it', async () => {
			for (const id of ['acme', 'other']) {
				await members.createBoard({ id, name: id, createdAt: 1, sandbox: true });
				await members.putMember({ ...ada, boardId: id });
				await members.putInvite({
					boardId: id,
					id: 'inv',
					teamId: null,
					role: 'team-member',
					createdBy: 'ada',
					createdAt: 1,
					expiresAt: 10
				});
				await members.putRequest({
					boardId: id,
					id: 'req',
					personId: 'ada',
					teams: [],
					roles: ['team-member'],
					createdAt: 1
				});
			}
			expect(await members.deleteBoard('acme')).toBe(true);
			expect(await members.deleteBoard('acme')).toBe(false);
			expect(await members.board('acme')).toBeNull();
			expect(await members.members('acme')).toEqual([]);
			expect(await members.invite('acme', 'inv')).toBeNull();
			expect(await members.requests('acme', 10)).toEqual([]);
			expect(await members.idleSandboxes(100, 10)).toEqual(['other']);
			expect(await members.members('other')).toHaveLength(1);
			expect(await members.invite('other', 'inv')).not.toBeNull();
			expect(await members.requests('other', 10)).toHaveLength(1);
		});

		test('[M7] change requests are recorded pending, listed newest first, and settled once', async () => {
			const request = {
				boardId: 'acme',
				id: 'req-1',
				personId: 'ada',
				teams: ['web'],
				roles: ['team-member' as const],
				createdAt: 1000
			};
			await members.putRequest(request);
			await members.putRequest({ ...request, id: 'req-2', teams: ['ops'], createdAt: 2000 });
			await members.putRequest({ ...request, teams: ['ignored'] });
			expect(await members.request('acme', 'req-1')).toEqual({
				...request,
				status: 'pending',
				decidedBy: null,
				decidedAt: null
			});
			expect((await members.requests('acme', 10)).map((r) => r.id)).toEqual(['req-2', 'req-1']);
			expect((await members.requests('acme', 1)).map((r) => r.id)).toEqual(['req-2']);
			expect(await members.decideRequest('acme', 'req-1', 'approved', 'sam', 3000)).toBe(true);
			expect(await members.decideRequest('acme', 'req-1', 'declined', 'sam', 4000)).toBe(false);
			expect(await members.decideRequest('acme', 'nope', 'declined', 'sam', 4000)).toBe(false);
			expect(await members.request('acme', 'req-1')).toMatchObject({
				status: 'approved',
				decidedBy: 'sam',
				decidedAt: 3000
			});
			expect(await members.request('other', 'req-1')).toBeNull();
		});
	});
}

memberContract('MemoryMemberStore', async () => ({
	members: new MemoryMemberStore(),
	dispose: async () => {}
}));

memberContract('SqliteMemberStore', async () => {
	const dir = await temporaryDir();
	const store = SqliteStore.open(dir);
	return {
		members: store.members(),
		dispose: async () => {
			await store.close();
			await rm(dir, { recursive: true, force: true });
		}
	};
});

memberContract('PostgresMemberStore', async () => {
	const database = await createTestDatabase();
	const store = await PostgresStore.open(database.url);
	return {
		members: store.members(),
		dispose: async () => {
			await store.close();
			await database.drop();
		}
	};
});

function integrationContract(
	name: string,
	create: () => Promise<{ integrations: IntegrationStore; dispose(): Promise<void> }>
) {
	describe(`${name} (integration store contract)`, () => {
		let integrations: IntegrationStore;
		let dispose: () => Promise<void>;
		beforeEach(async () => {
			({ integrations, dispose } = await create());
		});
		afterEach(() => dispose());

		const prometheus = {
			boardId: 'acme',
			id: 'int-1',
			name: 'Prometheus',
			tokenHash: 'ab'.repeat(32),
			routing: AlertRouting.parse({
				defaultStoryId: 'support',
				rules: [{ match: { service: 'payments' }, storyId: 'payments' }],
				severities: { page: 'SEV1' }
			}),
			createdBy: 'ada',
			createdAt: 1000
		};

		test('[I1] integrations are recorded with their routing, listed while working, newest first, revoked once', async () => {
			await integrations.putIntegration(prometheus);
			await integrations.putIntegration({ ...prometheus, id: 'int-2', createdAt: 2000 });
			await integrations.putIntegration({ ...prometheus, boardId: 'other', id: 'elsewhere' });
			expect(await integrations.integration('acme', 'int-1')).toEqual({
				...prometheus,
				revokedAt: null
			});
			expect(await integrations.integration('other', 'int-1')).toBeNull();
			const open = (limit = 10) =>
				integrations.openIntegrations('acme', limit).then((list) => list.map((i) => i.id));
			expect(await open()).toEqual(['int-2', 'int-1']);
			expect(await open(1)).toEqual(['int-2']);

			expect(await integrations.revokeIntegration('acme', 'int-1', 3000)).toBe(true);
			expect(await integrations.revokeIntegration('acme', 'int-1', 4000)).toBe(false);
			expect(await integrations.revokeIntegration('acme', 'nope', 4000)).toBe(false);
			expect((await integrations.integration('acme', 'int-1'))?.revokedAt).toBe(3000);
			expect(await open()).toEqual(['int-2']);
			// Recording the same id again neither brings it back nor changes its token.
			await integrations.putIntegration({ ...prometheus, tokenHash: 'cd'.repeat(32) });
			expect(await integrations.integration('acme', 'int-1')).toMatchObject({
				tokenHash: prometheus.tokenHash,
				revokedAt: 3000
			});
		});

		test('[I2] an alert group gets the work package of its first claim, concurrent claims included', async () => {
			const group = { boardId: 'acme', integrationId: 'int-1', groupHash: 'f0'.repeat(32) };
			expect(await integrations.alertGroup('acme', 'int-1', group.groupHash)).toBeNull();
			const claims = await Promise.all(
				['wp-a', 'wp-b', 'wp-c', 'wp-d'].map((workPackageId, i) =>
					integrations.claimAlertGroup({ ...group, workPackageId, claimedAt: 1000 + i })
				)
			);
			const winner = claims[0]!.workPackageId;
			expect(claims.map((claim) => claim.workPackageId)).toEqual(Array(4).fill(winner));
			expect(await integrations.alertGroup('acme', 'int-1', group.groupHash)).toMatchObject({
				...group,
				workPackageId: winner
			});
			// Another integration's group of the same key is another group.
			const theirs = await integrations.claimAlertGroup({
				...group,
				integrationId: 'int-2',
				workPackageId: 'wp-z',
				claimedAt: 5
			});
			expect(theirs.workPackageId).toBe('wp-z');
		});

		test('[I3] a group moves to new work only from the work package it has', async () => {
			const group = { boardId: 'acme', integrationId: 'int-1', groupHash: '0f'.repeat(32) };
			await integrations.claimAlertGroup({ ...group, workPackageId: 'wp-1', claimedAt: 1 });
			const moves = await Promise.all(
				['wp-2', 'wp-3'].map((workPackageId) =>
					integrations.reclaimAlertGroup({ ...group, workPackageId, claimedAt: 2 }, 'wp-1')
				)
			);
			expect(moves.filter(Boolean)).toHaveLength(1);
			const now = await integrations.alertGroup('acme', 'int-1', group.groupHash);
			expect(['wp-2', 'wp-3']).toContain(now?.workPackageId);
			expect(
				await integrations.reclaimAlertGroup(
					{ ...group, workPackageId: 'wp-4', claimedAt: 3 },
					'wp-1'
				)
			).toBe(false);
		});

		test("[I4] deleting a board's integrations forgets them and their groups, and only them", async () => {
			await integrations.putIntegration(prometheus);
			await integrations.putIntegration({ ...prometheus, boardId: 'other' });
			const group = {
				integrationId: 'int-1',
				groupHash: 'aa'.repeat(32),
				workPackageId: 'w',
				claimedAt: 1
			};
			await integrations.claimAlertGroup({ ...group, boardId: 'acme' });
			await integrations.claimAlertGroup({ ...group, boardId: 'other' });
			await integrations.deleteBoardIntegrations('acme');
			expect(await integrations.integration('acme', 'int-1')).toBeNull();
			expect(await integrations.alertGroup('acme', 'int-1', group.groupHash)).toBeNull();
			expect(await integrations.integration('other', 'int-1')).not.toBeNull();
			expect(await integrations.alertGroup('other', 'int-1', group.groupHash)).not.toBeNull();
		});
	});
}

integrationContract('MemoryIntegrationStore', async () => ({
	integrations: new MemoryIntegrationStore(),
	dispose: async () => {}
}));

integrationContract('SqliteIntegrationStore', async () => {
	const dir = await temporaryDir();
	const store = SqliteStore.open(dir);
	return {
		integrations: store.integrations(),
		dispose: async () => {
			await store.close();
			await rm(dir, { recursive: true, force: true });
		}
	};
});

integrationContract('PostgresIntegrationStore', async () => {
	const database = await createTestDatabase();
	const store = await PostgresStore.open(database.url);
	return {
		integrations: store.integrations(),
		dispose: async () => {
			await store.close();
			await database.drop();
		}
	};
});

describe('SqliteStore on disk', () => {
	let dir: string;
	const opened: SqliteStore[] = [];
	const open = (options?: Parameters<typeof SqliteStore.open>[1]): SqliteStore => {
		const store = SqliteStore.open(dir, options);
		opened.push(store);
		return store;
	};

	beforeEach(async () => {
		dir = await temporaryDir();
	});
	afterEach(async () => {
		for (const store of opened.splice(0)) await store.close();
		await rm(dir, { recursive: true, force: true });
	});

	test('[S20] creates <dir>/scrumops.db in WAL mode with a recorded schema version', async () => {
		const store = open();
		expect(store.file).toBe(join(dir, SQLITE_FILE_NAME));
		const db = new Database(store.file, { readonly: true });
		try {
			expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
			expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
		} finally {
			db.close();
		}
	});

	test('[S26] the write-ahead log is folded into the database off the main thread, and emptied on close', async () => {
		const store = open();
		const payload = new Uint8Array(4096).fill(7);
		await Promise.all(range(1, 200).map(() => store.append('board/wal', payload)));
		const sizeOf = async (file: string) => (await stat(file).catch(() => ({ size: 0 }))).size;
		// The main connection never checkpoints (wal_autocheckpoint = 0): only the worker can
		// have copied ~800 KiB of pages into the database file.
		await expect
			.poll(() => sizeOf(store.file), { timeout: 5_000, interval: 50 })
			.toBeGreaterThan(800 * 1024);
		expect(await store.health()).toEqual({ ok: true, kind: 'sqlite' });
		await store.close();
		expect(await sizeOf(`${store.file}-wal`)).toBe(0);
	});

	test('[S21] documents, snapshots and seqs survive close and reopen', async () => {
		const { doc, updates } = editedDoc(25);
		const first = open();
		for (const update of updates.slice(0, 20)) await first.append('board/keep', update);
		const snapshot = Y.encodeStateAsUpdate(replay(updates.slice(0, 12)));
		await first.compact('board/keep', snapshot, 12);
		const queued = updates.slice(20).map((update) => first.append('board/keep', update));
		await first.close();
		expect(await Promise.all(queued)).toEqual(range(21, 25));

		const second = open();
		const loaded = await second.load('board/keep');
		expect(loaded.lastSeq).toBe(25);
		expect(loaded.updates).toEqual([snapshot, ...updates.slice(12)]);
		expectSameState(replay(loaded.updates), doc);
		expect(await second.append('board/keep', new Uint8Array([0, 0]))).toBe(26);
		expect(await second.list('')).toEqual(['board/keep']);
	});

	test('[S22] a second store on the same directory sees committed data and shares the seqs', async () => {
		const a = open();
		const b = open();
		expect(await a.append('shared', new Uint8Array([1]))).toBe(1);
		expect(await b.load('shared')).toEqual({ updates: [new Uint8Array([1])], lastSeq: 1 });
		// Both write the same document: each transaction reads the newest seq under the lock.
		const seqs = await Promise.all([
			a.append('shared', new Uint8Array([2])),
			b.append('shared', new Uint8Array([3])),
			a.append('shared', new Uint8Array([4]))
		]);
		expect([...seqs].sort()).toEqual([2, 3, 4]);
		expect((await a.load('shared')).lastSeq).toBe(4);
		expect(await b.list('')).toEqual(['shared']);
	});

	test('[S23] a database written by a newer schema version is refused, not guessed at', async () => {
		open();
		await opened.pop()!.close();
		const db = new Database(join(dir, SQLITE_FILE_NAME));
		db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
		db.close();
		expect(() => open()).toThrow(
			new RegExp(
				`schema version ${SQLITE_SCHEMA_VERSION + 1}, newer than this server understands \\(${SQLITE_SCHEMA_VERSION}\\)`
			)
		);
	});

	/** The tables of a version 1 file, as that version created them. */
	const OLD_SCHEMA_V1 = `
			CREATE TABLE documents (name TEXT PRIMARY KEY NOT NULL, snapshot BLOB, snapshot_seq INTEGER NOT NULL DEFAULT 0) STRICT;
			CREATE TABLE updates (name TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (name, seq)) STRICT, WITHOUT ROWID;`;

	test('[S29] a version 1 database gains the membership and audit tables and keeps its documents', async () => {
		const file = join(dir, SQLITE_FILE_NAME);
		const db = new Database(file);
		db.exec(`${OLD_SCHEMA_V1}
			INSERT INTO documents (name) VALUES ('old');
			INSERT INTO updates (name, seq, data) VALUES ('old', 1, x'0102');
		`);
		db.pragma('user_version = 1');
		db.close();
		const store = open();
		expect(await store.load('old')).toEqual({ updates: [new Uint8Array([1, 2])], lastSeq: 1 });
		expect(await store.append('old', new Uint8Array([3]), 'ada')).toBe(2);
		expect((await store.audit('old', 10)).map((entry) => entry.author)).toEqual(['ada']);
		expect(await store.members().createBoard({ id: 'b', name: 'B', createdAt: 1 })).toBe(true);
	});

	test('[S31] a version 2 database gains the invites table and keeps its members', async () => {
		const file = join(dir, SQLITE_FILE_NAME);
		const db = new Database(file);
		db.exec(`${OLD_SCHEMA_V1}
			CREATE TABLE boards (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;
			CREATE TABLE members (board TEXT NOT NULL, person TEXT NOT NULL, name TEXT NOT NULL, teams TEXT NOT NULL, roles TEXT NOT NULL, admin INTEGER NOT NULL, joined_at INTEGER NOT NULL, removed_at INTEGER, PRIMARY KEY (board, person)) STRICT, WITHOUT ROWID;
			CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, document TEXT NOT NULL, seq INTEGER NOT NULL, author TEXT NOT NULL, bytes INTEGER NOT NULL) STRICT;
			INSERT INTO boards VALUES ('b', 'B', 1);
			INSERT INTO members VALUES ('b', 'ada', 'Ada', '[]', '["scrum-master"]', 1, 1, NULL);
		`);
		db.pragma('user_version = 2');
		db.close();
		const members = open().members();
		expect((await members.member('b', 'ada'))?.name).toBe('Ada');
		await members.putInvite({
			boardId: 'b',
			id: 'i',
			teamId: null,
			role: 'stakeholder',
			createdBy: 'ada',
			createdAt: 1,
			expiresAt: 2
		});
		expect((await members.invite('b', 'i'))?.role).toBe('stakeholder');
	});

	test('[S36] a version 4 database keeps its boards, which are not sandboxes and were last active when created', async () => {
		const file = join(dir, SQLITE_FILE_NAME);
		let db = new Database(file);
		db.exec(`${OLD_SCHEMA_V1}
			CREATE TABLE boards (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;
			CREATE TABLE members (board TEXT NOT NULL, person TEXT NOT NULL, name TEXT NOT NULL, teams TEXT NOT NULL, roles TEXT NOT NULL, admin INTEGER NOT NULL, joined_at INTEGER NOT NULL, removed_at INTEGER, PRIMARY KEY (board, person)) STRICT, WITHOUT ROWID;
			CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, document TEXT NOT NULL, seq INTEGER NOT NULL, author TEXT NOT NULL, bytes INTEGER NOT NULL, intent TEXT) STRICT;
			CREATE INDEX audit_by_document ON audit (document, id);
			CREATE TABLE invites (board TEXT NOT NULL, id TEXT NOT NULL, team TEXT, role TEXT NOT NULL, created_by TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER, PRIMARY KEY (board, id)) STRICT, WITHOUT ROWID;
			INSERT INTO boards VALUES ('b', 'B', 7);
		`);
		db.pragma('user_version = 4');
		db.close();
		const store = open();
		expect(await store.members().board('b')).toEqual({
			id: 'b',
			name: 'B',
			createdAt: 7,
			sandbox: false,
			lastActiveAt: 7
		});
		expect(await store.members().idleSandboxes(1000, 10)).toEqual([]);
		await store.close();
		db = new Database(file);
		expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
		db.close();
	});

	test('[S41] a version 6 database gains the alert intake and webhook tables and keeps its boards', async () => {
		const file = join(dir, SQLITE_FILE_NAME);
		const before = open();
		await before.members().createBoard({ id: 'b', name: 'B', createdAt: 7 });
		await before.close();
		let db = new Database(file);
		db.exec(
			'DROP TABLE integrations; DROP TABLE alert_groups; DROP TABLE webhook_deliveries; DROP TABLE webhooks;'
		);
		db.pragma('user_version = 6');
		db.close();
		const store = open();
		expect((await store.members().board('b'))?.name).toBe('B');
		const group = { boardId: 'b', integrationId: 'i', groupHash: 'ab', claimedAt: 1 };
		expect(
			(await store.integrations().claimAlertGroup({ ...group, workPackageId: 'wp' })).workPackageId
		).toBe('wp');
		expect(await store.webhooks().webhooks('b')).toEqual([]);
		await store.close();
		db = new Database(file);
		expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
		expect(SQLITE_SCHEMA_VERSION).toBe(8);
		db.close();
	});

	test('[S33] a version 3 database gains the audit intent column and keeps its audit entries', async () => {
		const file = join(dir, SQLITE_FILE_NAME);
		const db = new Database(file);
		db.exec(`${OLD_SCHEMA_V1}
			CREATE TABLE boards (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;
			CREATE TABLE members (board TEXT NOT NULL, person TEXT NOT NULL, name TEXT NOT NULL, teams TEXT NOT NULL, roles TEXT NOT NULL, admin INTEGER NOT NULL, joined_at INTEGER NOT NULL, removed_at INTEGER, PRIMARY KEY (board, person)) STRICT, WITHOUT ROWID;
			CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, document TEXT NOT NULL, seq INTEGER NOT NULL, author TEXT NOT NULL, bytes INTEGER NOT NULL) STRICT;
			CREATE INDEX audit_by_document ON audit (document, id);
			CREATE TABLE invites (board TEXT NOT NULL, id TEXT NOT NULL, team TEXT, role TEXT NOT NULL, created_by TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER, PRIMARY KEY (board, id)) STRICT, WITHOUT ROWID;
			INSERT INTO documents (name) VALUES ('old');
			INSERT INTO updates (name, seq, data) VALUES ('old', 1, x'0102');
			INSERT INTO audit (at, document, seq, author, bytes) VALUES (1, 'old', 1, 'ada', 2);
		`);
		db.pragma('user_version = 3');
		db.close();
		const store = open();
		expect(await store.append('old', new Uint8Array([3]), 'ada', 'repairBoard')).toBe(2);
		expect(
			(await store.audit('old', 10)).map(({ seq, author, intent }) => ({ seq, author, intent }))
		).toEqual([
			{ seq: 2, author: 'ada', intent: 'repairBoard' },
			{ seq: 1, author: 'ada', intent: null }
		]);
	});

	test('[S24] appends that cannot get the lock reject, say why, and none is stored', async () => {
		const store = open({ busyTimeoutMs: 50 });
		expect(await store.append('locked', new Uint8Array([1]))).toBe(1);
		const other = new Database(store.file);
		try {
			other.exec('BEGIN IMMEDIATE');
			const results = await Promise.allSettled([
				store.append('locked', new Uint8Array([2])),
				store.append('locked', new Uint8Array([3]))
			]);
			for (const result of results) {
				expect(result.status).toBe('rejected');
				const reason = (result as PromiseRejectedResult).reason as Error;
				expect(reason.message).toMatch(
					/Saving 2 update\(s\) to "locked" \(none of them was saved\)/
				);
				expect(reason.message).toMatch(/database is locked \(SQLITE_BUSY\)/);
				expect(reason.message).toMatch(/held the database lock for over 50 ms/);
			}
			other.exec('ROLLBACK');
		} finally {
			other.close();
		}
		expect(await store.load('locked')).toEqual({ updates: [new Uint8Array([1])], lastSeq: 1 });
		expect(await store.append('locked', new Uint8Array([4]))).toBe(2);
	});

	test('[S30] close() finishes in a process with nothing else to wait for', async () => {
		const name = 'board/closed';
		const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, name, '40'], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const code = await new Promise<number | null>((done) => child.on('close', done));
		expect(code, `stderr: ${stderr}`).toBe(0);
		// A close() waiting on nothing that keeps the process alive lets it exit before `closed`.
		expect(stdout.trimEnd().split('\n').at(-1)).toBe('closed');
		// close() ran to its end: the write-ahead log was folded into the file, and SQLite removes
		// it when the last connection closes.
		const wal = await stat(`${join(dir, SQLITE_FILE_NAME)}-wal`).catch(() => null);
		expect(wal?.size ?? 0).toBe(0);
		const loaded = await open().load(name);
		expect(loaded.lastSeq).toBeGreaterThanOrEqual(40);
		expect(replay(loaded.updates).getArray('log').toJSON()).toEqual(range(0, loaded.lastSeq - 1));
	}, 30_000);

	test('[S25] every acknowledged append survives the writer being killed with SIGKILL', async () => {
		const name = 'board/killed';
		const acks = new Map<number, Uint8Array>();
		const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, name], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stderr = '';
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const unexpected: string[] = [];
		let partial = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			const lines = (partial + chunk).split('\n');
			partial = lines.pop()!;
			for (const line of lines) {
				const match = /^ack (\d+) ([A-Za-z0-9+/=]+)$/.exec(line);
				if (match) acks.set(Number(match[1]), new Uint8Array(Buffer.from(match[2]!, 'base64')));
				else unexpected.push(line);
			}
			if (acks.size >= 400 && !child.killed) child.kill('SIGKILL');
		});
		const signal = await new Promise<NodeJS.Signals | null>((done) =>
			child.on('close', (_code, signal) => done(signal))
		);
		expect(signal, `writer stopped on its own; stderr: ${stderr}`).toBe('SIGKILL');
		expect(unexpected).toEqual([]);
		expect(acks.size).toBeGreaterThanOrEqual(400);

		const store = open();
		const loaded = await store.load(name);
		const acked = [...acks.keys()];
		expect(loaded.lastSeq).toBeGreaterThanOrEqual(Math.max(...acked));
		expect(loaded.updates).toHaveLength(loaded.lastSeq);
		for (const [seq, update] of acks) expect(loaded.updates[seq - 1], `seq ${seq}`).toEqual(update);
		// The writer pushed 0, 1, 2… one per update: the log is complete, with no gap or repeat.
		expect(replay(loaded.updates).getArray('log').toJSON()).toEqual(range(0, loaded.lastSeq - 1));

		const db = new Database(store.file, { readonly: true });
		try {
			expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
		} finally {
			db.close();
		}
	}, 30_000);
});
