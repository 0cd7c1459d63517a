/**
 * The server's path for one update, from the frame arriving to the first peer's send, in one
 * process and without sockets: our Room with the real SQLite store against what
 * @y/websocket-server does (apply, then encode and send from the document's update event).
 * Stages are also timed alone. Measured twice: with updates 20 ms apart, as in the fan-out
 * scenario at 50 updates/s, where the CPU idles between updates and every stage starts with
 * cold caches; and back to back, where it does not.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { createLogger } from '../../server/log';
import { decodeFrame, encodeUpdate } from '../../server/relay/protocol';
import { parseDocumentName } from '../../server/relay/document-name';
import { RoomRegistry } from '../../server/relay/registry';
import type { Peer } from '../../server/relay/room';
import { SqliteStore } from '../../server/store/sqlite';
import { ValidationService } from '../../server/validation/board-validation';
import { UpdateChecker } from '../../src/lib/sync/shape/check-update';
import { DEFAULT_SHAPE_LIMITS } from '../../src/lib/sync/shape/contract';
import { generateBoard } from '../board-generator';
import { percentile, table } from '../stats';
import { benchStory, writeEdit } from './story';

const COLD_GAP_MS = 20;
const SAMPLES = 300;
const PEERS = 200;
const TITLE = 'Refine the incident runbook for the payment gateway escalation path';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Edits like the relay benchmark's writer: the title of its own (valid) story. The first frame
 * creates the story (it falls among the unmeasured ones).
 */
function* edits(): Generator<Uint8Array> {
	const writer = new Y.Doc();
	let next: Uint8Array | null = null;
	writer.on('update', (update: Uint8Array) => (next = update));
	writer.getMap('stories').set('writer', benchStory('writer'));
	yield encodeUpdate(next!);
	const story = writer.getMap('stories').get('writer') as Y.Map<unknown>;
	for (let seq = 0; ; seq++) {
		writeEdit(story, { s: seq, t: performance.now(), ph: 0, p: TITLE });
		yield encodeUpdate(next!);
	}
}

/**
 * Milliseconds per frame, for `SAMPLES` frames after 20 unmeasured: from `run(frame)` to the
 * first send it causes when `firstSendOf` is given, else until `run` (awaited) returns.
 */
async function measure(
	gapMs: number,
	run: (frame: Uint8Array) => unknown,
	firstSendOf?: () => Promise<number>
): Promise<number[]> {
	const frames = edits();
	const samples: number[] = [];
	for (let i = 0; i < SAMPLES + 20; i++) {
		const frame = frames.next().value as Uint8Array;
		const sent = firstSendOf?.();
		const started = performance.now();
		const done = run(frame);
		const elapsed = (sent ? await sent : (await done, performance.now())) - started;
		if (i >= 20) samples.push(elapsed);
		if (gapMs > 0) await sleep(gapMs);
	}
	return samples;
}

/** Peers that note when they are first sent something. */
function peers(): { list: Peer[]; firstSend: () => Promise<number> } {
	let resolveFirst: ((at: number) => void) | null = null;
	const make = (index: number): Peer => ({
		id: String(index),
		person: { id: `p${index}`, name: `Person ${index}`, roles: ['team-member'] },
		canWrite: true,
		canChangeSettings: false,
		send() {
			if (resolveFirst) {
				const resolve = resolveFirst;
				resolveFirst = null;
				resolve(performance.now());
			}
		},
		close() {}
	});
	return {
		list: Array.from({ length: PEERS + 1 }, (_, index) => make(index)),
		firstSend: () => new Promise<number>((resolve) => (resolveFirst = resolve))
	};
}

/** @y/websocket-server's path: apply; the update event encodes once and sends to each peer. */
async function referencePath(gapMs: number): Promise<number[]> {
	const doc = new Y.Doc();
	const { list, firstSend } = peers();
	doc.on('update', (update: Uint8Array) => {
		const message = encodeUpdate(update);
		for (let index = 1; index < list.length; index++) list[index]!.send(message);
	});
	return measure(
		gapMs,
		(frame) => {
			const decoded = decodeFrame(frame);
			if (decoded.type === 'update') Y.applyUpdate(doc, decoded.update, list[0]);
		},
		firstSend
	);
}

/**
 * Ours: a room of the production registry, with board validation and the authorship record
 * attached as in the server, on the SQLite store; every update is committed before it is sent.
 */
async function ourPath(gapMs: number, dataDir: string): Promise<number[]> {
	const store = SqliteStore.open(dataDir);
	const log = createLogger({ level: 'error' });
	const registry: RoomRegistry = new RoomRegistry({
		store,
		log,
		onRoomCreated: (room) => {
			const address = parseDocumentName(room.name);
			return 'error' in address ? undefined : validation.attach(room, address);
		}
	});
	// Rooms are created only after this, as in the server, so the closure above may refer to it.
	const validation = new ValidationService({ registry, log });
	const room = registry.acquire(`bench-${gapMs}`);
	const { list, firstSend } = peers();
	for (const peer of list) room.join(peer);
	await room.loaded;
	try {
		return await measure(gapMs, (frame) => room.receive(list[0]!, decodeFrame(frame)), firstSend);
	} finally {
		for (const peer of list) room.leave(peer);
		await registry.closeAll();
		await store.close();
	}
}

const updateOf = (frame: Uint8Array) => {
	const decoded = decodeFrame(frame);
	if (decoded.type !== 'update') throw new Error('expected an update frame');
	return decoded.update;
};

