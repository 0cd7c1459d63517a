/**
 * Connection tickets behind a load balancer: a page asks one instance for a ticket and may open
 * its WebSocket on another. Two instances sharing one store and one Redis: a ticket issued by
 * either opens a connection on the other, once; with Redis gone, tickets still work on the
 * instance that issued them.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startTestCluster, type TestCluster } from '../helpers/cluster';
import { upgradeStatus } from '../helpers/raw-client';
import { startTestRedis, type TestRedis } from '../helpers/redis';
import { mintToken } from '../helpers/server';
import { TokenIssuer } from '../../server/auth/tokens';

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
