/**
 * A real ScrumOps server for integration tests: real HTTP and WebSocket on 127.0.0.1, port 0,
 * and a real store (SQLite in a temp directory unless told otherwise; a PostgresStore passed in
 * keeps the members too).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { randomBytes } from 'node:crypto';
import { AccessControl } from '../../server/auth/access';
import { TokenIssuer, type Identity } from '../../server/auth/tokens';
import { createLogger, type LogLevel } from '../../server/log';
import { parseDocumentName } from '../../server/relay/document-name';
import {
	createScrumOpsServer,
	type ScrumOpsServer,
	type ScrumOpsServerOptions
} from '../../server/server';
import { MemoryMemberStore } from '../../server/store/members';
import { MemoryStore } from '../../server/store/memory';
import { PostgresStore } from '../../server/store/postgres';
import { SqliteStore } from '../../server/store/sqlite';
import type { DocumentStore } from '../../server/store/store';

/** Who a test connects as; unset fields get defaults (see `TestServer.token`). */
export type As = Partial<Omit<Identity, 'boardId' | 'expiresAt'>> & { ttlSeconds?: number | null };

export interface TestServer {
	server: ScrumOpsServer;
	/** Base URL for WebsocketProvider: ws://127.0.0.1:<port>/sync */
	syncUrl: string;
	httpUrl: string;
	dataDir: string;
	/** Signs tokens with this server's secret. */
	tokens: TokenIssuer;
	secret: Uint8Array;
	store: DocumentStore;
	access: AccessControl;
	/**
	 * A session token for `boardId`. Default person: "tester", admin, product owner and Scrum
	 * Master, member of `teams` (none unless given).
	 */
	token(boardId: string, as?: As): Promise<string>;
	/**
	 * An official y-websocket client on document `name`, with a token for its board. By default
	 * the person belongs to the team whose document it is, so they may write it.
	 */
	connect(name: string, options?: { doc?: Y.Doc; as?: As }): Promise<WebsocketProvider>;
	/** `ws://…/sync/<name>?token=…` for raw sockets. */
	url(name: string, as?: As): Promise<string>;
	close(): Promise<void>;
}

/** A random secret for a test server; hand it to `new TokenIssuer` to mint tokens it accepts. */
export function testSecret(): Uint8Array {
	return new Uint8Array(randomBytes(32));
}

/** Mints a token: the defaults of `TestServer.token`, for the person and board given. */
export function mintToken(tokens: TokenIssuer, boardId: string, as: As = {}): Promise<string> {
	const { ttlSeconds = 3600, ...identity } = as;
	return tokens.issueSession(
		{
			boardId,
			personId: 'tester',
			name: 'Tester',
			teams: [],
			roles: ['product-owner', 'scrum-master'],
			admin: true,
			...identity
		},
		ttlSeconds
	);
}

/** The `as` for a document: by default its writer (a member of its team). */
export function defaultAs(name: string, as: As = {}): { boardId: string; as: As } {
	const address = parseDocumentName(name);
	if ('error' in address) throw new Error(address.error);
	const teams = as.teams ?? (address.teamId === null ? [] : [address.teamId]);
	return { boardId: address.boardId, as: { ...as, teams } };
}

