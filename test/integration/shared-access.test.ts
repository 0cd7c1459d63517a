/**
 * Access behind a load balancer, with two instances sharing one store and one Redis. A page asks
 * one instance for a connection ticket and may open its WebSocket on another: a ticket issued by
 * either opens a connection on the other, once. An address's API writes count against one
 * budget whichever instance they reach. With Redis gone, each instance still does both alone.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startTestCluster, type TestCluster } from '../helpers/cluster';
import { upgradeStatus } from '../helpers/raw-client';
import { startTestRedis, type TestRedis } from '../helpers/redis';
import { mintToken } from '../helpers/server';
import { RedisWriteLimiter } from '../../server/auth/shared-write-limit';
import { TokenIssuer } from '../../server/auth/tokens';
import { createLogger } from '../../server/log';
import { startTestServer, type TestServer } from '../helpers/server';

let redis: TestRedis;
let cluster: TestCluster;

beforeEach(async () => {
	redis = await startTestRedis();
	cluster = await startTestCluster({ count: 2, redisUrl: redis.url });
});

afterEach(async () => {
	await cluster?.close();
	await redis?.close();
});

async function ticketFrom(httpUrl: string, token: string): Promise<string> {
	const response = await fetch(`${httpUrl}/api/boards/acme/tickets`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}` }
	});
	expect(response.status).toBe(201);
	return ((await response.json()) as { ticket: string }).ticket;
}

test('a ticket issued by one instance opens a connection on another, once', async () => {
	const [a, b] = cluster.instances;
	const token = await mintToken(new TokenIssuer(cluster.secret), 'acme', { personId: 'ana' });
	const ticket = await ticketFrom(a!.httpUrl, token);
	expect((await upgradeStatus(`${b!.syncUrl}/acme?ticket=${ticket}`)).status).toBe(101);
	// Used: neither instance takes it again.
	for (const instance of [a!, b!]) {
		const again = await upgradeStatus(`${instance.syncUrl}/acme?ticket=${ticket}`);
		expect(again.status).toBe(401);
		expect(again.body).toMatch(/used already or never issued/);
	}
});

test('with Redis away, a ticket still opens a connection on the instance that issued it', async () => {
	const [a] = cluster.instances;
	const token = await mintToken(new TokenIssuer(cluster.secret), 'acme', { personId: 'ana' });
	await redis.stop();
	const ticket = await ticketFrom(a!.httpUrl, token);
	expect((await upgradeStatus(`${a!.syncUrl}/acme?ticket=${ticket}`)).status).toBe(101);
});

test('an address’s API writes count against one budget, whichever instance they reach', async () => {
	const log = createLogger({ level: 'error' });
	const limit = { perMinute: 1, burst: 3 };
	const servers: TestServer[] = [];
	try {
		for (let i = 0; i < 2; i++) {
			const writeLimit = new RedisWriteLimiter({ url: redis.url, limit, log });
			await writeLimit.ready();
			servers.push(await startTestServer({ store: 'memory', writeLimit }));
		}
		const create = (server: TestServer) =>
			fetch(`${server.httpUrl}/api/boards`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ name: 'Acme', adminName: 'Ada' })
			});
		// Three, spread over both instances, use up the burst; the fourth waits, on either.
		for (const server of [servers[0]!, servers[1]!, servers[0]!]) {
			expect((await create(server)).status).toBe(201);
		}
		for (const server of servers) {
			const refused = await create(server);
			expect(refused.status).toBe(429);
			expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		}

		// Redis away: each instance counts alone again, from a full budget.
		await redis.stop();
		expect((await create(servers[1]!)).status).toBe(201);
	} finally {
		for (const server of servers) await server.close();
	}
});
