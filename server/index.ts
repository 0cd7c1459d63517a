/**
 * Production entry (`npm run serve`, which `npm start` runs after building): reads the
 * environment, opens the store (PostgreSQL when DATABASE_URL is set, else SQLite in the data
 * directory), serves the built SvelteKit app (and demo sandboxes, removed once idle) and the sync
 * relay on one port, and shuts down cleanly on SIGTERM/SIGINT (stop accepting, store, close).
 *
 * Environment: PORT (3000), HOST (0.0.0.0), DATA_DIR (./data), DATABASE_URL (unset:
 * postgres://… keeps everything in PostgreSQL, shared by every instance using it),
 * DATABASE_POOL_MAX (10: PostgreSQL connections of this instance), LOG_LEVEL (info),
 * MAX_MESSAGE_BYTES, RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST (relay limits), SCRUMOPS_SECRET
 * (token signing secret; generated into DATA_DIR/secret.key, or into PostgreSQL, when unset), SESSION_TTL_DAYS (30),
 * DEMO_BOARD (on: anyone may open a demo sandbox of their own), DEMO_SANDBOX_IDLE_HOURS (24: a
 * sandbox nobody used this long is removed), API_WRITES_PER_MINUTE and
 * API_WRITE_BURST (60 each: POST and DELETE API requests per client address), ADDRESS_HEADER and
 * XFF_DEPTH (unset, 1: where a reverse proxy puts the client's address; adapter-node reads them
 * too), HEADERS_TIMEOUT_MS and REQUEST_TIMEOUT_MS (10000, 30000: time a client has to send a
 * request's headers, and the whole request), MAX_IMPORT_BYTES (67108864: the largest board file
 * an import reads), MAX_UPDATE_BYTES, MAX_TEXT_LENGTH,
 * MAX_ENTITIES_PER_COLLECTION and MAX_ITEMS_PER_FIELD (the document contract's bounds, see
 * docs/security.md), REDIS_URL (unset: this instance is alone; set: it serves the same boards
 * as every other instance with the same Redis and store, docs/operations.md), SERVE_APP (on;
 * off: only the API and the sync relay, no pages, so no build is needed), WEBHOOKS_TO_PRIVATE
 * (off; on: webhook receivers may be on loopback or private addresses). adapter-node's own
 * variables (ORIGIN, PROTOCOL_HEADER, HOST_HEADER, BODY_SIZE_LIMIT, …) pass through to it.
 */
