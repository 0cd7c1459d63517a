/**
 * Several ScrumOps instances in one process, as behind a load balancer: each with its own port,
 * rooms and Redis connections, all sharing ONE store object and one Redis. Tokens are signed
 * with one secret, as instances of one deployment share SCRUMOPS_SECRET.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { AccessControl } from '../../server/auth/access';
import { RedisTickets } from '../../server/auth/shared-tickets';
import { TokenIssuer } from '../../server/auth/tokens';
import { RedisFanout } from '../../server/fanout/redis-fanout';
import { createLogger } from '../../server/log';
import {
	createScrumOpsServer,
	type ScrumOpsServer,
	type ScrumOpsServerOptions
} from '../../server/server';
import { MemoryIntegrationStore, type IntegrationStore } from '../../server/store/integrations';
import { MemoryMemberStore, type MemberStore } from '../../server/store/members';
import { MemoryWebhookStore, type WebhookStore } from '../../server/store/webhooks';
import { MemoryStore } from '../../server/store/memory';
import { PostgresStore } from '../../server/store/postgres';
import { SqliteStore } from '../../server/store/sqlite';
import type { DocumentStore } from '../../server/store/store';
import { connectProvider, defaultAs, mintToken, testSecret, type As } from './server';

export interface ClusterInstance {
	readonly server: ScrumOpsServer;
	readonly fanout: RedisFanout;
	readonly syncUrl: string;
	/** The instance's HTTP address, e.g. http://127.0.0.1:1234 */
	readonly httpUrl: string;
	/** An official y-websocket client of this instance, as the writer of document `name`. */
	connect(name: string, options?: { doc?: Y.Doc; as?: As }): Promise<WebsocketProvider>;
	/** Closes this instance only (its rooms compact into the shared store). */
	close(): Promise<void>;
}

export interface TestCluster {
	readonly instances: ClusterInstance[];
	/** The one store every instance writes to. */
	readonly store: DocumentStore;
	readonly dataDir: string;
	/** The token secret every instance accepts. */
	readonly secret: Uint8Array;
	/** Starts one more instance on the same store and Redis. */
	add(): Promise<ClusterInstance>;
	close(): Promise<void>;
}

export interface ClusterOptions {
	count: number;
	redisUrl: string;
	/** The store every instance shares: SQLite in a temp directory by default. */
	store?: 'memory' | 'sqlite' | DocumentStore;
	/** Heartbeat of every instance, and how long until a silent one counts as gone. */
	heartbeatMs?: number;
	instanceTimeoutMs?: number;
	compactEvery?: number;
	/** How long a missing sequence number may be in flight before the store is read. */
	gapWaitMs?: number;
	logLevel?: 'debug' | 'info' | 'warn' | 'error';
	/** The token secret; random unless given (a child process instance needs it too). */
	secret?: Uint8Array;
	/**
	 * A store of instance `index`'s own (e.g. a PostgresStore through a link the test can cut),
	 * closed with the instance, instead of the shared one.
	 */
	storeOf?: (index: number) => Promise<PostgresStore>;
	/** How long the lease to speak for a board lasts, and how often it is renewed. */
	voiceLease?: { ttlMs?: number; renewMs?: number };
	/** Retries and timeouts of outbound webhooks. */
	webhooks?: ScrumOpsServerOptions['webhooks'];
	/** Debounce of findings publication, ms (default 20). */
	validationDebounceMs?: number;
	/** The clock of every instance (tokens, member records, demo sandboxes); default Date.now. */
	now?: () => number;
	/** Demo sandboxes: off unless asked for, with their idle time and sweep interval. */
	demo?: boolean;
	sandboxIdleMs?: number;
	sandboxSweepEveryMs?: number;
}

