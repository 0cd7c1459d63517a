/**
 * Cross-site WebSocket hijacking: a page on another site can make a visitor's browser open a
 * WebSocket to this server, with the visitor's cookies and the other site's Origin. The upgrade
 * never reads cookies, so such a connection carries nothing that speaks for the visitor.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { upgradeStatus } from '../helpers/raw-client';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;

beforeEach(async () => {
	server = await startTestServer({ store: 'memory' });
});

afterEach(async () => {
	await server.close();
});

test('an upgrade with a valid session token in a cookie, from another site, is refused with 401', async () => {
	const token = await server.token('acme');
	const refused = await upgradeStatus(`${server.syncUrl}/acme`, {
		origin: 'https://evil.example',
		cookie: `scrumops_token=${token}; token=${token}; ticket=${token}`
	});
	expect(refused.status).toBe(401);
	expect(refused.body).toMatch(/session token is needed/);
	// The same cookie from this server's own origin speaks for nobody either.
	const own = await upgradeStatus(`${server.syncUrl}/acme`, {
		origin: server.httpUrl,
		cookie: `scrumops_token=${token}`
	});
	expect(own.status).toBe(401);
});
