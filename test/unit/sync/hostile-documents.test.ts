/**
 * Whatever another client wrote into a board's documents, the readers never throw: random hostile
 * writes (Yjs types where plain values belong and the reverse, values nested too deep, structures
 * thousands of levels deep, texts and keys past the limits, binary data, unknown roots and fields,
 * entities replaced by anything) land anywhere on a seeded board, and the projection, the rule
 * engine (`validate`), the standup reader and the repair all keep working. Properties run with
 * fast-check: a failure shrinks to the smallest write that breaks a reader.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import * as Y from 'yjs';
import { validate } from '../../../src/lib/domain/validation/engine';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import {
	BOARD_COLLECTIONS,
	FIELD_KINDS,
	type TransactionOrigin
} from '../../../src/lib/sync/layout';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { DEFAULT_SHAPE_LIMITS, rootKeys } from '../../../src/lib/sync/shape/contract';
import { inspectDocument, repairDocument } from '../../../src/lib/sync/shape/inspect';
import { nestDeep } from '../../helpers/deep-nesting';
import { fixedContext } from '../../helpers/op-context';

const NOW = Date.parse('2026-11-24T10:00:00.000Z');
const REPAIR: TransactionOrigin = { kind: 'server-repair', actorId: null, intent: 'repairBoard' };
const TEXT_LIMIT = DEFAULT_SHAPE_LIMITS.maxTextLength;

/** A value a hostile client could store, described, so each run builds fresh Yjs types. */
type Hostile =
	| { kind: 'json'; value: unknown }
	| { kind: 'long-text'; length: number }
	| { kind: 'binary' }
	| { kind: 'y-text'; text: string }
	| { kind: 'deep'; depth: number }
	| { kind: 'y-map'; entries: [string, Hostile][] }
	| { kind: 'y-array'; items: Hostile[] };

/** Where it is written. */
type Target =
	| { at: 'root'; document: 'board' | 'team'; root: string; key: string }
	| { at: 'field'; entity: number; field: string }
	| { at: 'entity'; collection: number; id: string }
	| { at: 'nested'; entity: number; field: number; key: string | null }
	| { at: 'standup'; field: string };

const FIELDS = [
	...new Set(['id', 'title', 'name', 'rank', 'teamId', 'status', ...allFieldNames()])
];
const key = fc.oneof(
	fc.constantFrom(...FIELDS, '__proto__', 'constructor', 'web', 'ops'),
	fc.string({ maxLength: 8 }),
	fc.constant('k'.repeat(300))
);

const leaf: fc.Arbitrary<Hostile> = fc.oneof(
	fc.record({ kind: fc.constant('json'), value: fc.jsonValue({ maxDepth: 6 }) }),
	fc.record({
		kind: fc.constant('json'),
		value: fc.oneof(fc.double(), fc.bigInt(), fc.constant(undefined), fc.constantFrom(...FIELDS))
	}),
	fc.record({
		kind: fc.constant('long-text'),
		length: fc.integer({ min: TEXT_LIMIT - 2, max: TEXT_LIMIT + 2 })
	}),
	fc.constant<Hostile>({ kind: 'binary' }),
	fc.record({ kind: fc.constant('y-text'), text: fc.string({ maxLength: 8 }) }),
	fc.record({
		kind: fc.constant('deep'),
		// A few levels, or past what Yjs reads, deletes or garbage-collects without recursing.
		depth: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 5_000, max: 6_000 }))
	})
) as fc.Arbitrary<Hostile>;

const { hostile } = fc.letrec<{ hostile: Hostile }>((tie) => ({
	hostile: fc.oneof(
		{ depthSize: 'small', withCrossShrink: true },
		leaf,
		fc.record({
			kind: fc.constant('y-map' as const),
			entries: fc.uniqueArray(fc.tuple(key, tie('hostile')), {
				maxLength: 3,
				selector: ([entry]) => entry
			})
		}),
		fc.record({
			kind: fc.constant('y-array' as const),
			items: fc.array(tie('hostile'), { maxLength: 3 })
		})
	)
}));

