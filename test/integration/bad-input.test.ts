/**
 * Bad input closes only the offending connection, with a code and a reason; the process, the
 * other connections of the same room and every other room keep serving, and nothing stored is
 * damaged.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { SQLITE_FILE_NAME } from '../../server/store/sqlite';
import { CLOSE_STATUS as CLOSE, closeReasonOf } from '../../src/lib/contract/close';
import { RawClient, upgradeStatus } from '../helpers/raw-client';
import { eventually, startTestServer, synced, type TestServer } from '../helpers/server';

let server: TestServer;
const providers: WebsocketProvider[] = [];

beforeEach(async () => {
	server = await startTestServer({
		limits: { maxMessageBytes: 64 * 1024, messagesPerSecond: 50, messageBurst: 100 }
	});
});

afterEach(async () => {
	for (const provider of providers.splice(0)) provider.destroy();
	await server.close();
});

async function client(name: string): Promise<WebsocketProvider> {
	const provider = await server.connect(name);
	providers.push(provider);
	return provider;
}

function bytes(...values: number[]): Uint8Array {
	return new Uint8Array(values);
}

function syncUpdateFrame(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarUint(encoder, 2);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

describe('document names are checked at the upgrade', () => {
	test.each([
		['too long', 'a'.repeat(201)],
		['bad characters', 'board%20one'],
		['path traversal', '..%2F..%2Fetc%2Fpasswd'],
		['dot segments', 'board/..'],
		['unknown sub-document', 'board/secrets/x'],
		['reserved id', '__proto__'],
		['broken URL encoding', 'board%E0%A4%A']
	])('%s is refused with HTTP 400 and a reason', async (_label, name) => {
		const { status, body } = await upgradeStatus(`${server.syncUrl}/${name}`);
		expect(status).toBe(400);
		expect(body.length).toBeGreaterThan(10);
	});

	test('an upgrade outside /sync/ is refused with 404', async () => {
		expect((await upgradeStatus(server.syncUrl.replace('/sync', '/other'))).status).toBe(404);
	});

	test('a board and a team document are accepted', async () => {
		expect((await upgradeStatus(await server.url('board-1'))).status).toBe(101);
		expect((await upgradeStatus(await server.url('board-1/team/web'))).status).toBe(101);
	});
});

describe('malformed frames close only the offending connection', () => {
	test.each([
		['a text frame', 'hello', CLOSE.unsupportedData],
		['an empty frame', bytes(), CLOSE.invalidPayload],
		['a truncated varint', bytes(0x80), CLOSE.invalidPayload],
		['an integer of 2^32 or more', bytes(0x80, 0x80, 0x80, 0x80, 0x10), CLOSE.invalidPayload],
		['an overlong varint', bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0x01), CLOSE.invalidPayload],
		['an unknown message type', bytes(7), CLOSE.invalidPayload],
		['an unknown sync type', bytes(0, 9, 0), CLOSE.invalidPayload],
		['a length past the end', bytes(0, 2, 50, 1, 2, 3), CLOSE.invalidPayload],
		['trailing bytes', bytes(3, 0), CLOSE.invalidPayload],
		[
			'an update Yjs rejects',
			syncUpdateFrame(bytes(1, 255, 255, 255, 255, 15, 1)),
			CLOSE.invalidPayload
		],
		['a malformed awareness update', bytes(1, 3, 1, 2, 3), CLOSE.invalidPayload],
		['a malformed state vector', bytes(0, 0, 2, 5, 255), CLOSE.invalidPayload],
		['an oversized frame', syncUpdateFrame(new Uint8Array(70 * 1024)), CLOSE.tooBig]
	])('%s', async (_label, frame, code) => {
		const writer = await client('room-a');
		const reader = await client('room-a');
		const elsewhere = await client('room-b');
		await Promise.all([synced(writer), synced(reader), synced(elsewhere)]);
		writer.doc.getMap('meta').set('before', true);
		await eventually(() => reader.doc.getMap('meta').get('before') === true, { what: 'before' });

		const bad = await RawClient.open(await server.url('room-a'));
		bad.send(frame);
		const closed = await bad.closed;
		expect(closed.code).toBe(code);
		if (code !== CLOSE.tooBig) expect(closeReasonOf(closed.reason)?.sentence).toBeTruthy();

		writer.doc.getMap('meta').set('after', true);
		elsewhere.doc.getMap('meta').set('other room', true);
		await eventually(() => reader.doc.getMap('meta').get('after') === true, { what: 'after' });
		const late = await client('room-a');
		await synced(late);
		expect(late.doc.getMap('meta').toJSON()).toEqual({ before: true, after: true });
		const lateB = await client('room-b');
		await synced(lateB);
		expect(lateB.doc.getMap('meta').get('other room')).toBe(true);
	});

	test('a connection over the message rate limit is closed with 1008', async () => {
		const bad = await RawClient.open(await server.url('room-a'));
		for (let i = 0; i < 300; i++) bad.send(bytes(3));
		const closed = await bad.closed;
		expect(closed.code).toBe(CLOSE.policyViolation);
		expect(closed.reason).toMatch(/^too-many-messages: more than \d+ messages per second$/);
		const fine = await client('room-a');
		await synced(fine);
	});

	test('presence of a connection that drops without a goodbye is removed by the server', async () => {
		const watcher = await client('room-a');
		await synced(watcher);
		const raw = await RawClient.open(await server.url('room-a'));
		const ghost = new Y.Doc();
		const { Awareness, encodeAwarenessUpdate } = await import('y-protocols/awareness');
		const awareness = new Awareness(ghost);
		awareness.setLocalState({ user: { name: 'Ghost' } });
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 1);
		encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [ghost.clientID]));
		raw.send(encoding.toUint8Array(encoder));
		await eventually(() => watcher.awareness.getStates().has(ghost.clientID), { what: 'ghost' });
		raw.terminate();
		await eventually(() => !watcher.awareness.getStates().has(ghost.clientID), {
			what: 'ghost removed'
		});
		awareness.destroy();
	});
});

describe('connections dropped during the upgrade', () => {
	/** Sends an upgrade request for `url` on a raw TCP socket and resets it right after. */
	function upgradeAndReset(url: string): Promise<void> {
		const { hostname, port, pathname, search } = new URL(url);
		return new Promise((resolve) => {
			const socket = net.connect(Number(port), hostname, () => {
				socket.write(
					`GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
						'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
						`Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
						'Sec-WebSocket-Version: 13\r\n\r\n',
					() => {
						socket.resetAndDestroy();
						resolve();
					}
				);
			});
			socket.on('error', () => resolve());
		});
	}

	test('peers that reset while their access is checked leave the server serving', async () => {
		const watcher = await client('room-a');
		await synced(watcher);
		const accepted = await server.url('room-a');
		const refused = `${server.syncUrl}/room-a?token=not-a-token`;
		for (let round = 0; round < 20; round++) {
			await Promise.all([upgradeAndReset(accepted), upgradeAndReset(refused)]);
		}
		const writer = await client('room-a');
		await synced(writer);
		writer.doc.getMap('meta').set('after resets', true);
		await eventually(() => watcher.doc.getMap('meta').get('after resets') === true, {
			what: 'an edit relayed after the resets'
		});
		expect((await upgradeStatus(accepted)).status).toBe(101);
	});
});

describe('a document that cannot be loaded', () => {
	test('its connections close with 1011 and a reason; other rooms keep serving', async () => {
		// A stored update that is not a Yjs update, written behind the server's back.
		const db = new Database(path.join(server.dataDir, SQLITE_FILE_NAME));
		db.prepare('INSERT INTO documents (name) VALUES (?)').run('broken');
		db.prepare('INSERT INTO updates (name, seq, data) VALUES (?, 1, ?)').run(
			'broken',
			Buffer.from([0xff, 0xff, 0xff])
		);
		db.close();

		const raw = await RawClient.open(await server.url('broken'));
		expect(await raw.closed).toEqual({
			code: CLOSE.internalError,
			reason: 'load-failed: this document could not be loaded; try again later'
		});
		const fine = await client('room-a');
		await synced(fine);
		const health = await fetch(`${server.httpUrl}/healthz`);
		expect(health.status).toBe(200);
	});
});
