/**
 * A person's own document over real sockets: what they dismiss on one device reaches their
 * other devices and is stored; nobody else, the board's admin included, can open it; a
 * stakeholder writes theirs; it holds what the contract says and nothing else.
 */
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { DISMISSED_KEY } from '../../src/lib/sync/layout';
import { RawClient, upgradeStatus } from '../helpers/raw-client';
import { eventually, startTestServer, synced, type As, type TestServer } from '../helpers/server';

let server: TestServer;
const closers: (() => void)[] = [];

beforeEach(async () => {
	server = await startTestServer();
});

afterEach(async () => {
	for (const close of closers.splice(0)) close();
	await server.close();
});

const ANA = { personId: 'ana', name: 'Ana', roles: ['team-member' as const] };

async function device(as: As = ANA, name = 'acme/person/ana') {
	const provider = await server.connect(name, { as });
	closers.push(() => provider.destroy());
	await synced(provider);
	return provider;
}

describe('a personal document', () => {
	test('a notification dismissed on one device is dismissed on the others, and stored', async () => {
		const laptop = await device();
		const phone = await device();
		laptop.doc.getMap(DISMISSED_KEY).set('escalation:wp-1:0', '2026-11-30T10:00:00.000Z');
		await eventually(() => phone.doc.getMap(DISMISSED_KEY).has('escalation:wp-1:0'), {
			what: 'the phone hears of the dismissal'
		});
		// A device opened later, after both went away, reads it from the store.
		laptop.destroy();
		phone.destroy();
		const tablet = await device();
		expect(tablet.doc.getMap(DISMISSED_KEY).get('escalation:wp-1:0')).toBe(
			'2026-11-30T10:00:00.000Z'
		);
	});

	test('nobody else opens it: another member and the board’s admin are refused with 403', async () => {
		const bob = await upgradeStatus(
			await server.url('acme/person/ana', { personId: 'bob', roles: ['team-member'] })
		);
		expect(bob.status).toBe(403);
		expect(bob.body).toMatch(/its own person only/);
		const admin = await upgradeStatus(
			await server.url('acme/person/ana', { personId: 'alice', admin: true })
		);
		expect(admin.status).toBe(403);
		const own = await upgradeStatus(await server.url('acme/person/ana', ANA));
		expect(own.status).toBe(101);
	});

	test('a stakeholder, who writes nothing of the board, dismisses their own notifications', async () => {
		const viewer = { personId: 'sue', name: 'Sue', roles: ['stakeholder' as const] };
		const first = await device(viewer, 'acme/person/sue');
		const second = await device(viewer, 'acme/person/sue');
		first.doc.getMap(DISMISSED_KEY).set('mention:c-1', '2026-11-30T10:00:00.000Z');
		await eventually(() => second.doc.getMap(DISMISSED_KEY).has('mention:c-1'));
	});

	test('a root key the contract does not give a personal document is refused with the reason', async () => {
		const raw = await RawClient.open(await server.url('acme/person/ana', ANA));
		closers.push(() => raw.terminate());
		const forged = new Y.Doc();
		forged.getMap('stories').set('s-1', new Y.Map([['title', 'smuggled']]));
		const frame = encoding.createEncoder();
		encoding.writeVarUint(frame, 0);
		encoding.writeVarUint(frame, 2);
		encoding.writeVarUint8Array(frame, Y.encodeStateAsUpdate(forged));
		raw.send(encoding.toUint8Array(frame));
		await eventually(() => raw.permissionDenied().length === 1, { what: 'permission denied' });
		expect(raw.permissionDenied()[0]).toMatch(/not a root key of a person document/);
		const reader = await device();
		expect(reader.doc.getMap('stories').size).toBe(0);
	});
});
