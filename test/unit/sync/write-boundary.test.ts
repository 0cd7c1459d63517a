/**
 * The write boundary without a server: the app's own operations never write what the relay
 * refuses, and a refused update lets every replica, its sender's included, converge on the
 * document as it was, whatever the refused update deleted.
 */
import * as prng from 'lib0/prng';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { ScrumOpsError } from '../../../src/lib/domain/errors';
import type { TransactionOrigin } from '../../../src/lib/sync/layout';
import * as op from '../../../src/lib/sync/operations';
import { UpdateChecker } from '../../../src/lib/sync/shape/check-update';
import { DEFAULT_SHAPE_LIMITS, type DocumentKind } from '../../../src/lib/sync/shape/contract';
import { applyRefused } from '../../../src/lib/sync/shape/refusal';
import { randomIntent } from '../../helpers/random-ops';
import { Network } from '../../helpers/replicas';

const REFUSAL: TransactionOrigin = { kind: 'server-repair', actorId: null, intent: 'refuse' };

/** A server's copy of one document, checking every update it receives. */
class Mirror {
	readonly doc = new Y.Doc();
	readonly checker: UpdateChecker;

	constructor(kind: DocumentKind) {
		this.checker = new UpdateChecker(this.doc, kind, DEFAULT_SHAPE_LIMITS);
	}

	receive(update: Uint8Array): string {
		const verdict = this.checker.check(Y.decodeUpdate(update), update.byteLength);
		if (verdict.kind === 'accept') Y.applyUpdate(this.doc, update);
		return verdict.kind === 'refuse' ? verdict.violation.path : verdict.kind;
	}
}

describe('[D3] the app writes only what the relay accepts', () => {
	test.each([1, 2, 3])(
		'every update of 400 random intents on three replicas passes the boundary (seed %i)',
		(seed) => {
			const network = new Network(3, seed);
			const mirrors = new Map<string, Mirror>();
			const verdicts: string[] = [];
			const watch = (name: string, kind: DocumentKind, doc: Y.Doc) => {
				let mirror = mirrors.get(name);
				if (!mirror) mirrors.set(name, (mirror = new Mirror(kind)));
				doc.on('update', (update: Uint8Array, origin: TransactionOrigin | null) => {
					// Remote copies were checked when their author wrote them; the server's own
					// writes (authorship records) are not a peer's.
					if (origin?.kind === 'local') verdicts.push(mirror.receive(update));
					else if (origin?.kind === 'server-repair') Y.applyUpdate(mirror.doc, update);
				});
			};
			for (const replica of network.replicas) {
				watch('board', 'board', replica.docs.board);
				replica.docs.onTeamDoc((teamId, doc) => watch(`team/${teamId}`, 'team', doc));
			}
			const first = network.replicas[0]!;
			op.createBoard(first.docs, first.ctx, { name: 'Acme' });
			network.flush();
			for (let i = 0; i < 400; i++) {
				const replica = network.replicas[prng.uint32(network.gen, 0, 2)]!;
				randomIntent(replica, network.gen);
				if (prng.uint32(network.gen, 0, 3) === 0) network.flush();
			}
			network.flush();
			expect(verdicts.length).toBeGreaterThan(100);
			expect(verdicts.filter((verdict) => verdict !== 'accept')).toEqual([]);
		}
	);

	test('a story with more acceptance criteria than its text may hold is refused before writing', () => {
		const network = new Network(1, 7);
		const [replica] = network.replicas;
		op.createBoard(replica!.docs, replica!.ctx, { name: 'Acme' });
		const story = op.createStory(replica!.docs, replica!.ctx, { title: 'Checkout' });
		const criteria = Array.from({ length: 2_000 }, (_, i) => `criterion ${i}`);
		const before = Y.encodeStateVector(replica!.docs.board);
		expect(() =>
			op.editStory(replica!.docs, replica!.ctx, story.id, { acceptanceCriteria: criteria })
		).toThrow(
			new ScrumOpsError(
				`This story cannot be saved: stories/${story.id}/acceptanceCriteria: a text of 28889 characters is longer than the 10000 allowed. Shorten it and try again.`
			)
		);
		expect(Y.encodeStateVector(replica!.docs.board)).toEqual(before);
	});

	test('a collection at its bound takes no new entity, and says so', () => {
		const network = new Network(1, 8);
		const [replica] = network.replicas;
		const epics = replica!.docs.board.getMap('epics');
		replica!.docs.board.transact(() => {
			for (let i = 0; i < DEFAULT_SHAPE_LIMITS.maxEntities; i++) epics.set(`e${i}`, new Y.Map());
		});
		expect(() => op.createEpic(replica!.docs, replica!.ctx, { title: 'One more' })).toThrow(
			/already holds 50000 epic entries/
		);
		// 50,000 entities written and read: time enough on a busy machine.
	}, 30_000);
});

