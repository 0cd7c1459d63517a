/**
 * Comments written, answered, edited and withdrawn concurrently on several replicas, delivered in
 * a seeded random order with duplicates, end the same everywhere: the same documents, the same
 * comments, the same threads and the same mentions for every person.
 */
import * as prng from 'lib0/prng';
import { describe, expect, test } from 'vitest';
import { mentionsOf, threadOf } from '../../../src/lib/domain/comments';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import { INTENTS } from '../../helpers/random-ops';
import { Network, snapshot, type Replica } from '../../helpers/replicas';
import { ScrumOpsError } from '../../../src/lib/domain/errors';

const SEEDS = [11, 12, 13, 14];
const STEPS = 300;

function readable(replica: Replica) {
	const state = replica.projection.state;
	const comments = [...state.comments.values()];
	const targets = [...new Set(comments.map((c) => `${c.targetKind}:${c.targetId}`))].sort();
	return {
		comments: [...state.comments.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
		threads: targets.map((t) => {
			const [kind, id] = t.split(':') as ['story' | 'workPackage', string];
			return threadOf(comments, kind, id).map((c) => [c.comment.id, c.depth]);
		}),
		mentions: [...state.people.keys()].sort().map((p) => mentionsOf(comments, p)),
		rejected: [...replica.projection.rejected]
	};
}

describe('[D6.13] comments converge', () => {
	test.each(SEEDS)('seed %i: 3 replicas comment, reply, edit and withdraw at once', (seed) => {
		const network = new Network(3, seed);
		seedDemoBoard(network.replicas[0]!.docs, network.replicas[0]!.ctx, '2026-11-23');
		network.flush();
		let accepted = 0;
		for (let step = 0; step < STEPS; step++) {
			if (prng.uint32(network.gen, 0, 9) < 6) {
				const replica = prng.oneOf(network.gen, network.replicas);
				replica.ctx.advance(1);
				try {
					INTENTS.comment!(replica, network.gen);
					accepted++;
				} catch (error) {
					if (!(error instanceof ScrumOpsError)) throw error;
				}
			} else network.deliverOne();
		}
		network.flush();
		expect(accepted).toBeGreaterThan(100);
		const [first, ...others] = network.replicas as [Replica, ...Replica[]];
		expect(first.projection.state.comments.size).toBeGreaterThan(50);
		expect(readable(first).rejected).toEqual([]);
		for (const replica of others) {
			expect(snapshot(replica)).toEqual(snapshot(first));
			expect(readable(replica)).toEqual(readable(first));
		}
	});
});
