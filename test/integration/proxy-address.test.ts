/**
 * Behind a reverse proxy the API write limit counts each client by the address the proxy
 * forwards (ADDRESS_HEADER, XFF_DEPTH), not by the proxy's own; without that setting the header
 * is ignored, so a client cannot pick a new address to escape its limit.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

const servers: TestServer[] = [];

afterEach(async () => {
	for (const server of servers.splice(0)) await server.close();
});

async function serve(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
	const server = await startTestServer({ store: 'memory', ...options });
	servers.push(server);
	return server;
}

/** A POST the limit counts; its body is refused (415), so it writes nothing either way. */
async function write(server: TestServer, headers: Record<string, string> = {}) {
	const response = await fetch(`${server.httpUrl}/api/boards`, {
		method: 'POST',
		headers,
		body: 'not json'
	});
	await response.body?.cancel();
	return { status: response.status, retryAfter: response.headers.get('retry-after') };
}

const from = (address: string) => ({ 'x-forwarded-for': address });
const writeLimit = { perMinute: 1, burst: 2 };

describe('the API write limit behind a proxy', () => {
	test('with ADDRESS_HEADER, each forwarded client has its own budget', async () => {
		const server = await serve({
			writeLimit,
			addressHeader: { name: 'x-forwarded-for', xffDepth: 1 }
		});
		const alice = from('203.0.113.7');
		expect((await write(server, alice)).status).toBe(415);
		expect((await write(server, alice)).status).toBe(415);
		const limited = await write(server, alice);
		expect(limited.status).toBe(429);
		expect(Number(limited.retryAfter)).toBeGreaterThan(0);

		// Another client behind the same proxy is still answered.
		expect((await write(server, from('198.51.100.4'))).status).toBe(415);
		// Addresses Alice writes in front of the proxy's do not count: the proxy's entry does.
		expect((await write(server, from('192.0.2.1, 203.0.113.7'))).status).toBe(429);
	});

	test('a missing or malformed header counts against the socket address', async () => {
		const server = await serve({
			writeLimit,
			addressHeader: { name: 'x-forwarded-for', xffDepth: 1 }
		});
		expect((await write(server)).status).toBe(415);
		expect((await write(server, from('not-an-address'))).status).toBe(415);
		expect((await write(server, from(''))).status).toBe(429);
		expect((await write(server, from('203.0.113.7'))).status).toBe(415);
	});

	test('without ADDRESS_HEADER the header is ignored: a new address escapes nothing', async () => {
		const server = await serve({ writeLimit });
		expect((await write(server, from('203.0.113.7'))).status).toBe(415);
		expect((await write(server, from('198.51.100.4'))).status).toBe(415);
		expect((await write(server, from('192.0.2.99'))).status).toBe(429);
	});
});