describe('a refused update', () => {
	/** A server and a sender, in step; the sender then writes `change` in one transaction. */
	function refuse(setup: (doc: Y.Doc) => void, change: (doc: Y.Doc) => void) {
		const server = new Y.Doc();
		const sender = new Y.Doc();
		const other = new Y.Doc();
		setup(server);
		for (const doc of [sender, other]) Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
		const before = server.getMap('stories').toJSON();
		const vector = Y.encodeStateVector(sender);
		change(sender);
		const update = Y.encodeStateAsUpdate(sender, vector);
		const checker = new UpdateChecker(server, 'board', DEFAULT_SHAPE_LIMITS);
		const verdict = checker.check(Y.decodeUpdate(update), update.byteLength);
		let relayed: Uint8Array | null = null;
		server.once('update', (result: Uint8Array) => (relayed = result));
		applyRefused(server, Y.decodeUpdate(update), REFUSAL);
		for (const doc of [sender, other]) Y.applyUpdate(doc, relayed!);
		return { verdict, before, server, sender, other };
	}

	function story(doc: Y.Doc): Y.Map<unknown> {
		const stories = doc.getMap('stories');
		if (!stories.has('s-1')) stories.set('s-1', new Y.Map());
		return stories.get('s-1') as Y.Map<unknown>;
	}

	test('gives back a field it overwrote and a list item it removed, on every replica', () => {
		const { verdict, before, server, sender, other } = refuse(
			(doc) => {
				story(doc).set('title', 'Checkout');
				story(doc).set('acceptanceCriteria', Y.Array.from(['Card stored', 'Receipt sent']));
			},
			(doc) => {
				story(doc).set('title', new Y.Text('Checkout, hijacked'));
				(story(doc).get('acceptanceCriteria') as Y.Array<string>).delete(0, 1);
			}
		);
		expect(verdict).toMatchObject({ kind: 'refuse', violation: { path: 'stories/s-1/title' } });
		for (const doc of [server, sender, other]) {
			expect(doc.getMap('stories').toJSON()).toEqual(before);
		}
		// The sender's next edit builds on the refused clocks and still integrates everywhere.
		const vector = Y.encodeStateVector(sender);
		story(sender).set('title', 'Checkout v2');
		const next = Y.encodeStateAsUpdate(sender, vector);
		for (const doc of [server, other]) Y.applyUpdate(doc, next);
		for (const doc of [server, other]) expect(story(doc).get('title')).toBe('Checkout v2');
		expect(server.store.pendingStructs).toBeNull();
	});

	test('stores tombstones only: nothing of the refused content is in what the server relays', () => {
		const { server } = refuse(
			(doc) => story(doc).set('title', 'Checkout'),
			(doc) => story(doc).set('iWant', 'secret payload '.repeat(2_000))
		);
		expect(new TextDecoder().decode(Y.encodeStateAsUpdate(server))).not.toContain('secret payload');
	});
});
