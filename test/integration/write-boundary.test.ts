/**
 * The write boundary, tried as a hostile member would: with the official y-websocket client and
 * a valid member token, every update that breaks the document contract is refused whole, its
 * sender is told why, nothing of it is stored or reaches anyone, and the sender's later edits
 * still sync. Real server, real sockets, real SQLite.
 */
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import { documentName, FINDINGS_KEY } from '../../src/lib/sync/layout';
import * as op from '../../src/lib/sync/operations';
import { currentText, typeText } from '../../src/lib/sync/shared-text';
import { BoardClient } from '../helpers/board-client';
import { fixedContext } from '../helpers/op-context';
import { RawClient } from '../helpers/raw-client';
import { eventually, startTestServer, synced, type As, type TestServer } from '../helpers/server';
import { assertContractShape, storedDoc } from '../helpers/contract-shape';

let server: TestServer;
const closers: (() => void)[] = [];
const MALLORY: As = { personId: 'mallory', name: 'Mallory', roles: ['team-member'], admin: false };

beforeEach(async () => {
	server = await startTestServer();
});

afterEach(async () => {
	for (const close of closers.splice(0)) close();
	vi.restoreAllMocks();
	await server.close();
});

interface Acme {
	boardId: string;
	admin: BoardClient;
	teamId: string;
	storyId: string;
}

async function acme(boardId = 'acme'): Promise<Acme> {
	const admin = await BoardClient.open(server, boardId);
	closers.push(() => admin.destroy());
	await admin.synced();
	const ctx = fixedContext('ada');
	op.createBoard(admin.docs, ctx, { name: 'Acme' });
	const team = op.createTeam(admin.docs, ctx, { name: 'Web', velocity: 30 });
	const story = op.createStory(admin.docs, ctx, { title: 'Checkout', teamIds: [team.id] });
	op.createStory(admin.docs, ctx, { title: 'Search', teamIds: [team.id] });
	op.editStory(admin.docs, ctx, story.id, { estimates: { [team.id]: 8 } });
	await admin.synced();
	await eventually(async () => (await backlog(boardId)).total === 2, { what: 'board stored' });
	return { boardId, admin, teamId: team.id, storyId: story.id };
}

async function member(name: string, as: As = MALLORY): Promise<WebsocketProvider> {
	const provider = await server.connect(name, { as });
	closers.push(() => provider.destroy());
	await synced(provider);
	return provider;
}

async function api<T>(path: string): Promise<{ status: number; body: T }> {
	const boardId = path.split('/')[3]!;
	const response = await fetch(`${server.httpUrl}${path}`, {
		headers: { authorization: `Bearer ${await server.token(boardId)}` }
	});
	return { status: response.status, body: (await response.json()) as T };
}

async function backlog(boardId: string): Promise<{ total: number; stories: { title: string }[] }> {
	const { status, body } = await api<{ total: number; stories: { title: string }[] }>(
		`/api/boards/${boardId}/backlog`
	);
	expect(status).toBe(200);
	return body;
}

/** Permission-denied reasons the official client reported (it warns on the console). */
function deniedReasons(): () => string[] {
	const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
	return () =>
		warn.mock.calls
			.map((args) => String(args[0]))
			.filter((line) => line.startsWith('Permission denied'))
			.map((line) => line.split('\n').slice(1).join('\n'));
}

/** An update frame (sync message type 2) holding `update`. */
function updateFrame(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarUint(encoder, 2);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** What a change made on a copy of `source` adds to it, as one update. */
function changeOf(source: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(source));
	const before = Y.encodeStateVector(copy);
	change(copy);
	return Y.encodeStateAsUpdate(copy, before);
}

async function metric(name: string, labels: string): Promise<number> {
	const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
	const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
	return line ? Number(line.split(' ').pop()) : 0;
}

/** The story's Y.Map in a board document. */
function storyMap(doc: Y.Doc, id: string): Y.Map<unknown> {
	return doc.getMap('stories').get(id) as Y.Map<unknown>;
}