import path from 'node:path';
import { AccessControl } from './auth/access';
import type { AddressHeader } from './client-address';
import { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from './http';
import { TokenIssuer } from './auth/tokens';
import { stopOnSignals } from './lifecycle';
import { createLogger, parseLogLevel, type Logger } from './log';
import type { AddressLimit } from './rate-limit';
import type { RelayLimits } from './relay/relay';
import type { ShapeLimits } from '../src/lib/sync/shape/contract';
import { RedisTickets } from './auth/shared-tickets';
import { RedisWriteLimiter } from './auth/shared-write-limit';
import { RedisFanout } from './fanout/redis-fanout';
import { openPersistence, parseDatabaseUrl } from './persistence';
import { createScrumOpsServer } from './server';
import { loadSvelteKitHandler } from './sveltekit-handler';

/** How often an instance on a shared store re-reads its connected people's member records. */
const SHARED_STORE_SWEEP_MS = 2_000;

interface ServerConfig {
	port: number;
	host: string;
	dataDir: string;
	databaseUrl: string | null;
	databasePoolMax: number | undefined;
	sessionTtlSeconds: number;
	demoBoard: boolean;
	/** Whether the built pages are served; off: the API and the relay only. */
	serveApp: boolean;
	sandboxIdleMs: number;
	limits: Partial<RelayLimits>;
	shapeLimits: Partial<ShapeLimits>;
	writeLimit: AddressLimit;
	addressHeader: AddressHeader | null;
	headersTimeoutMs: number;
	requestTimeoutMs: number;
	/** Redis of several instances serving the same boards; null: this instance is alone. */
	redisUrl: string | null;
	/** Largest board export file an import reads, bytes; undefined: MAX_IMPORT_BYTES. */
	importMaxBytes: number | undefined;
	/** Whether webhook receivers may be on loopback, private or link-local addresses. */
	webhooksToPrivate: boolean;
}

function readConfig(env: NodeJS.ProcessEnv): ServerConfig {
	const headersTimeoutMs = positiveInteger(env, 'HEADERS_TIMEOUT_MS') ?? DEFAULT_HEADERS_TIMEOUT_MS;
	const requestTimeoutMs = positiveInteger(env, 'REQUEST_TIMEOUT_MS') ?? DEFAULT_REQUEST_TIMEOUT_MS;
	if (headersTimeoutMs > requestTimeoutMs) {
		throw new Error(
			`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) is longer than REQUEST_TIMEOUT_MS (${requestTimeoutMs}): the headers are part of the request, so raise REQUEST_TIMEOUT_MS or lower HEADERS_TIMEOUT_MS.`
		);
	}
	return {
		port: parsePort(env.PORT),
		host: env.HOST?.trim() || '0.0.0.0',
		dataDir: path.resolve(env.DATA_DIR?.trim() || 'data'),
		databaseUrl: parseDatabaseUrl(env),
		databasePoolMax: positiveInteger(env, 'DATABASE_POOL_MAX'),
		sessionTtlSeconds: (positiveInteger(env, 'SESSION_TTL_DAYS') ?? 30) * 24 * 60 * 60,
		demoBoard: parseSwitch(env, 'DEMO_BOARD', true),
		serveApp: parseSwitch(env, 'SERVE_APP', true),
		webhooksToPrivate: parseSwitch(env, 'WEBHOOKS_TO_PRIVATE', false),
		sandboxIdleMs: (positiveInteger(env, 'DEMO_SANDBOX_IDLE_HOURS') ?? 24) * 60 * 60 * 1000,
		limits: {
			maxMessageBytes: positiveInteger(env, 'MAX_MESSAGE_BYTES'),
			messagesPerSecond: positiveInteger(env, 'RATE_LIMIT_PER_SECOND'),
			messageBurst: positiveInteger(env, 'RATE_LIMIT_BURST')
		},
		shapeLimits: {
			maxUpdateBytes: positiveInteger(env, 'MAX_UPDATE_BYTES'),
			maxTextLength: positiveInteger(env, 'MAX_TEXT_LENGTH'),
			maxEntities: positiveInteger(env, 'MAX_ENTITIES_PER_COLLECTION'),
			maxItems: positiveInteger(env, 'MAX_ITEMS_PER_FIELD')
		},
		writeLimit: {
			perMinute: positiveInteger(env, 'API_WRITES_PER_MINUTE') ?? 60,
			burst: positiveInteger(env, 'API_WRITE_BURST') ?? 60
		},
		addressHeader: parseAddressHeader(env),
		headersTimeoutMs,
		requestTimeoutMs,
		redisUrl: parseRedisUrl(env),
		importMaxBytes: positiveInteger(env, 'MAX_IMPORT_BYTES')
	};
}

/**
 * ADDRESS_HEADER and XFF_DEPTH, named as adapter-node names them. Unset (or `off`): the socket's
 * address, since a header is only trustworthy when a proxy in front of the server sets it.
 */
function parseAddressHeader(env: NodeJS.ProcessEnv): AddressHeader | null {
	const name = env.ADDRESS_HEADER?.trim().toLowerCase();
	const xffDepth = positiveInteger(env, 'XFF_DEPTH') ?? 1;
	if (!name || name === 'off') return null;
	if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
		throw new Error(
			`ADDRESS_HEADER is ${JSON.stringify(env.ADDRESS_HEADER)}, which is not a header name: use e.g. x-forwarded-for.`
		);
	}
	return { name, xffDepth };
}

/** REDIS_URL: unset or empty means no Redis (and no connection to one). */
function parseRedisUrl(env: NodeJS.ProcessEnv): string | null {
	const value = env.REDIS_URL?.trim();
	if (!value) return null;
	if (!/^rediss?:\/\/./.test(value)) {
		throw new Error(
			`REDIS_URL is ${JSON.stringify(value)}: use a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379.`
		);
	}
	return value;
}

