/**
 * A real ScrumOps server for integration tests: real HTTP and WebSocket on 127.0.0.1, port 0,
 * and a real store (SQLite in a temp directory unless told otherwise).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createLogger, type LogLevel } from '../../server/log';
import {
	createScrumOpsServer,
	type ScrumOpsServer,
	type ScrumOpsServerOptions
} from '../../server/server';
import { MemoryStore } from '../../server/store/memory';
import { SqliteStore } from '../../server/store/sqlite';
import type { DocumentStore } from '../../server/store/store';

export interface TestServer {
	server: ScrumOpsServer;
	/** Base URL for WebsocketProvider: ws://127.0.0.1:<port>/sync */
	syncUrl: string;
	httpUrl: string;
	dataDir: string;
	close(): Promise<void>;
}

export async function startTestServer(
	options: {
		store?: 'sqlite' | 'memory' | DocumentStore;
		dataDir?: string;
		logLevel?: LogLevel;
	} & Partial<Omit<ScrumOpsServerOptions, 'store' | 'log'>> = {}
): Promise<TestServer> {
	const { store: kind, dataDir: givenDir, logLevel, ...rest } = options;
	const dataDir = givenDir ?? (await mkdtemp(path.join(os.tmpdir(), 'scrumops-test-')));
	const store =
		typeof kind === 'object'
			? kind
			: kind === 'memory'
				? new MemoryStore()
				: SqliteStore.open(dataDir);
	const server = createScrumOpsServer({
		port: 0,
		host: '127.0.0.1',
		log: createLogger({ level: logLevel ?? 'error' }),
		store,
		validationDebounceMs: 20,
		...rest
	});
	const address = await server.listen();
	const httpUrl = `http://127.0.0.1:${address.port}`;
	return {
		server,
		syncUrl: `ws://127.0.0.1:${address.port}/sync`,
		httpUrl,
		dataDir,
		async close() {
			await server.close();
			if (!givenDir) await rm(dataDir, { recursive: true, force: true });
		}
	};
}

/** An official y-websocket client in Node. */
export function connectProvider(
	syncUrl: string,
	name: string,
	doc = new Y.Doc()
): WebsocketProvider {
	return new WebsocketProvider(syncUrl, name, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
}

/** Resolves once the provider has synced with the server. */
export function synced(provider: WebsocketProvider): Promise<void> {
	if (provider.synced) return Promise.resolve();
	return new Promise((resolve) => {
		const onSync = (isSynced: boolean) => {
			if (!isSynced) return;
			provider.off('sync', onSync);
			resolve();
		};
		provider.on('sync', onSync);
	});
}

/** Polls `check` until it returns a truthy value or the timeout passes. */
export async function eventually<T>(
	check: () => T | Promise<T>,
	{ timeoutMs = 5_000, intervalMs = 10, what = 'condition' } = {}
): Promise<NonNullable<T>> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value) return value as NonNullable<T>;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}