const target: fc.Arbitrary<Target> = fc.oneof(
	{
		arbitrary: fc.record({
			at: fc.constant('root' as const),
			document: fc.constantFrom('board' as const, 'team' as const),
			root: fc.constantFrom(...rootKeys('board'), ...rootKeys('team'), 'junk'),
			key
		}),
		weight: 1
	},
	{
		arbitrary: fc.record({ at: fc.constant('field' as const), entity: fc.nat(), field: key }),
		weight: 2
	},
	{
		arbitrary: fc.record({
			at: fc.constant('entity' as const),
			collection: fc.nat(),
			id: fc.oneof(fc.constant('new-entity'), key)
		}),
		weight: 1
	},
	{
		// Inside an entity's set, record, list or mapList: where the contract has the most levels.
		arbitrary: fc.record({
			at: fc.constant('nested' as const),
			entity: fc.nat(),
			field: fc.nat(),
			key: fc.option(key, { nil: null })
		}),
		weight: 4
	},
	{ arbitrary: fc.record({ at: fc.constant('standup' as const), field: key }), weight: 1 }
);

const writes = fc.array(fc.tuple(target, hostile), { minLength: 1, maxLength: 4 });

function allFieldNames(): string[] {
	return Object.values(FIELD_KINDS).flatMap((kinds) => Object.keys(kinds));
}

interface Board {
	docs: BoardDocs;
	/** Every stored entity: its collection map and id. */
	entities: { map: Y.Map<unknown>; collection: string; id: string }[];
	teamId: string;
}

function seeded(): Board {
	const docs = new BoardDocs('demo');
	const ids = seedDemoBoard(docs, fixedContext('d'), '2026-11-23');
	const ctx = fixedContext('h');
	op.addTask(docs, ctx, ids.teams.web, { title: 'Wire the payment form' });
	op.startStandup(docs, ctx, ids.teams.web, {
		facilitatorId: [...docs.collection('people').keys()][0]!,
		speakerIds: [],
		incidentsFirst: true
	});
	return boardOf(docs, ids.teams.web);
}

/** A replica of `board` that receives its documents as updates, as a client does. */
function replicaOf(board: Board): Board {
	const docs = new BoardDocs('demo');
	Y.applyUpdate(docs.board, Y.encodeStateAsUpdate(board.docs.board));
	Y.applyUpdate(docs.team(board.teamId), Y.encodeStateAsUpdate(board.docs.team(board.teamId)));
	return boardOf(docs, board.teamId);
}

/** Sends `from`'s changes that `to` lacks, as a relay would. */
function sync(from: Board, to: Board): void {
	for (const [source, target] of [
		[from.docs.board, to.docs.board],
		[from.docs.team(from.teamId), to.docs.team(to.teamId)]
	] as const) {
		Y.applyUpdate(target, Y.encodeStateAsUpdate(source, Y.encodeStateVector(target)));
	}
}

function boardOf(docs: BoardDocs, teamId: string): Board {
	const entities: Board['entities'] = [];
	for (const collection of BOARD_COLLECTIONS) {
		for (const id of docs.collection(collection).keys()) {
			entities.push({ map: docs.collection(collection) as Y.Map<unknown>, collection, id });
		}
	}
	const tasks = docs.teamCollection(teamId, 'tasks') as Y.Map<unknown>;
	for (const id of tasks.keys()) entities.push({ map: tasks, collection: 'tasks', id });
	return { docs, entities, teamId };
}

/**
 * A hostile client's writes, made in its own replica and sent to `board` as one update. Writes
 * its own Yjs cannot make (replacing a structure thousands of levels deep makes Yjs recurse) are
 * not a document anyone receives: such a run is discarded.
 */
function attack(board: Board, list: [Target, Hostile][]): void {
	const attacker = replicaOf(board);
	try {
		for (const w of list) write(attacker, w);
	} catch {
		fc.pre(false);
	}
	sync(attacker, board);
}

/**
 * Puts `value` into `parent` under `key` (a map) or at the end (a list). Yjs's list API refuses
 * undefined and bigints (its map API takes them): those are left out of lists.
 */
function put(parent: Y.AbstractType<never>, key: string | null, value: unknown): void {
	if (parent instanceof Y.Array) {
		if (value !== undefined && typeof value !== 'bigint') parent.push([value]);
	} else if (parent instanceof Y.Map) {
		parent.set(key ?? 'item', value);
	}
}

/**
 * Builds `h` into `parent`, one level at a time: each new type is integrated before anything is
 * put into it (Yjs integrates nested prelim types recursively).
 */
