/**
 * Acknowledged data survives: a graceful restart, and a server killed with SIGKILL at random
 * moments while one client writes and another watches. Every update the watcher received was
 * stored before it was relayed, so it must be there after the restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TokenIssuer } from '../../server/auth/tokens';
import {
	connectProvider,
	eventually,
	mintToken,
	roundTrip,
	startTestServer,
	synced,
	testSecret
} from '../helpers/server';

let dataDir: string;
/** The children's token secret (SCRUMOPS_SECRET), so this test can mint tokens they accept. */
const SECRET = 'durability-test-secret-of-at-least-32-characters';
const tokens = new TokenIssuer(new TextEncoder().encode(SECRET));

/** A y-websocket client of a child relay, as a member who may write the document. */
async function connectTo(syncUrl: string, name: string) {
	return connectProvider(syncUrl, name, undefined, await mintToken(tokens, name));
}

beforeAll(async () => {
	dataDir = await mkdtemp(path.join(os.tmpdir(), 'scrumops-durability-'));
});

afterAll(async () => {
	await rm(dataDir, { recursive: true, force: true });
});

async function startChild(dir: string): Promise<{ child: ChildProcess; syncUrl: string }> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/relay-process.ts'], {
		env: { ...process.env, DATA_DIR: dir, SCRUMOPS_SECRET: SECRET },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const lines = createInterface({ input: child.stdout! });
	const port = await new Promise<number>((resolve, reject) => {
		lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
		child.once('exit', (code) => reject(new Error(`relay exited early with ${code}`)));
	});
	return { child, syncUrl: `ws://127.0.0.1:${port}/sync` };
}

function exited(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) resolve();
		else child.once('exit', () => resolve());
	});
}

/** An entity of the board document's `epics` collection, standing for any edit. */
const entry = (n: number) => new Y.Map<unknown>([['n', n]]);

// Each test starts server processes (tsx compiles on start): a loaded machine takes seconds.
describe('durability', { timeout: 30_000 }, () => {
	test('state survives a graceful restart', async () => {
		const dir = await mkdtemp(path.join(os.tmpdir(), 'scrumops-restart-'));
		const secret = testSecret();
		const first = await startTestServer({ dataDir: dir, secret });
		const writer = await first.connect('board-1');
		await synced(writer);
		for (let i = 0; i < 50; i++) writer.doc.getMap('meta').set(`k${i}`, i);
		writer.doc.getMap('meta').set('vision', 'kept across restarts');
		// The server has every change once it answers a round trip sent after them.
		await roundTrip(writer);
		writer.destroy();
		await first.close();

		const second = await startTestServer({ dataDir: dir, secret });
		const reader = await second.connect('board-1');
		await synced(reader);
		expect(reader.doc.getMap('meta').size).toBe(51);
		// The server keeps free text as a Y.Text (D17): a plain string written the 1.x way is converted.
		expect(String(reader.doc.getMap('meta').get('vision'))).toBe('kept across restarts');
		reader.destroy();
		await second.close();
		await rm(dir, { recursive: true, force: true });
	});

	test('SIGTERM closes connections with 1001, exits 0, and keeps what was stored', async () => {
		const dir = await mkdtemp(path.join(os.tmpdir(), 'scrumops-sigterm-'));
		const { child, syncUrl } = await startChild(dir);
		const writer = await connectTo(syncUrl, 'board-1');
		const watcher = await connectTo(syncUrl, 'board-1');
		await Promise.all([synced(writer), synced(watcher)]);
		const closed = new Promise<number>((resolve) =>
			watcher.ws?.addEventListener('close', (event) => resolve(event.code))
		);
		for (let i = 0; i < 200; i++) writer.doc.getMap('epics').set(`k${i}`, entry(i));
		await eventually(() => watcher.doc.getMap('epics').size === 200, { what: 'all relayed' });
		child.kill('SIGTERM');
		const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
		expect(code).toBe(0);
		expect(await closed).toBe(1001);
		writer.destroy();
		watcher.destroy();

		const restarted = await startChild(dir);
		const reader = await connectTo(restarted.syncUrl, 'board-1');
		await synced(reader);
		expect(reader.doc.getMap('epics').size).toBe(200);
		reader.destroy();
		restarted.child.kill('SIGTERM');
		await exited(restarted.child);
		await rm(dir, { recursive: true, force: true });
	});

	test.each([1, 2, 3, 4])(
		'kill -9 at a random moment (seed %i) loses nothing another client has seen',
		async (seed) => {
			const gen = prng.create(seed);
			const { child, syncUrl } = await startChild(dataDir);
			const writer = await connectTo(syncUrl, 'crash');
			const watcher = await connectTo(syncUrl, 'crash');
			await Promise.all([synced(writer), synced(watcher)]);
			const seen = new Set<string>();
			watcher.doc.getMap('epics').observe((event) => {
				for (const key of event.keysChanged) seen.add(key);
			});
			let i = 0;
			const writing = setInterval(() => {
				for (let k = 0; k < prng.uint32(gen, 1, 5); k++) {
					writer.doc.getMap('epics').set(`s${seed}-${i++}`, entry(i));
				}
			}, 2);
			await new Promise((resolve) => setTimeout(resolve, prng.uint32(gen, 150, 700)));
			child.kill('SIGKILL');
			clearInterval(writing);
			await exited(child);
			writer.destroy();
			watcher.destroy();
			expect(seen.size).toBeGreaterThan(0);

			const restarted = await startChild(dataDir);
			const reader = await connectTo(restarted.syncUrl, 'crash');
			await synced(reader);
			const stored = reader.doc.getMap('epics');
			const missing = [...seen].filter((key) => !stored.has(key));
			expect(missing).toEqual([]);
			reader.destroy();
			restarted.child.kill('SIGTERM');
			await exited(restarted.child);
		}
	);
});