describe('the relay enforces the document contract', () => {
	test("[D3] Y.Maps nested 5,000 deep in a story's estimates are refused; the board keeps working", async () => {
		const { boardId, admin, storyId, teamId } = await acme();
		const poison = changeOf(admin.docs.board, (doc) => {
			let level = storyMap(doc, storyId).get('estimates') as Y.Map<unknown>;
			for (let i = 0; i < 5_000; i++) level = level.set('x', new Y.Map<unknown>());
		});
		const mallory = await RawClient.open(await server.url(boardId, MALLORY));
		closers.push(() => mallory.terminate());
		mallory.send(updateFrame(poison));
		await eventually(() => mallory.permissionDenied().length === 1, { what: 'refusal' });
		expect(mallory.permissionDenied()[0]).toBe(
			`stories/${storyId}/estimates: nested deeper than the contract allows`
		);

		// Everyone else goes on: the API answers, and an edit still reaches a newcomer.
		expect((await backlog(boardId)).total).toBe(2);
		const findings = await api<unknown[]>(`/api/boards/${boardId}/findings`);
		expect(findings.status).toBe(200);
		op.editStory(admin.docs, fixedContext('ada'), storyId, { title: 'Checkout v2' });
		const newcomer = await member(boardId, { personId: 'nina' });
		await eventually(() => storyMap(newcomer.doc, storyId).get('title') === 'Checkout v2');
		expect((storyMap(newcomer.doc, storyId).get('estimates') as Y.Map<unknown>).toJSON()).toEqual({
			[teamId]: 8
		});
		assertContractShape(newcomer.doc, 'board');
		assertContractShape(await storedDoc(server.store, boardId), 'board');
		expect(await metric('scrumops_updates_refused_total', 'reason="depth"')).toBe(1);
		// Thousands of levels to build, send, check and refuse: time enough on a busy machine.
	}, 30_000);

	test('[D2] a member cannot write or erase what the server owns', async () => {
		const { boardId, admin, teamId } = await acme();
		const denied = deniedReasons();
		const mallory = await member(boardId);
		// A guarded change by someone without the role is recorded by the server (A1).
		op.updateTeam(admin.docs, fixedContext('ada'), teamId, { velocity: 40 });
		await eventually(() => mallory.doc.getMap('authorship').has(`teams/${teamId}/velocity`), {
			what: 'recorded'
		});
		const records = mallory.doc.getMap('authorship').size;

		mallory.doc.getMap(FINDINGS_KEY).set('forged', 'all clear');
		await eventually(() => denied().length === 1, { what: 'first refusal' });
		expect(denied()[0]).toBe('findings/forged: written by the server only');
		await eventually(() => !mallory.doc.getMap(FINDINGS_KEY).has('forged'), {
			what: "the sender's copy drops it"
		});

		mallory.doc.getMap('authorship').clear();
		await eventually(() => denied().length === 2, { what: 'second refusal' });
		expect(denied()[1]).toBe('authorship: written by the server only');
		await eventually(() => mallory.doc.getMap('authorship').size === records, { what: 'restored' });

		const watcher = await member(boardId, { personId: 'walt' });
		expect(watcher.doc.getMap(FINDINGS_KEY).has('forged')).toBe(false);
		expect(watcher.doc.getMap('authorship').size).toBe(records);
		const stored = await storedDoc(server.store, boardId);
		expect(stored.getMap(FINDINGS_KEY).has('forged')).toBe(false);
		expect(stored.getMap('authorship').size).toBe(records);
		expect(await metric('scrumops_updates_refused_total', 'reason="server-owned"')).toBe(2);
	});

	test("[D14] the board's settings are its admin's: anyone else's change is refused whole", async () => {
		const { boardId, admin } = await acme();
		const denied = deniedReasons();
		const mallory = await member(boardId);
		const malloryDocs = new BoardDocs(boardId, mallory.doc);
		const refusal =
			"only the board's admin changes the board's settings; ask them, or propose the change to them";

		// The app's own operation, as a member who is not the admin would run it.
		op.updateBoard(malloryDocs, fixedContext('mallory'), {
			name: 'Mallory Inc',
			targetOpsPercent: 5
		});
		await eventually(() => denied().length === 1, { what: 'refusal' });
		expect(denied()[0]).toMatch(/^meta\/(name|targetOpsPercent): /);
		expect(denied()[0]).toContain(refusal);
		await eventually(() => malloryDocs.meta().get('name') === 'Acme', {
			what: "the sender's copy goes back"
		});
		expect(malloryDocs.meta().get('targetOpsPercent')).toBe(30);

		// Erasing a setting is a change too.
		malloryDocs.meta().delete('vision');
		await eventually(() => denied().length === 2, { what: 'second refusal' });
		expect(denied()[1]).toBe(`meta/vision: ${refusal}`);
		await eventually(() => malloryDocs.meta().has('vision'), { what: 'restored' });

		// The admin's change goes through, and everyone sees it.
		op.updateBoard(admin.docs, fixedContext('ada'), { name: 'Acme Shop' });
		await eventually(() => malloryDocs.meta().get('name') === 'Acme Shop', { what: 'relayed' });
		const stored = await storedDoc(server.store, boardId);
		expect(stored.getMap('meta').get('name')).toBe('Acme Shop');
		expect(stored.getMap('meta').get('targetOpsPercent')).toBe(30);

		// The vision is text written together (D17): typing in it is a change of the settings too.
		const vision = { collection: 'meta', id: boardId, field: 'vision' } as const;
		typeText(admin.docs, fixedContext('ada'), vision, '', 'Fast checkout', 13);
		await eventually(() => currentText(malloryDocs, vision) === 'Fast checkout', {
			what: 'vision relayed'
		});
		(malloryDocs.meta().get('vision') as Y.Text).delete(0, 5);
		await eventually(() => denied().length === 3, { what: 'third refusal' });
		expect(denied()[2]).toBe(`meta/vision: ${refusal}`);
		await eventually(() => currentText(malloryDocs, vision) === 'Fast checkout', {
			what: 'the text comes back'
		});
		expect(await metric('scrumops_updates_refused_total', 'reason="not-allowed"')).toBe(3);
	});

	// One refused shape per row: what the member writes, and the reason they are given.
	const shapes: {
		name: string;
		document?: 'team';
		write: (doc: Y.Doc, ids: Acme) => void;
		reason: (ids: Acme) => string;
	}[] = [
		{
			name: 'a root key the contract does not have',
			write: (doc) => doc.getMap('shadowBacklog').set('s-1', 'hidden'),
			reason: () => 'shadowBacklog: not a root key of a board document (docs/schema.md, D2)'
		},
		{
			name: 'a root key of the other document kind',
			document: 'team',
			write: (doc) => doc.getMap('stories').set('s-9', new Y.Map()),
			reason: () => 'stories: not a root key of a team document (docs/schema.md, D2)'
		},
		{
			name: 'an entity stored as a plain value',
			write: (doc) => doc.getMap('stories').set('s-plain', 'just a title'),
			reason: () => 'stories/s-plain: must be a Y.Map, not a plain value'
		},
		{
			name: 'an entity stored as a Y.Array',
			write: (doc) => doc.getMap('epics').set('e-1', new Y.Array()),
			reason: () => 'epics/e-1: must be a Y.Map, not a Y.Array'
		},
		{
			name: 'a set field stored as a plain array',
			write: (doc, { storyId }) => storyMap(doc, storyId).set('teamIds', ['web', 'ops']),
			reason: ({ storyId }) => `stories/${storyId}/teamIds: must be a Y.Map, not a plain value`
		},
		{
			name: 'a record field stored as a Y.Array',
			write: (doc, { storyId }) => storyMap(doc, storyId).set('estimates', new Y.Array()),
			reason: ({ storyId }) => `stories/${storyId}/estimates: must be a Y.Map, not a Y.Array`
		},
		{
			name: 'a Y.Text in a plain field',
			write: (doc, { storyId }) => storyMap(doc, storyId).set('title', new Y.Text('Checkout')),
			reason: ({ storyId }) => `stories/${storyId}/title: must be a plain value, not a Y.Text`
		},
		{
			name: 'a Y.Map inside a set',
			write: (doc, { storyId }) =>
				(storyMap(doc, storyId).get('teamIds') as Y.Map<unknown>).set('web', new Y.Map()),
			reason: ({ storyId }) => `stories/${storyId}/teamIds: nested deeper than the contract allows`
		},
		{
			name: 'a plain value nested deeper than any field holds',
			write: (doc, { storyId }) =>
				storyMap(doc, storyId).set('duration', { a: { b: { c: { d: 1 } } } }),
			reason: ({ storyId }) => `stories/${storyId}/duration: nested deeper than the contract allows`
		},
		{
			name: 'a text longer than any field may hold',
			write: (doc, { storyId }) => storyMap(doc, storyId).set('title', 'x'.repeat(10_001)),
			reason: ({ storyId }) =>
				`stories/${storyId}/title: a text of 10001 characters is longer than the 10000 allowed`
		},
		{
			name: 'a key longer than any id',
			write: (doc) => doc.getMap('epics').set('e'.repeat(300), new Y.Map()),
			reason: () => 'epics: a key of 300 characters is longer than the 256 allowed'
		},
		{
			name: 'binary content',
			write: (doc, { storyId }) => storyMap(doc, storyId).set('sla', new Uint8Array([1, 2, 3])),
			reason: ({ storyId }) => `stories/${storyId}/sla: binary content is not part of the contract`
		}
	];

	test.each(shapes)(
		'refused: $name; the sender is told and converges',
		async (shape) => {
			const ids = await acme();
			const name =
				shape.document === 'team' ? documentName.team(ids.boardId, ids.teamId) : ids.boardId;
			const denied = deniedReasons();
			const mallory = await member(name, { ...MALLORY, teams: [ids.teamId] });
			const before = new Y.Doc();
			Y.applyUpdate(before, Y.encodeStateAsUpdate(mallory.doc));
			shape.write(mallory.doc, ids);
			await eventually(() => denied().length === 1, { what: 'refusal' });
			expect(denied()[0]).toBe(shape.reason(ids));

			// The sender goes on editing: its later change builds on the refused one and still syncs.
			// A member writes a story's field (an unknown one, ignored by readers) or the standup.
			const sentinel = (doc: Y.Doc) =>
				shape.document === 'team' ? doc.getMap('standup') : storyMap(doc, ids.storyId);
			sentinel(mallory.doc).set('sentinel', 'after the refusal');
			const watcher = await member(name, { personId: 'walt', teams: [ids.teamId] });
			await eventually(() => sentinel(watcher.doc).get('sentinel') === 'after the refusal', {
				what: 'the next edit'
			});
			await eventually(() => sameContent(mallory.doc, watcher.doc), { what: 'converged' });
			const written = (doc: Y.Doc) => {
				const content = contentOf(doc);
				delete content[FINDINGS_KEY];
				if (shape.document === 'team') {
					const root = content.standup as Content | undefined;
					if (root) delete root.sentinel;
					if (root && Object.keys(root).length === 0) delete content.standup;
				} else {
					const stories = content.stories as Record<string, Content>;
					delete stories[ids.storyId]!.sentinel;
				}
				return content;
			};
			expect(written(watcher.doc)).toEqual(written(before));
			assertContractShape(await storedDoc(server.store, name), shape.document ?? 'board');
		},
		15_000
	);

	test('a connection that keeps sending refused updates is closed with 1008', async () => {
		const { boardId, admin } = await acme();
		const mallory = await RawClient.open(await server.url(boardId, MALLORY));
		closers.push(() => mallory.terminate());
		for (let i = 0; i < 3; i++) {
			mallory.send(
				updateFrame(changeOf(admin.docs.board, (doc) => doc.getMap(`x${i}`).set('k', i)))
			);
		}
		const closed = await mallory.closed;
		expect(closed.code).toBe(1008);
		expect(closed.reason).toMatch(
			/^too-many-refusals: 3 updates refused; last: x2: not a root key/
		);
		expect(mallory.permissionDenied()).toHaveLength(3);
	});

	test('bounds are configurable: entities per collection, items per field, bytes per update', async () => {
		await server.close();
		server = await startTestServer({
			shapeLimits: { maxEntities: 3, maxItems: 4, maxUpdateBytes: 4_000, maxTextLength: 50 }
		});
		const { boardId, storyId } = await acme();
		const denied = deniedReasons();
		const mallory = await member(boardId);
		const epics = mallory.doc.getMap('epics');
		mallory.doc.transact(() => {
			for (let i = 0; i < 4; i++) epics.set(`e-${i}`, new Y.Map([['title', `Epic ${i}`]]));
		});
		await eventually(() => denied().length === 1);
		expect(denied()[0]).toBe('epics: 4 entities would exceed the 3 a collection may hold');
		const teamIds = storyMap(mallory.doc, storyId).get('teamIds') as Y.Map<unknown>;
		mallory.doc.transact(() => ['a', 'b', 'c', 'd'].forEach((id) => teamIds.set(id, true)));
		await eventually(() => denied().length === 2);
		expect(denied()[1]).toBe(
			`stories/${storyId}/teamIds: 5 items would exceed the 4 a field may hold`
		);
		mallory.doc.transact(() => {
			for (let i = 0; i < 100; i++) mallory.doc.getMap('meta').set(`note-${i}`, 'x'.repeat(45));
		});
		await eventually(() => denied().length === 3);
		expect(denied()[2]).toMatch(/^an update of \d+ bytes is larger than the 4000 accepted/);
	});

	test('an update that builds on one not received yet waits for it, then applies', async () => {
		const { boardId, admin } = await acme();
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(admin.docs.board));
		const first = changeOf(copy, (doc) => doc.getMap('epics').set('e-1', new Y.Map()));
		Y.applyUpdate(copy, first);
		const second = changeOf(copy, (doc) =>
			(doc.getMap('epics').get('e-1') as Y.Map<unknown>).set('title', 'Payments')
		);
		const mallory = await RawClient.open(await server.url(boardId, MALLORY));
		closers.push(() => mallory.terminate());
		mallory.send(updateFrame(second));
		mallory.send(updateFrame(first));
		const watcher = await member(boardId, { personId: 'walt' });
		await eventually(
			() => (watcher.doc.getMap('epics').get('e-1') as Y.Map<unknown>)?.get('title') === 'Payments'
		);
		expect(mallory.permissionDenied()).toEqual([]);
	});
});

type Content = Record<string, unknown>;

/** Every non-empty root of a document as JSON (a root emptied by a refusal reads as absent). */
function contentOf(doc: Y.Doc): Content {
	const out: Content = {};
	for (const [key, type] of [...doc.share]) {
		// A root nobody opened is untyped: every root with content reads as a map here.
		const json =
			type instanceof Y.Array
				? (type.toJSON() as unknown[])
				: (doc.getMap(key).toJSON() as Content);
		if (Object.keys(json).length > 0) out[key] = json;
	}
	return out;
}

function sameContent(a: Y.Doc, b: Y.Doc): boolean {
	return JSON.stringify(sortKeys(contentOf(a))) === JSON.stringify(sortKeys(contentOf(b)));
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value as Content)
			.sort(([a], [b]) => (a < b ? -1 : 1))
			.map(([k, v]) => [k, sortKeys(v)])
	);
}