function build(parent: Y.AbstractType<never>, key: string | null, h: Hostile): void {
	switch (h.kind) {
		case 'json':
			return put(parent, key, h.value);
		case 'long-text':
			return put(parent, key, 'x'.repeat(h.length));
		case 'binary':
			return put(parent, key, new Uint8Array([1, 2, 3]));
		case 'y-text':
			return put(parent, key, new Y.Text(h.text));
		case 'deep': {
			const top = new Y.Map<unknown>();
			put(parent, key, top);
			return nestDeep(top, 'd', h.depth);
		}
		case 'y-map': {
			const map = new Y.Map<unknown>();
			put(parent, key, map);
			for (const [child, value] of h.entries) build(map as never, child, value);
			return;
		}
		case 'y-array': {
			const array = new Y.Array<unknown>();
			put(parent, key, array);
			for (const value of h.items) build(array as never, null, value);
		}
	}
}

function write(board: Board, [where, h]: [Target, Hostile]): void {
	const { docs, entities } = board;
	const pick = <T>(list: readonly T[], n: number) => list[n % list.length]!;
	switch (where.at) {
		case 'root': {
			const doc = where.document === 'board' ? docs.board : docs.team(board.teamId);
			return doc.transact(() => build(doc.getMap(where.root) as never, where.key, h));
		}
		case 'field': {
			const { map, id } = pick(entities, where.entity);
			const entity = map.get(id);
			if (entity instanceof Y.Map) build(entity as never, where.field, h);
			return;
		}
		case 'entity': {
			const { map } = pick(entities, where.collection);
			return build(map as never, where.id, h);
		}
		case 'nested': {
			const { map, id, collection } = pick(entities, where.entity);
			const entity = map.get(id);
			const nested = Object.keys(FIELD_KINDS[collection as keyof typeof FIELD_KINDS]);
			if (!(entity instanceof Y.Map) || nested.length === 0) return;
			const type = entity.get(pick(nested, where.field));
			if (type instanceof Y.AbstractType) build(type as never, where.key, h);
			return;
		}
		case 'standup':
			return build(docs.team(board.teamId).getMap('standup') as never, where.field, h);
	}
}

/** Everything a screen or the server reads from a board; none of it may throw. */
function readEverything(docs: BoardDocs, projection: BoardProjection, teamId: string): void {
	for (const [key, reason] of projection.rejected) {
		expect(typeof key).toBe('string');
		// A reason of the contract or the schema: nothing got as far as failing unexpectedly.
		expect(reason, key).not.toMatch(/could not be read/);
	}
	projection.findings();
	validate(projection.state, NOW);
	op.readStandup(docs, teamId);
}

/** A reader that receives the documents as updates, through its observers. */
function readerOf(board: Board) {
	const docs = new BoardDocs('demo');
	const projection = new BoardProjection(docs, { now: NOW });
	sync(board, boardOf(docs, board.teamId));
	return { docs, projection };
}

describe('hostile documents', () => {
	test.prop([writes], { numRuns: 120 })(
		'the projection, validate and the standup reader never throw, wherever the writes land',
		(list) => {
			const board = seeded();
			// Already reading while the writes arrive (observers), and reading them afterwards.
			const before = new BoardProjection(board.docs, { now: NOW });
			attack(board, list);
			readEverything(board.docs, before, board.teamId);
			const after = new BoardProjection(board.docs, { now: NOW });
			readEverything(board.docs, after, board.teamId);
			expect([...after.rejected].sort()).toEqual([...before.rejected].sort());
			const reader = readerOf(board);
			readEverything(reader.docs, reader.projection, board.teamId);
		},
		60_000
	);

	test.prop([writes], { numRuns: 60 })(
		'the repair leaves nothing that breaks the contract, and what it leaves reloads and reads',
		(list) => {
			const board = seeded();
			attack(board, list);
			const team = board.docs.team(board.teamId);
			repairDocument(board.docs.board, 'board', DEFAULT_SHAPE_LIMITS, REPAIR);
			repairDocument(team, 'team', DEFAULT_SHAPE_LIMITS, REPAIR);
			expect(inspectDocument(board.docs.board, 'board')).toEqual([]);
			expect(inspectDocument(team, 'team')).toEqual([]);
			const reader = readerOf(board);
			expect(inspectDocument(reader.docs.board, 'board')).toEqual([]);
			readEverything(reader.docs, reader.projection, board.teamId);
		},
		60_000
	);
});
