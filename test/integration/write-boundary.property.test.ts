/**
 * Random hostile updates against a real server over real sockets. A hostile member (the official
 * y-websocket client, a valid member token) mixes wrong types at every level, unknown roots, deep
 * nesting, huge values and writes to what the server owns with valid edits of its own, while an
 * honest member edits too. Afterwards the server is healthy, nothing of a refused shape is stored
 * or reached anyone, every valid edit synced, the API answers with exactly the valid edits, and
 * all replicas, the hostile one included, hold the same board.
 */
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { FINDINGS_KEY } from '../../src/lib/sync/layout';
import { rootKeys } from '../../src/lib/sync/shape/contract';
import * as op from '../../src/lib/sync/operations';
import { BoardClient } from '../helpers/board-client';
import { assertContractShape, storedDoc } from '../helpers/contract-shape';
import { fixedContext } from '../helpers/op-context';
import { eventually, startTestServer, synced, type TestServer } from '../helpers/server';

const ROOTS = new Set(rootKeys('board'));

type Shape = 'plain' | 'map' | 'array' | 'text' | 'deepValue';
type Level = 'entity' | 'set' | 'record' | 'list' | 'plainField' | 'setMember';

type Step =
	| { kind: 'honest'; story: number; title: string }
	| { kind: 'malloryValid'; story: number; title: string }
	| { kind: 'unknownRoot'; root: string; shape: Shape }
	| { kind: 'wrongType'; story: number; level: Level; shape: Shape }
	| { kind: 'deep'; story: number; depth: number }
	| { kind: 'hugeText'; story: number; length: number }
	| { kind: 'tooManyItems'; story: number }
	| { kind: 'serverOwned'; key: string };

const title = fc
	.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,30}$/)
	.map((text) => text.trim())
	.filter((text) => text.length > 0);
const story = fc.integer({ min: 0, max: 1 });
const shape = fc.constantFrom<Shape>('plain', 'map', 'array', 'text', 'deepValue');

const step: fc.Arbitrary<Step> = fc.oneof(
	fc.record({ kind: fc.constant('honest' as const), story, title }),
	fc.record({ kind: fc.constant('malloryValid' as const), story, title }),
	fc.record({
		kind: fc.constant('unknownRoot' as const),
		root: fc.string({ minLength: 1, maxLength: 20 }).filter((root) => !ROOTS.has(root)),
		shape
	}),
	fc.record({
		kind: fc.constant('wrongType' as const),
		story,
		level: fc.constantFrom<Level>('entity', 'set', 'record', 'list', 'plainField', 'setMember'),
		shape
	}),
	fc.record({ kind: fc.constant('deep' as const), story, depth: fc.integer({ min: 2, max: 300 }) }),
	fc.record({
		kind: fc.constant('hugeText' as const),
		story,
		length: fc.integer({ min: 10_001, max: 40_000 })
	}),
	fc.record({ kind: fc.constant('tooManyItems' as const), story }),
	fc.record({ kind: fc.constant('serverOwned' as const), key: fc.string({ maxLength: 10 }) })
);

let server: TestServer;
let boards = 0;

beforeAll(async () => {
	server = await startTestServer();
});

afterAll(async () => {
	await server.close();
});

/** A value of the given shape; every shape but the one a level expects breaks the contract. */
function valueOf(shape: Shape): unknown {
	switch (shape) {
		case 'plain':
			return 'plain';
		case 'map':
			return new Y.Map([['x', 1]]);
		case 'array':
			return Y.Array.from([1, 2]);
		case 'text':
			return new Y.Text('text');
		case 'deepValue':
			return { a: { b: { c: { d: 'deep' } } } };
	}
}

/** Whether writing `shape` at `level` is what the contract prescribes there (then it is valid). */
function isValidWrite(level: Level, shape: Shape): boolean {
	switch (level) {
		case 'entity':
		case 'set':
		case 'record':
			return shape === 'map';
		case 'list':
			return shape === 'array';
		case 'plainField':
		case 'setMember':
			return shape === 'plain';
	}
}

/** Applies one hostile step to the hostile member's copy; false when it is in fact valid. */
function attack(doc: Y.Doc, ids: string[], s: Step): boolean {
	const stories = doc.getMap('stories');
	const storyOf = (index: number) => stories.get(ids[index]!) as Y.Map<unknown>;
	switch (s.kind) {
		case 'unknownRoot':
			if (s.shape === 'text') doc.getText(s.root).insert(0, 'hidden');
			else if (s.shape === 'array') doc.getArray(s.root).push([1]);
			else doc.getMap(s.root).set('k', valueOf(s.shape));
			return true;
		case 'wrongType': {
			if (isValidWrite(s.level, s.shape)) return false;
			const target = storyOf(s.story);
			const value = valueOf(s.shape);
			if (s.level === 'entity') stories.set('s-forged', value);
			else if (s.level === 'set') target.set('teamIds', value);
			else if (s.level === 'record') target.set('estimates', value);
			else if (s.level === 'list') doc.getMap('meta').set('operationalGoals', value);
			else if (s.level === 'plainField') target.set('duration', value);
			else (target.get('teamIds') as Y.Map<unknown>).set('forged-team', value);
			return true;
		}
		case 'deep': {
			let level = storyOf(s.story).get('estimates') as Y.Map<unknown>;
			for (let i = 0; i < s.depth; i++) level = level.set('x', new Y.Map<unknown>());
			return true;
		}
		case 'hugeText':
			storyOf(s.story).set('iWant', 'x'.repeat(s.length));
			return true;
		case 'tooManyItems':
			storyOf(s.story).set(
				'acceptanceCriteria',
				Y.Array.from(Array.from({ length: 2_001 }, (_, i) => `criterion ${i}`))
			);
			return true;
		case 'serverOwned':
			doc.getMap(FINDINGS_KEY).set(`forged${s.key}`, 'all clear');
			return true;
		default:
			return false;
	}
}

