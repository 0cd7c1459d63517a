/**
 * One ScrumOps instance as the cluster benchmark runs it, in its own process: the production
 * assembly of server/index.ts (store chosen by DATABASE_URL, else SQLite in DATA_DIR; with
 * REDIS_URL, Redis fan-out and shared connection tickets; on PostgreSQL, the member re-read of
 * a shared store) without the web app, so no UI build is needed, and with the per-connection
 * rate limit lifted as in the relay benchmark (its writers exceed it on purpose). Logs the
 * production "listening" line, which the harness reads the port from.
 */
import path from 'node:path';
import { AccessControl } from '../../server/auth/access';
import { RedisTickets } from '../../server/auth/shared-tickets';
import { TokenIssuer } from '../../server/auth/tokens';
import { RedisFanout } from '../../server/fanout/redis-fanout';
import { stopOnSignals } from '../../server/lifecycle';
import { createLogger } from '../../server/log';
import { openPersistence, parseDatabaseUrl } from '../../server/persistence';
import { createScrumOpsServer } from '../../server/server';

/** As server/index.ts: how often an instance on a shared store re-reads its people's records. */
const SHARED_STORE_SWEEP_MS = 2_000;

if (process.env.CLUSTER_BENCH_CHILD === '1') {
	const log = createLogger({ level: 'info' });
	const databaseUrl = parseDatabaseUrl(process.env);
	const redisUrl = process.env.REDIS_URL?.trim() || null;
	const poolMax = Number(process.env.DATABASE_POOL_MAX) || undefined;
	const { store, members, secret, where } = await openPersistence({
		databaseUrl,
		dataDir: path.resolve(process.env.DATA_DIR ?? 'data'),
		poolMax
	});
	const access = new AccessControl({
		tokens: new TokenIssuer(secret.key),
		members,
		...(databaseUrl ? { sharedStoreSweepMs: SHARED_STORE_SWEEP_MS } : {}),
		...(redisUrl
			? {
					sharedTickets: new RedisTickets({
						url: redisUrl,
						log: log.child({ component: 'tickets' })
					})
				}
			: {})
	});
	const fanout = redisUrl
		? new RedisFanout({ url: redisUrl, log: log.child({ component: 'fanout' }) })
		: undefined;
	const server = createScrumOpsServer({
		port: Number(process.env.PORT ?? 0),
		host: process.env.HOST ?? '127.0.0.1',
		log,
		store,
		access,
		demo: false,
		limits: { messagesPerSecond: 1_000_000, messageBurst: 1_000_000 },
		fanout
	});
	const address = await server.listen();
	log.info('listening', {
		url: `http://127.0.0.1:${address.port}`,
		...where,
		instance: fanout?.instanceId ?? null
	});
	stopOnSignals(() => server.close(), log);
}
