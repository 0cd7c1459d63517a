/**
 * The relay with the official y-websocket client: convergence, late joiners, presence, and
 * memory released when everyone leaves. Real sockets, real SQLite.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MemoryStore } from '../../server/store/memory';
import { eventually, roundTrip, startTestServer, synced, type TestServer } from '../helpers/server';

let server: TestServer;
const providers: WebsocketProvider[] = [];

async function client(name = 'board-1', doc = new Y.Doc()): Promise<WebsocketProvider> {
	const provider = await server.connect(name, { doc });
	providers.push(provider);
	return provider;
}

async function health(): Promise<{ status: string; rooms: number; connections: number }> {
	const response = await fetch(`${server.httpUrl}/healthz`);
	return (await response.json()) as { status: string; rooms: number; connections: number };
}

beforeEach(async () => {
	server = await startTestServer();
});

afterEach(async () => {
	for (const provider of providers.splice(0)) provider.destroy();
	await server.close();
});

describe('sync through the relay with the official y-websocket client', () => {
	test('two clients converge and a third joining later gets the full state', async () => {
		const a = await client();
		const b = await client();
		await Promise.all([synced(a), synced(b)]);
		a.doc.getMap('meta').set('s1', 'from a');
		b.doc.getMap('meta').set('s2', 'from b');
		a.doc.getMap('meta').set('operationalGoals', new Y.Array<string>());
		(a.doc.getMap('meta').get('operationalGoals') as Y.Array<string>).push(['a1', 'a2']);
		await eventually(() => b.doc.getMap('meta').get('s1') === 'from a', { what: 'b sees a' });
		await eventually(() => a.doc.getMap('meta').get('s2') === 'from b', { what: 'a sees b' });
		const goals = (doc: Y.Doc) => doc.getMap('meta').get('operationalGoals') as Y.Array<string>;
		await eventually(() => goals(b.doc)?.length === 2, { what: 'b sees the array' });

		const late = await client();
		await synced(late);
		expect(late.doc.getMap('meta').toJSON()).toEqual({
			s1: 'from a',
			s2: 'from b',
			operationalGoals: ['a1', 'a2']
		});
		expect(Y.encodeStateVector(late.doc)).toEqual(Y.encodeStateVector(a.doc));
	});

	test('newcomers get the whole document, and one joining after a change gets the change too', async () => {
		const writer = await client();
		await synced(writer);
		writer.doc.getMap('meta').set('s1', 'first');
		await eventually(async () => (await server.store.load('board-1')).updates.length > 0);
		const [b, c] = [await client(), await client()];
		await Promise.all([synced(b), synced(c)]);
		expect(b.doc.getMap('meta').toJSON()).toEqual({ s1: 'first' });
		expect(c.doc.getMap('meta').toJSON()).toEqual({ s1: 'first' });
		writer.doc.getMap('meta').set('s2', 'second');
		await eventually(() => b.doc.getMap('meta').has('s2'), { what: 'b sees the change' });
		const late = await client();
		await synced(late);
		expect(late.doc.getMap('meta').toJSON()).toEqual({ s1: 'first', s2: 'second' });
	});

	test('presence appears at the others and disappears when its owner disconnects', async () => {
		const a = await client();
		const b = await client();
		await Promise.all([synced(a), synced(b)]);
		a.awareness.setLocalStateField('user', { name: 'Ana', focus: 'story-1' });
		await eventually(() => b.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ana', {
			what: 'Ana in b'
		});
		a.destroy();
		await eventually(() => !b.awareness.getStates().has(a.doc.clientID), {
			what: 'Ana gone from b'
		});
	});

	test('documents are isolated from each other', async () => {
		const a = await client('board-1');
		const other = await client('board-2');
		await Promise.all([synced(a), synced(other)]);
		a.doc.getMap('meta').set('k', 1);
		const late = await client('board-1');
		await synced(late);
		expect(late.doc.getMap('meta').get('k')).toBe(1);
		expect(other.doc.getMap('meta').size).toBe(0);
	});

	test('after everyone leaves the room is unloaded, and its content is still there', async () => {
		const a = await client();
		await synced(a);
		a.doc.getMap('meta').set('kept', true);
		await eventually(async () => (await health()).rooms >= 1, { what: 'a room' });
		a.destroy();
		await eventually(async () => (await health()).rooms === 0, { what: '0 rooms' });
		expect(await health()).toMatchObject({ status: 'ok', rooms: 0, connections: 0 });
		const again = await client();
		await synced(again);
		expect(again.doc.getMap('meta').get('kept')).toBe(true);
	});
});

/** A store whose appends are acknowledged only when the test says so. */
class GatedStore extends MemoryStore {
	readonly #gates: (() => void)[] = [];
	#onHeld: (() => void) | null = null;
	gated = false;

	override async append(...args: Parameters<MemoryStore['append']>): Promise<number> {
		if (this.gated) {
			const opened = new Promise<void>((resolve) => this.#gates.push(resolve));
			this.#onHeld?.();
			this.#onHeld = null;
			await opened;
		}
		return super.append(...args);
	}

	/** Resolves when the next append waits at the gate: the server applied a change to store. */
	nextHeld(): Promise<void> {
		return new Promise((resolve) => (this.#onHeld = resolve));
	}

	release(): void {
		for (const open of this.#gates.splice(0)) open();
	}
}

describe('store before relay', () => {
	test('no peer receives a change before the store has acknowledged it', async () => {
		await server.close();
		const store = new GatedStore();
		server = await startTestServer({ store });
		const writer = await client();
		const watcher = await client();
		await Promise.all([synced(writer), synced(watcher)]);
		store.gated = true;
		const held = store.nextHeld();
		writer.doc.getMap('meta').set('pending', 1);
		await held;
		// The server has the change and waits for the store. A round trip through the server to
		// the watcher brings anything it sent the watcher before: the change is not among it.
		await roundTrip(watcher);
		expect(watcher.doc.getMap('meta').has('pending')).toBe(false);
		store.release();
		await eventually(() => watcher.doc.getMap('meta').get('pending') === 1, { what: 'relayed' });
	});
});