export async function runUpdatePathBenchmark(): Promise<string> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'update-path-'));
	try {
		const rows: string[][] = [];
		const row = (name: string, cold: number[], warm: number[]) =>
			rows.push([
				name,
				`${fmt(percentile(cold, 50))} / ${fmt(percentile(cold, 99))}`,
				`${fmt(percentile(warm, 50))} / ${fmt(percentile(warm, 99))}`
			]);
		for (const [name, run] of [
			['@y/websocket-server 0.1.1 path: apply → first send', referencePath],
			[
				'ScrumOps relay path: check, apply, commit to SQLite → first send',
				(gap: number) => ourPath(gap, path.join(dir, `room-${gap}`))
			]
		] as const) {
			row(`**${name}**`, await run(COLD_GAP_MS), await run(0));
		}
		const decodeOnly = (frame: Uint8Array) => Y.decodeUpdate(updateOf(frame));
		row('stage: `Y.decodeUpdate` (our check before applying)', ...(await both(decodeOnly)));
		const applyDoc = new Y.Doc();
		applyDoc.on('update', () => {});
		const apply = (frame: Uint8Array) => Y.applyUpdate(applyDoc, updateOf(frame));
		row('stage: `Y.applyUpdate` (both servers)', ...(await both(apply)));
		const typical = checkTypicalEdits();
		rows.push([
			'stage: shape check of the edit (`UpdateChecker.check`, decoded)',
			`${fmt(percentile(typical, 50))} / ${fmt(percentile(typical, 99))}`,
			'(same)'
		]);
		const bulk = checkImport();
		rows.push([
			`stage: shape check of an import of ${bulk.entities.toLocaleString('en')} entities (${(bulk.bytes / 1024).toFixed(0)} KiB)`,
			`${fmt(percentile(bulk.samples, 50))} / ${fmt(percentile(bulk.samples, 99))}`,
			'(same)'
		]);
		const store = SqliteStore.open(path.join(dir, 'stage'));
		try {
			const append = (frame: Uint8Array) => store.append('bench-stage', updateOf(frame), 'bench');
			row('stage: SQLite commit of one update and its audit row', ...(await both(append)));
		} finally {
			await store.close();
		}
		return [
			'### One update through the server, without sockets',
			`**Method.** \`bench/relay/update-path.ts\`, in one process: a writer's edit (the relay benchmark's: the title of its own story, ${editBytes()} bytes) handed to each server's code as a received frame, timed to the first of ${PEERS} peers' \`send\` (a no-op), ${SAMPLES} updates after 20 unmeasured. _Apart_: ${COLD_GAP_MS} ms between updates, as in the fan-out scenario at 50 updates/s, so the CPU idles and each update starts with cold caches; _back to back_: the next update as soon as the last was sent. The reference path is what @y/websocket-server does (decode the frame, \`Y.applyUpdate\`, encode once in the update event, send to each peer); ours is the production \`Room\` with the SQLite store, which checks the update with \`Y.decodeUpdate\`, applies it, commits it with its audit row (group commit: one transaction per event-loop turn) and only then sends. The shape check is timed alone, on the decoded update against the document it is checked against (${CHECK_SAMPLES} edits, after 20 unmeasured; the import ${IMPORT_SAMPLES} times: a board of 1,000 stories with its teams, people and sprints, written in one update and checked against an empty board document). p50 / p99 in ms.`,
			table(['path', `${COLD_GAP_MS} ms apart: p50 / p99`, 'back to back: p50 / p99'], rows)
		].join('\n\n');
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

async function both(run: (frame: Uint8Array) => unknown): Promise<[number[], number[]]> {
	return [await measure(COLD_GAP_MS, run), await measure(0, run)];
}

const fmt = (ms: number) => (ms < 1 ? ms.toFixed(3) : ms.toFixed(2));

const CHECK_SAMPLES = 2_000;
const IMPORT_SAMPLES = 30;

function editBytes(): number {
	const frames = edits();
	frames.next();
	return updateOf(frames.next().value as Uint8Array).byteLength;
}

/** The check of each edit, timed alone; each edit is then applied, as the room does. */
function checkTypicalEdits(): number[] {
	const doc = new Y.Doc();
	const checker = new UpdateChecker(doc, 'board', DEFAULT_SHAPE_LIMITS);
	const frames = edits();
	const samples: number[] = [];
	for (let i = 0; i < CHECK_SAMPLES + 20; i++) {
		const update = updateOf(frames.next().value as Uint8Array);
		const decoded = Y.decodeUpdate(update);
		const started = performance.now();
		const verdict = checker.check(decoded, update.byteLength);
		const elapsed = performance.now() - started;
		if (verdict.kind !== 'accept') throw new Error(`the benchmark's edit was not accepted`);
		Y.applyUpdate(doc, update);
		if (i >= 20) samples.push(elapsed);
	}
	return samples;
}

/** The check of one update that imports a board of 1,000 stories. */
function checkImport(): { samples: number[]; entities: number; bytes: number } {
	const { docs } = generateBoard({ teams: 10, stories: 1_000, tasks: 0, openWorkPackages: 0 }, 7);
	const update = Y.encodeStateAsUpdate(docs.board);
	let entities = 0;
	docs.board.share.forEach((type, key) => {
		if (key !== 'meta' && type instanceof Y.Map) entities += type.size;
	});
	const samples: number[] = [];
	for (let i = 0; i < IMPORT_SAMPLES + 3; i++) {
		const checker = new UpdateChecker(new Y.Doc(), 'board', DEFAULT_SHAPE_LIMITS);
		const decoded = Y.decodeUpdate(update);
		const started = performance.now();
		const verdict = checker.check(decoded, update.byteLength);
		const elapsed = performance.now() - started;
		if (verdict.kind !== 'accept')
			throw new Error(`the import was not accepted: ${JSON.stringify(verdict)}`);
		if (i >= 3) samples.push(elapsed);
	}
	return { samples, entities, bytes: update.byteLength };
}