test.prop([fc.array(step, { minLength: 1, maxLength: 8 })], { numRuns: 30, seed: 2026 })(
	'random hostile updates never break the board, and every replica converges',
	async (steps) => {
		const boardId = `prop-${++boards}`;
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const refusals = () =>
			warn.mock.calls.filter((args) => String(args[0]).startsWith('Permission denied')).length;
		const closers: (() => void)[] = [];
		try {
			const honest = await BoardClient.open(server, boardId);
			closers.push(() => honest.destroy());
			await honest.synced();
			const ctx = fixedContext('ada');
			op.createBoard(honest.docs, ctx, { name: 'Property' });
			const team = op.createTeam(honest.docs, ctx, { name: 'Web', velocity: 30 });
			const ids = ['First', 'Second'].map(
				(name) => op.createStory(honest.docs, ctx, { title: name, teamIds: [team.id] }).id
			);
			const titles = ['First', 'Second'];
			await honest.synced();

			const connect = async (personId: string): Promise<WebsocketProvider> => {
				const provider = await server.connect(boardId, {
					as: { personId, name: personId, roles: ['team-member'], admin: false }
				});
				closers.push(() => provider.destroy());
				await synced(provider);
				return provider;
			};
			const mallory = await connect('mallory');
			const watcher = await connect('walt');
			const titleOn = (doc: Y.Doc, index: number) =>
				(doc.getMap('stories').get(ids[index]!) as Y.Map<unknown> | undefined)?.get('title');
			await eventually(() => titleOn(mallory.doc, 1) === 'Second', { what: 'mallory synced' });

			for (const s of steps) {
				if (s.kind === 'honest') {
					op.editStory(honest.docs, ctx, ids[s.story]!, { title: s.title });
					titles[s.story] = s.title;
				} else if (s.kind === 'malloryValid') {
					(mallory.doc.getMap('stories').get(ids[s.story]!) as Y.Map<unknown>).set(
						'title',
						s.title
					);
					titles[s.story] = s.title;
				} else {
					const before = refusals();
					if (!attack(mallory.doc, ids, s)) continue;
					await eventually(() => refusals() > before, { what: `refusal of ${s.kind}` });
					continue;
				}
				await eventually(() => titleOn(watcher.doc, s.story) === titles[s.story], {
					what: `${s.kind} edit reaches the watcher`
				});
			}

			// Everyone converges on the same board, which holds exactly the valid edits.
			await eventually(() => titles.every((t, i) => titleOn(mallory.doc, i) === t), {
				what: 'the hostile replica converges'
			});
			await eventually(() => sameBoard(mallory.doc, watcher.doc), { what: 'same board' });
			await eventually(() => sameBoard(honest.docs.board, watcher.doc), { what: 'same board' });
			assertContractShape(watcher.doc, 'board');
			await eventually(
				() => {
					assertContractShape(mallory.doc, 'board');
					return true;
				},
				{ what: 'the hostile replica drops what was refused (after a reconnect if it was closed)' }
			);
			await server.server.registry.get(boardId)?.flush();
			assertContractShape(await storedDoc(server.store, boardId), 'board');

			const health = await fetch(`${server.httpUrl}/healthz`);
			expect(health.status).toBe(200);
			const auth = { authorization: `Bearer ${await server.token(boardId)}` };
			const findings = await fetch(`${server.httpUrl}/api/boards/${boardId}/findings`, {
				headers: auth
			});
			expect(findings.status).toBe(200);
			const backlog = (await (
				await fetch(`${server.httpUrl}/api/boards/${boardId}/backlog`, { headers: auth })
			).json()) as { stories: { id: string; title: string }[] };
			expect(new Map(backlog.stories.map((s) => [s.id, s.title]))).toEqual(
				new Map(ids.map((id, i) => [id, titles[i]]))
			);
			// The browser's projection of the watcher's copy reads the same two valid stories.
			const projected = [...honest.projection.state.stories.values()].map((s) => s.title).sort();
			expect(projected).toEqual([...titles].sort());
		} finally {
			for (const close of closers) close();
			warn.mockRestore();
		}
	},
	60_000
);

/** The contract's roots of two replicas hold the same values (findings aside: the server's). */
function sameBoard(a: Y.Doc, b: Y.Doc): boolean {
	const read = (doc: Y.Doc) =>
		JSON.stringify(
			[...ROOTS]
				.filter((root) => root !== FINDINGS_KEY)
				.map((root) => [root, sortKeys(doc.getMap(root).toJSON())])
		);
	return read(a) === read(b);
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value as Record<string, unknown>)
			.sort(([x], [y]) => (x < y ? -1 : 1))
			.map(([k, v]) => [k, sortKeys(v)])
	);
}
