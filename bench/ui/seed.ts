/**
 * Fills a board on the running server with the generated large board (teams, people, stories,
 * sprints and open work packages; no tasks) through the official y-websocket client, in chunks
 * that stay under the server's message size limit, and waits until a fresh client sees it all.
 * The writer stays connected until `close()`: the board is open on the server, as it is while
 * anyone works on it, so the measured loads do not include loading it from SQLite.
 */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { entityToYMap, readEntity } from '../../src/lib/sync/codec';
import { BOARD_COLLECTIONS, FIELD_KINDS } from '../../src/lib/sync/layout';
import { generateBoard, type BoardSize } from '../board-generator';

const CHUNK = 1_000;

export async function seedBoard(
	syncUrl: string,
	boardId: string,
	token: string,
	size: BoardSize
): Promise<{ entities: number; close: () => void }> {
	const generated = generateBoard(size);
	const writer = await connect(syncUrl, boardId, token);
	let entities = 0;
	let pending: [string, string, Y.Map<unknown>][] = [];
	const flush = () => {
		writer.doc.transact(() => {
			for (const [collection, id, map] of pending) writer.doc.getMap(collection).set(id, map);
		});
		pending = [];
	};
	// Every collection but the board settings, which the server wrote when it created the board.
	for (const name of BOARD_COLLECTIONS) {
		for (const [id, stored] of generated.docs.collection(name)) {
			const plain = readEntity(stored, FIELD_KINDS[name]);
			pending.push([name, id, entityToYMap(plain, FIELD_KINDS[name])]);
			entities++;
			if (pending.length === CHUNK) flush();
		}
	}
	flush();
	generated.docs.destroy();
	// Stored once a fresh client receives every story and work package from the server.
	const expected = {
		stories: generated.storyIds.length,
		workPackages: generated.workPackageIds.length
	};
	for (let attempt = 0; ; attempt++) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		const reader = await connect(syncUrl, boardId, token);
		const ok =
			reader.doc.getMap('stories').size >= expected.stories &&
			reader.doc.getMap('workPackages').size >= expected.workPackages;
		reader.destroy();
		if (ok) break;
		if (attempt > 60) throw new Error('the server did not store the generated board in 30 s');
	}
	return { entities, close: () => writer.destroy() };
}

async function connect(syncUrl: string, boardId: string, token: string) {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(syncUrl, boardId, doc, {
		params: { token },
		WebSocketPolyfill: WebSocket as never,
		disableBc: true
	});
	await new Promise<void>((resolve) => {
		if (provider.synced) resolve();
		else provider.once('sync', () => resolve());
	});
	return {
		doc,
		destroy: () => {
			provider.destroy();
			doc.destroy();
		}
	};
}
