/**
 * 10,000 random and malformed frames over several connections at once. Afterwards the server
 * still serves a well-behaved client, and the content written before the storm is intact in
 * memory and in the store.
 */
import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { RawClient } from '../helpers/raw-client';
import { eventually, startTestServer, synced, type TestServer } from '../helpers/server';

const FRAMES = 10_000;
const CONNECTIONS = 8;
let server: TestServer;

beforeAll(async () => {
	// The storm is sent as fast as possible: the rate limit is part of what it may trigger.
	server = await startTestServer({ limits: { maxMessageBytes: 256 * 1024 } });
});

afterAll(async () => {
	await server.close();
});

/** Valid frames of a separate document: mutated, they make plausible but broken input. */
function seedFrames(gen: prng.PRNG): Uint8Array[] {
	const doc = new Y.Doc();
	const frames: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0);
		encoding.writeVarUint(encoder, prng.uint32(gen, 0, 2));
		encoding.writeVarUint8Array(encoder, update);
		frames.push(encoding.toUint8Array(encoder));
	});
	for (let i = 0; i < 50; i++) {
		doc.getMap('epics').set(`k${i}`, new Y.Map([['title', prng.word(gen, 1, 30)]]));
		doc.getMap('retro').set(`n${i}`, new Y.Map([['text', prng.word(gen, 1, 10)]]));
	}
	frames.push(new Uint8Array([1, ...encodeVar(5), 1, 2, 3, 4, 5]));
	frames.push(new Uint8Array([0, 0, 1, 0]));
	return frames;
}

function encodeVar(value: number): number[] {
	const out: number[] = [];
	while (value > 0x7f) {
		out.push((value & 0x7f) | 0x80);
		value = Math.floor(value / 128);
	}
	out.push(value);
	return out;
}

/** One hostile frame: random bytes, a mutated valid frame, a truncated one, or text. */
function hostileFrame(gen: prng.PRNG, seeds: Uint8Array[]): Uint8Array | string {
	switch (prng.uint32(gen, 0, 5)) {
		case 0:
			return prng.uint8Array(gen, prng.uint32(gen, 0, 64));
		case 1: {
			const frame = new Uint8Array(prng.oneOf(gen, seeds));
			for (let flips = prng.uint32(gen, 1, 4); flips > 0; flips--) {
				frame[prng.uint32(gen, 0, frame.length - 1)] = prng.uint32(gen, 0, 255);
			}
			return frame;
		}
		case 2: {
			const frame = prng.oneOf(gen, seeds);
			return frame.slice(0, prng.uint32(gen, 0, Math.max(0, frame.length - 1)));
		}
		case 3:
			return new Uint8Array([
				prng.uint32(gen, 0, 3),
				...prng.uint8Array(gen, prng.uint32(gen, 0, 8))
			]);
		case 4:
			return new Uint8Array([0, 2, ...encodeVar(prng.uint32(gen, 0, 2 ** 31)), 1, 2, 3]);
		default:
			return prng.word(gen, 0, 20);
	}
}

describe('fuzzing the relay', () => {
	test(`${FRAMES.toLocaleString('en')} hostile frames over ${CONNECTIONS} connections lose nothing`, async () => {
		const gen = prng.create(2026);
		const owner = await server.connect('board-1');
		await synced(owner);
		const good = owner.doc.getMap('meta');
		for (let i = 0; i < 100; i++) good.set(`story-${i}`, { title: `Story ${i}`, points: i % 13 });
		good.set('vision', 'Customers buy in under a minute.');
		const expected = { good: good.toJSON() };

		const seeds = seedFrames(gen);
		let sent = 0;
		let closedByServer = 0;
		const rooms = [
			'board-1',
			'board-1',
			'board-1',
			'board-2',
			'board-1/team/web',
			'board-3',
			'board-1',
			'board-2'
		];
		await Promise.all(
			rooms.slice(0, CONNECTIONS).map(async (room) => {
				while (sent < FRAMES) {
					const raw = await RawClient.open(await server.url(room));
					let open = true;
					void raw.closed.then(() => (open = false));
					while (open && sent < FRAMES) {
						raw.send(hostileFrame(gen, seeds));
						sent++;
						// Yield now and then so the server's answers and closes interleave with the storm.
						if (sent % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
					}
					if (!open) closedByServer++;
					raw.terminate();
				}
			})
		);
		expect(sent).toBeGreaterThanOrEqual(FRAMES);
		expect(closedByServer).toBeGreaterThan(100);

		// The process still serves: health, the same room, and other rooms.
		const health = (await (await fetch(`${server.httpUrl}/healthz`)).json()) as { status: string };
		expect(health.status).toBe('ok');
		const reader = await server.connect('board-1');
		await synced(reader);
		expect(reader.doc.getMap('meta').toJSON()).toEqual(expected.good);
		owner.doc.getMap('meta').set('after-the-storm', true);
		await eventually(() => reader.doc.getMap('meta').get('after-the-storm') === true, {
			what: 'a well-behaved edit relayed'
		});
		owner.destroy();
		reader.destroy();

		// And the store holds the same content once the room has been unloaded.
		await eventually(
			async () =>
				((await (await fetch(`${server.httpUrl}/healthz`)).json()) as { rooms: number }).rooms ===
				0,
			{ what: 'rooms unloaded', timeoutMs: 10_000 }
		);
		const fresh = await server.connect('board-1');
		await synced(fresh);
		expect(fresh.doc.getMap('meta').get('story-42')).toEqual(expected.good['story-42']);
		expect(String(fresh.doc.getMap('meta').get('vision'))).toBe('Customers buy in under a minute.');
		expect(fresh.doc.getMap('meta').size).toBe(102);
		fresh.destroy();
	}, 120_000);
});