export async function startTestServer(
	options: {
		store?: 'sqlite' | 'memory' | DocumentStore;
		dataDir?: string;
		logLevel?: LogLevel;
		/** The token secret; random unless given (pass the same one to survive a restart). */
		secret?: Uint8Array;
		/** Receives every log line (default: stdout). */
		logWrite?: (line: string) => void;
		/** Read connected people's member records this often (other instances share the store). */
		sharedStoreSweepMs?: number;
	} & Partial<Omit<ScrumOpsServerOptions, 'store' | 'log' | 'access'>> = {}
): Promise<TestServer> {
	const {
		store: kind,
		dataDir: givenDir,
		logLevel,
		secret,
		logWrite,
		sharedStoreSweepMs,
		...rest
	} = options;
	const dataDir = givenDir ?? (await mkdtemp(path.join(os.tmpdir(), 'scrumops-test-')));
	const store =
		typeof kind === 'object'
			? kind
			: kind === 'memory'
				? new MemoryStore()
				: SqliteStore.open(dataDir);
	const key = secret ?? testSecret();
	const tokens = new TokenIssuer(key, { now: rest.now });
	const access = new AccessControl({
		tokens,
		members:
			store instanceof SqliteStore || store instanceof PostgresStore
				? store.members()
				: new MemoryMemberStore(),
		now: rest.now,
		sharedStoreSweepMs
	});
	const server = createScrumOpsServer({
		port: 0,
		host: '127.0.0.1',
		log: createLogger({ level: logLevel ?? 'error', write: logWrite }),
		store,
		access,
		integrations:
			store instanceof SqliteStore || store instanceof PostgresStore
				? store.integrations()
				: undefined,
		webhookStore:
			store instanceof SqliteStore || store instanceof PostgresStore ? store.webhooks() : undefined,
		validationDebounceMs: 20,
		...rest,
		// The receivers of the tests listen on 127.0.0.1.
		webhooks: { allowPrivateAddresses: true, ...rest.webhooks }
	});
	const address = await server.listen();
	const httpUrl = `http://127.0.0.1:${address.port}`;
	const syncUrl = `ws://127.0.0.1:${address.port}/sync`;
	return {
		server,
		syncUrl,
		httpUrl,
		dataDir,
		tokens,
		secret: key,
		store,
		access,
		token: (boardId, as) => mintToken(tokens, boardId, as),
		async connect(name, { doc, as } = {}) {
			const target = defaultAs(name, as);
			return connectProvider(
				syncUrl,
				name,
				doc,
				await mintToken(tokens, target.boardId, target.as)
			);
		},
		async url(name, as) {
			const target = defaultAs(name, as);
			const token = await mintToken(tokens, target.boardId, target.as);
			return `${syncUrl}/${name}?token=${encodeURIComponent(token)}`;
		},
		async close() {
			await server.close();
			if (!givenDir) await rm(dataDir, { recursive: true, force: true });
		}
	};
}

/** An official y-websocket client in Node, sending `token` as the `token` query parameter. */
export function connectProvider(
	syncUrl: string,
	name: string,
	doc = new Y.Doc(),
	token?: string
): WebsocketProvider {
	return new WebsocketProvider(syncUrl, name, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params: token === undefined ? {} : { token }
	});
}

export { synced } from './synced';

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

/** y-websocket's message types used by `roundTrip`. */
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

/**
 * A round trip through the server on this provider's connection: the client's presence changes
 * (a counter) and it asks for everyone's presence; this resolves when a message from the server
 * carries that change back. The server handles a connection's frames in order and sends its
 * messages in order, so by then it has handled everything the client sent before, and
 * everything it sent this client before has arrived: a change it was going to relay to this
 * client would be here.
 */
export function roundTrip(provider: WebsocketProvider, timeoutMs = 5_000): Promise<void> {
	const ws = provider.ws;
	if (!ws || !provider.wsconnected)
		return Promise.reject(new Error('the provider is not connected'));
	const { awareness } = provider;
	const self = awareness.clientID;
	const probe = ((awareness.getLocalState()?.roundTrip as number | undefined) ?? 0) + 1;
	return new Promise<void>((resolve, reject) => {
		// The provider sends the change itself; the query makes the server answer with it.
		awareness.setLocalStateField('roundTrip', probe);
		const clock = awareness.meta.get(self)!.clock;
		const onMessage = (event: { data: unknown }) => {
			const data = event.data;
			const bytes =
				data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data as Uint8Array);
			const message = decoding.createDecoder(bytes);
			if (decoding.readVarUint(message) !== MESSAGE_AWARENESS) return;
			const update = decoding.createDecoder(decoding.readVarUint8Array(message));
			for (let n = decoding.readVarUint(update); n > 0; n--) {
				const client = decoding.readVarUint(update);
				const at = decoding.readVarUint(update);
				decoding.readVarString(update);
				if (client === self && at >= clock) return done();
			}
		};
		const timer = setTimeout(() => {
			ws.removeEventListener('message', onMessage);
			reject(new Error(`no round trip through the server within ${timeoutMs} ms`));
		}, timeoutMs);
		const done = () => {
			clearTimeout(timer);
			ws.removeEventListener('message', onMessage);
			resolve();
		};
		ws.addEventListener('message', onMessage);
		const query = encoding.createEncoder();
		encoding.writeVarUint(query, MESSAGE_QUERY_AWARENESS);
		ws.send(encoding.toUint8Array(query));
	});
}
