import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { validate } from '../../../src/lib/domain/validation/engine';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import { backlogOrder, readStandup } from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { randomIntent } from '../../helpers/random-ops';
import { Network, snapshot, type Replica } from '../../helpers/replicas';

const SEEDS = [1, 2, 3, 4, 5, 6];
const OPS_PER_SEED = 250;
const CHECK_AT = Date.parse('2026-11-24T12:00:00.000Z');
/** Weeks later: the reviews of the incidents completed during the run are overdue (R19). */
const LATER = Date.parse('2026-12-24T12:00:00.000Z');

/** Seeds replica 0 with the demo board and lets every replica receive it. */
function startedNetwork(replicas: number, seed: number): Network {
	const network = new Network(replicas, seed);
	seedDemoBoard(network.replicas[0]!.docs, network.replicas[0]!.ctx, '2026-11-23');
	network.flush();
	return network;
}

function expectConverged(network: Network): void {
	const [first, ...others] = network.replicas as [Replica, ...Replica[]];
	for (const replica of network.replicas) replica.projection.setNow(CHECK_AT);
	const expectedDocs = snapshot(first);
	const expectedFindings = first.projection.findings();
	for (const replica of others) {
		expect(snapshot(replica)).toEqual(expectedDocs);
		for (const [name, doc] of replica.documents()) {
			const twin = first.documents().find(([n]) => n === name)![1];
			expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(twin));
		}
		expect(replica.projection.findings()).toEqual(expectedFindings);
		// Every screen shows the same standup round of each team, and the same summaries.
		for (const teamId of first.projection.state.teams.keys()) {
			expect(readStandup(replica.docs, teamId)).toEqual(readStandup(first.docs, teamId));
		}
		expect(replica.projection.state.standupSummaries).toEqual(
			first.projection.state.standupSummaries
		);
	}
	for (const replica of network.replicas) {
		// The live, incrementally maintained findings equal a from-scratch validation …
		expect(replica.projection.findings()).toEqual(validate(replica.projection.state, CHECK_AT));
		// … and a projection built afresh from the documents sees the same board.
		const fresh = new BoardProjection(replica.docs, { now: CHECK_AT });
		expect(fresh.findings()).toEqual(expectedFindings);
		expect(fresh.rejected).toEqual(replica.projection.rejected);
		fresh.destroy();
		// The backlog lists every story exactly once.
		const order = backlogOrder(replica.docs).map((s) => s.id);
		expect(new Set(order).size).toBe(order.length);
		expect(order.length).toBe(replica.projection.state.stories.size);
	}
	// Moving the clock on: every replica reports the same overdue reviews, once per incident.
	for (const replica of network.replicas) replica.projection.setNow(LATER);
	const later = first.projection.findings();
	const overdue = later.filter((f) => f.rule === 'R19').map((f) => f.refs[0]!.id);
	expect(new Set(overdue).size).toBe(overdue.length);
	for (const replica of network.replicas) {
		expect(replica.projection.findings()).toEqual(later);
		expect(later).toEqual(validate(replica.projection.state, LATER));
	}
}

describe('convergence under random concurrent edits', () => {
	let total = 0;
	const refused: Record<string, number> = {};
	const acceptedByIntent: Record<string, number> = {};

	test.each(SEEDS)(
		'seed %i: 3–4 replicas, every operation, shuffled and duplicated delivery',
		(seed) => {
			const network = startedNetwork(seed % 2 === 0 ? 4 : 3, seed);
			let accepted = 0;
			for (let step = 0; step < OPS_PER_SEED * 2; step++) {
				if (
					accepted < OPS_PER_SEED &&
					(prng.uint32(network.gen, 0, 9) < 5 || network.pending === 0)
				) {
					const replica = prng.oneOf(network.gen, network.replicas);
					const result = randomIntent(replica, network.gen);
					if (result.accepted) {
						accepted++;
						acceptedByIntent[result.name] = (acceptedByIntent[result.name] ?? 0) + 1;
					} else refused[result.name] = (refused[result.name] ?? 0) + 1;
				} else {
					network.deliverOne();
				}
			}
			network.flush();
			total += accepted;
			expect(network.duplicated).toBeGreaterThan(0);
			expectConverged(network);
		}
	);

	test('covers at least 1,000 accepted random operations across seeds', () => {
		expect(total).toBeGreaterThanOrEqual(1000);
		// The standup's rounds (start, next, skip, absent, take over, end, updates) are among them.
		expect(acceptedByIntent.standup).toBeGreaterThan(20);
	});
});