/** The shared store, which an instance shutting down must not close for the others. */
export class SharedStore implements DocumentStore {
	constructor(readonly inner: DocumentStore) {}
	load: DocumentStore['load'] = (...args) => this.inner.load(...args);
	append: DocumentStore['append'] = (...args) => this.inner.append(...args);
	claimLeases: DocumentStore['claimLeases'] = (...args) => this.inner.claimLeases(...args);
	compact: DocumentStore['compact'] = (...args) => this.inner.compact(...args);
	audit: DocumentStore['audit'] = (...args) => this.inner.audit(...args);
	list: DocumentStore['list'] = (...args) => this.inner.list(...args);
	deleteDocuments: DocumentStore['deleteDocuments'] = (...args) =>
		this.inner.deleteDocuments(...args);
	health: DocumentStore['health'] = () => this.inner.health();
	async close(): Promise<void> {}
}

export async function startTestCluster(options: ClusterOptions): Promise<TestCluster> {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'scrumops-cluster-'));
	const store: DocumentStore =
		typeof options.store === 'object'
			? options.store
			: options.store === 'memory'
				? new MemoryStore()
				: SqliteStore.open(dataDir);
	const members: MemberStore =
		store instanceof SqliteStore || store instanceof PostgresStore
			? store.members()
			: new MemoryMemberStore();
	// One record of alert groups for the deployment, as the shared database keeps it.
	const integrations: IntegrationStore =
		store instanceof SqliteStore || store instanceof PostgresStore
			? store.integrations()
			: new MemoryIntegrationStore();
	const webhooks: WebhookStore =
		store instanceof SqliteStore || store instanceof PostgresStore
			? store.webhooks()
			: new MemoryWebhookStore();
	const shared = new SharedStore(store);
	const secret = options.secret ?? testSecret();
	const tokens = new TokenIssuer(secret, { now: options.now });
	const log = createLogger({ level: options.logLevel ?? 'error' });
	const instances: ClusterInstance[] = [];

	const add = async (): Promise<ClusterInstance> => {
		const fanout = new RedisFanout({
			url: options.redisUrl,
			log,
			heartbeatMs: options.heartbeatMs ?? 200,
			instanceTimeoutMs: options.instanceTimeoutMs ?? 1_000
		});
		// Connection tickets any instance redeems, as a deployment behind a balancer has.
		const sharedTickets = new RedisTickets({ url: options.redisUrl, log });
		await sharedTickets.ready();
		const own = options.storeOf ? await options.storeOf(instances.length) : null;
		const server = createScrumOpsServer({
			port: 0,
			host: '127.0.0.1',
			log,
			store: own ?? shared,
			webhookStore: own?.webhooks() ?? webhooks,
			// The receivers of the tests listen on 127.0.0.1.
			webhooks: { allowPrivateAddresses: true, ...options.webhooks },
			access: new AccessControl({
				tokens,
				members: own?.members() ?? members,
				sharedTickets,
				now: options.now
			}),
			integrations: own?.integrations() ?? integrations,
			validationDebounceMs: options.validationDebounceMs ?? 20,
			compactEvery: options.compactEvery,
			gapWaitMs: options.gapWaitMs,
			voiceLease: options.voiceLease,
			fanout,
			now: options.now,
			demo: options.demo ?? false,
			sandboxIdleMs: options.sandboxIdleMs,
			sandboxSweepEveryMs: options.sandboxSweepEveryMs
		});
		const address = await server.listen();
		const syncUrl = `ws://127.0.0.1:${address.port}/sync`;
		let closed: Promise<void> | null = null;
		const instance: ClusterInstance = {
			server,
			fanout,
			syncUrl,
			httpUrl: `http://127.0.0.1:${address.port}`,
			async connect(name, { doc = new Y.Doc(), as } = {}) {
				const target = defaultAs(name, as);
				return connectProvider(
					syncUrl,
					name,
					doc,
					await mintToken(tokens, target.boardId, target.as)
				);
			},
			close() {
				closed ??= server.close();
				return closed;
			}
		};
		instances.push(instance);
		return instance;
	};

	for (let i = 0; i < options.count; i++) await add();
	return {
		instances,
		store,
		dataDir,
		secret,
		add,
		async close() {
			await Promise.all(instances.map((instance) => instance.close()));
			await store.close();
			await rm(dataDir, { recursive: true, force: true });
		}
	};
}
