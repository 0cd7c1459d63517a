/**
 * Who speaks for an incident (docs/schema.md D6.6, D14): the server refuses, per connection, a
 * status update posted by someone without the role or in another's name, and any change to one
 * already posted; nothing of it is stored or relayed. Real server, real sockets, real SQLite,
 * the official client.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as Y from 'yjs';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import * as op from '../../src/lib/sync/operations';
import { BoardClient } from '../helpers/board-client';
import { deniedReasons } from '../helpers/denied';
import { storedDoc } from '../helpers/contract-shape';
import { fixedContext } from '../helpers/op-context';
import { eventually, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
const closers: (() => void)[] = [];

beforeEach(async () => {
	server = await startTestServer();
});

afterEach(async () => {
	for (const close of closers.splice(0)) close();
	vi.restoreAllMocks();
	await server.close();
});

/** An open SEV1 with Ana as its commander; Ana and Rob (a responder) connected. */
async function incident() {
	const admin = await BoardClient.open(server, 'acme');
	closers.push(() => admin.destroy());
	await admin.synced();
	const ctx = fixedContext('ada');
	op.createBoard(admin.docs, ctx, { name: 'Acme' });
	op.addPerson(admin.docs, ctx, { id: 'ana', name: 'Ana', roles: ['team-member'] });
	op.addPerson(admin.docs, ctx, { id: 'rob', name: 'Rob', roles: ['team-member'] });
	const story = op.createStory(admin.docs, ctx, {
		title: 'Production support',
		duration: 'recurring'
	});
	const wp = op.createWorkPackage(admin.docs, ctx, {
		storyId: story.id,
		title: 'Checkout down',
		category: 'incident',
		severity: 'SEV1'
	});
	op.setIncidentRole(admin.docs, ctx, wp.id, 'commander', 'ana');
	await admin.synced();
	const open = async (personId: string, name: string) => {
		const client = await BoardClient.open(server, 'acme', { personId, name });
		closers.push(() => client.destroy());
		await client.synced();
		await eventually(() => client.projection.state.workPackages.get(wp.id)?.commanderId, {
			what: 'the incident'
		});
		return client;
	};
	return { wp, ana: await open('ana', 'Ana'), rob: await open('rob', 'Rob') };
}

const updatesOf = (docs: BoardDocs, id: string) =>
	(docs.collection('workPackages').get(id)?.get('statusUpdates') as Y.Array<Y.Map<unknown>>) ??
	null;

/** Appends a status update with yjs alone, as a client that skips the app's checks would. */
function forgePost(docs: BoardDocs, id: string, personId: string, text: string) {
	docs.board.transact(() => {
		const wp = docs.collection('workPackages').get(id)!;
		let list = wp.get('statusUpdates');
		if (!(list instanceof Y.Array)) wp.set('statusUpdates', (list = new Y.Array()));
		const entry = new Y.Map<unknown>();
		for (const [key, value] of Object.entries({
			at: new Date().toISOString(),
			personId,
			state: 'resolved',
			text
		}))
			entry.set(key, value);
		(list as Y.Array<Y.Map<unknown>>).push([entry]);
	});
}

describe('[D6.6] the server keeps status updates to the people who speak for the incident', () => {
	test('a responder cannot post, nor post in the commander’s name; the commander posts', async () => {
		const { wp, ana, rob } = await incident();
		const denied = deniedReasons();
		const path = `workPackages/${wp.id}/statusUpdates`;

		// The operation refuses first: the app never sends such a post.
		expect(() =>
			op.postStatusUpdate(rob.docs, fixedContext('r', 'rob'), wp.id, {
				state: 'resolved',
				text: 'All good'
			})
		).toThrow(/Only the incident commander or the communications lead/);

		forgePost(rob.docs, wp.id, 'rob', 'All good, go home');
		await eventually(() => denied().length === 1, { what: 'own-name post refused' });
		expect(denied()[0]).toBe(
			`${path}: only the incident commander or the communications lead posts its status updates`
		);
		forgePost(rob.docs, wp.id, 'ana', 'Resolved (signed Ana)');
		await eventually(() => denied().length === 2, { what: 'forged post refused' });
		expect(denied()[1]).toBe(
			`${path}: a status update names who posts it, the person sending it (rob)`
		);
		await eventually(() => (updatesOf(rob.docs, wp.id)?.length ?? 0) === 0, {
			what: 'the forgeries leave the sender'
		});

		op.postStatusUpdate(ana.docs, fixedContext('a', 'ana'), wp.id, {
			state: 'identified',
			text: 'Bad deploy of the payment service'
		});
		await eventually(() => rob.projection.state.workPackages.get(wp.id)?.statusUpdates.length, {
			what: 'the commander’s post reaches Rob'
		});
		const stored = await storedDoc(server.store, 'acme');
		const list = (stored.getMap('workPackages').get(wp.id) as Y.Map<unknown>).get(
			'statusUpdates'
		) as Y.Array<Y.Map<unknown>>;
		expect(list.toArray().map((entry) => entry.get('text'))).toEqual([
			'Bad deploy of the payment service'
		]);
	});

	test('a posted status update is not rewritten or removed, even by the commander', async () => {
		const { wp, ana, rob } = await incident();
		const denied = deniedReasons();
		op.postStatusUpdate(ana.docs, fixedContext('a', 'ana'), wp.id, {
			state: 'investigating',
			text: 'Looking at the error rate'
		});
		await eventually(() => updatesOf(rob.docs, wp.id)?.length === 1, { what: 'posted' });

		updatesOf(rob.docs, wp.id)!.get(0).set('text', 'Nothing to see');
		await eventually(() => denied().length === 1, { what: 'rewrite refused' });
		expect(denied()[0]).toMatch(/once posted, stays as it was/);
		await eventually(
			() => updatesOf(rob.docs, wp.id)?.get(0).get('text') === 'Looking at the error rate',
			{ what: 'restored' }
		);

		updatesOf(ana.docs, wp.id)!.delete(0, 1);
		await eventually(() => denied().length === 2, { what: 'removal refused' });
		await eventually(() => updatesOf(ana.docs, wp.id)?.length === 1, { what: 'restored' });
		expect(rob.projection.state.workPackages.get(wp.id)?.statusUpdates).toMatchObject([
			{ personId: 'ana', text: 'Looking at the error rate' }
		]);
	});

	test('a commander named offline posts in the same update', async () => {
		const { wp, rob } = await incident();
		const denied = deniedReasons();
		const ctx = fixedContext('r', 'rob');
		rob.docs.board.transact(() => {
			op.setIncidentRole(rob.docs, ctx, wp.id, 'comms', 'rob');
			op.postStatusUpdate(rob.docs, ctx, wp.id, { state: 'monitoring', text: 'Watching it' });
		});
		await eventually(
			async () => {
				const stored = await storedDoc(server.store, 'acme');
				const entity = stored.getMap('workPackages').get(wp.id) as Y.Map<unknown>;
				return (entity.get('statusUpdates') as Y.Array<unknown> | undefined)?.length === 1;
			},
			{ what: 'the post is stored' }
		);
		expect(denied()).toEqual([]);
	});
});