/** An optional positive integer setting; unset means the default. */
function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
	const value = env[name]?.trim();
	if (!value) return undefined;
	const number = Number(value);
	if (!Number.isInteger(number) || number <= 0) {
		throw new Error(`${name} is ${JSON.stringify(value)}: use a whole number above 0.`);
	}
	return number;
}

/** The settings that were given: unset ones keep their defaults. */
function definedOnly<T extends object>(settings: { [K in keyof T]: T[K] | undefined }): Partial<T> {
	return Object.fromEntries(
		Object.entries(settings).filter(([, value]) => value !== undefined)
	) as Partial<T>;
}

/** An on/off setting; unset means `fallback`. */
function parseSwitch(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
	const value = env[name]?.trim().toLowerCase();
	if (!value) return fallback;
	if (['on', 'true', '1', 'yes'].includes(value)) return true;
	if (['off', 'false', '0', 'no'].includes(value)) return false;
	throw new Error(`${name} is ${JSON.stringify(env[name])}: use on or off.`);
}

function parsePort(value: string | undefined): number {
	if (value === undefined || value.trim() === '') return 3000;
	const port = Number(value);
	if (!Number.isInteger(port) || port < 0 || port > 65_535) {
		throw new Error(`PORT is ${JSON.stringify(value)}: use a whole number from 0 to 65535.`);
	}
	return port;
}

async function main(log: Logger): Promise<void> {
	const config = readConfig(process.env);
	const app = config.serveApp ? await loadSvelteKitHandler() : undefined;
	const { store, members, integrations, webhooks, secret, where, secretWhere } =
		await openPersistence({
			databaseUrl: config.databaseUrl,
			dataDir: config.dataDir,
			poolMax: config.databasePoolMax
		});
	if (secret.source === 'generated') {
		log.info('generated the token secret', { into: secretWhere });
	}
	const access = new AccessControl({
		tokens: new TokenIssuer(secret.key),
		members,
		// On PostgreSQL, other instances may remove or change the people connected here.
		...(config.databaseUrl ? { sharedStoreSweepMs: SHARED_STORE_SWEEP_MS } : {}),
		// With other instances, a page's ticket may be asked of one and used on another.
		...(config.redisUrl
			? {
					sharedTickets: new RedisTickets({
						url: config.redisUrl,
						log: log.child({ component: 'tickets' })
					})
				}
			: {})
	});

	const fanout = config.redisUrl
		? new RedisFanout({ url: config.redisUrl, log: log.child({ component: 'fanout' }) })
		: undefined;
	const running = createScrumOpsServer({
		port: config.port,
		host: config.host,
		log,
		app,
		store,
		access,
		integrations,
		webhookStore: webhooks,
		// Events link to the board when the public URL is known.
		webhooks: {
			publicUrl: process.env.ORIGIN?.trim() || null,
			allowPrivateAddresses: config.webhooksToPrivate
		},
		sessionTtlSeconds: config.sessionTtlSeconds,
		demo: config.demoBoard,
		sandboxIdleMs: config.sandboxIdleMs,
		limits: config.limits,
		shapeLimits: definedOnly(config.shapeLimits),
		// With other instances, an address has one budget however its requests are spread.
		writeLimit: config.redisUrl
			? new RedisWriteLimiter({
					url: config.redisUrl,
					limit: config.writeLimit,
					log: log.child({ component: 'write-limit' })
				})
			: config.writeLimit,
		addressHeader: config.addressHeader,
		headersTimeoutMs: config.headersTimeoutMs,
		requestTimeoutMs: config.requestTimeoutMs,
		importMaxBytes: config.importMaxBytes,
		fanout
	});
	const address = await running.listen();
	log.info('listening', {
		url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
		...where,
		instance: fanout?.instanceId ?? null
	});

	stopOnSignals(() => running.close(), log);
}

// LOG_LEVEL is parsed before anything else so a typo there is reported, not silently ignored.
let log: Logger;
try {
	log = createLogger({ level: parseLogLevel(process.env.LOG_LEVEL) });
} catch (error) {
	log = createLogger();
	log.error('invalid configuration', { error });
	process.exit(1);
}

main(log).catch((error: unknown) => {
	log.error('startup failed', { error });
	process.exit(1);
});
