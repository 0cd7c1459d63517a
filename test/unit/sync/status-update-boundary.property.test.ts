/**
 * Hostile status updates at the write boundary, without sockets: a member sends, in one update,
 * any mix of posts in any name, rewrites and removals of posted updates, the list replaced, and
 * roles given. The check accepts exactly what D6.6 allows: new posts in the sender's own name
 * by whoever is commander or communications lead once the update applies, and nothing changed
 * of what was posted before.
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import * as Y from 'yjs';
import { statusUpdateProblem } from '../../../server/validation/status-updates';

const SENDER = { id: 'rob', name: 'Rob', roles: ['team-member'] as const };
const WP = 'wp-1';

const action = fc.oneof(
	fc.record({ kind: fc.constant('post' as const), personId: fc.constantFrom('rob', 'ana', '') }),
	fc.record({
		kind: fc.constant('edit' as const),
		field: fc.constantFrom('text', 'state', 'personId', 'at')
	}),
	fc.record({ kind: fc.constant('remove' as const) }),
	fc.record({ kind: fc.constant('replace' as const) }),
	fc.record({
		kind: fc.constant('role' as const),
		field: fc.constantFrom('commanderId', 'commsLeadId'),
		personId: fc.constantFrom('rob', 'ana', null)
	})
);
type Action = typeof action extends fc.Arbitrary<infer T> ? T : never;

const stored = fc.record({
	commanderId: fc.constantFrom('ana', 'rob', null),
	commsLeadId: fc.constantFrom('ana', 'rob', null),
	posted: fc.integer({ min: 0, max: 2 })
});
type Stored = typeof stored extends fc.Arbitrary<infer T> ? T : never;

function entry(personId: string, text: string): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const [key, value] of Object.entries({
		at: '2026-11-30T10:00:00.000Z',
		personId,
		state: 'investigating',
		text
	}))
		map.set(key, value);
	return map;
}

/** The board as the server holds it: one work package, its roles and what was posted. */
function serverDoc(s: Stored): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		const wp = new Y.Map<unknown>();
		doc.getMap('workPackages').set(WP, wp);
		wp.set('id', WP);
		wp.set('commanderId', s.commanderId);
		wp.set('commsLeadId', s.commsLeadId);
		const list = new Y.Array<Y.Map<unknown>>();
		wp.set('statusUpdates', list);
		for (let i = 0; i < s.posted; i++) list.push([entry('ana', `posted ${i}`)]);
	});
	return doc;
}

/**
 * Whether D6.6 allows the actions, applied in order on the stored state: the oracle. What an
 * update adds and drops again before it is sent (a post removed, a list replaced) never lands.
 */
function allowed(s: Stored, actions: Action[]): boolean {
	let list = Array.from({ length: s.posted }, () => ({ stored: true, personId: 'ana' }));
	const roles: Record<string, string | null> = {
		commanderId: s.commanderId,
		commsLeadId: s.commsLeadId
	};
	for (const a of actions) {
		const first = list[0];
		if (a.kind === 'post') list.push({ stored: false, personId: a.personId });
		else if (a.kind === 'edit' && first) {
			if (first.stored) return false;
			if (a.field === 'personId') first.personId = 'changed';
		} else if (a.kind === 'remove' && first) {
			if (first.stored) return false;
			list = list.slice(1);
		} else if (a.kind === 'replace') {
			if (list.some((e) => e.stored)) return false;
			list = [];
		} else if (a.kind === 'role') roles[a.field] = a.personId;
	}
	const posts = list.filter((e) => !e.stored);
	if (posts.length === 0) return true;
	return posts.every((e) => e.personId === SENDER.id) && Object.values(roles).includes(SENDER.id);
}

test.prop([stored, fc.array(action, { minLength: 1, maxLength: 4 })], { numRuns: 400 })(
	'[D6.6][D14] a hostile status update is accepted exactly when its sender speaks for the incident and leaves what was posted',
	(s, actions) => {
		const server = serverDoc(s);
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
		const before = Y.encodeStateVector(client);
		client.transact(() => {
			const wp = client.getMap('workPackages').get(WP) as Y.Map<unknown>;
			for (const a of actions) {
				const list = wp.get('statusUpdates') as Y.Array<Y.Map<unknown>>;
				if (a.kind === 'post') list.push([entry(a.personId, 'new')]);
				else if (a.kind === 'edit' && list.length > 0) list.get(0).set(a.field, 'changed');
				else if (a.kind === 'remove' && list.length > 0) list.delete(0, 1);
				else if (a.kind === 'replace') wp.set('statusUpdates', new Y.Array());
				else if (a.kind === 'role') wp.set(a.field, a.personId);
			}
		});
		const update = Y.encodeStateAsUpdate(client, before);
		const problem = statusUpdateProblem(server, Y.decodeUpdate(update), SENDER);
		expect(problem === null).toBe(allowed(s, actions));
		if (problem) expect(problem.path).toBe(`workPackages/${WP}/statusUpdates`);
	}
);
