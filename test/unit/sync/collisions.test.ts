/**
 * The conflicts docs/domain.md#what-the-board-checks names: each replica makes a legal edit on its
 * own, the CRDT merges them without asking, and every replica must then report the same finding.
 */
import { describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/lib/domain/findings';
import { seedDemoBoard, type DemoIds } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { Network } from '../../helpers/replicas';

const NOW = Date.parse('2026-11-24T12:00:00.000Z');

function demoNetwork(replicas: number, seed: number): { network: Network; ids: DemoIds } {
	const network = new Network(replicas, seed);
	const ids = seedDemoBoard(network.replicas[0]!.docs, network.replicas[0]!.ctx, '2026-11-23');
	network.flush();
	return { network, ids };
}

/** Findings of one rule on every replica, after everything was delivered. */
function findingsEverywhere(network: Network, rule: Finding['rule']): Finding[][] {
	network.flush();
	return network.replicas.map((r) => {
		r.projection.setNow(NOW);
		return r.projection.findings().filter((f) => f.rule === rule);
	});
}

describe('conflicts the CRDT merges silently surface on every replica', () => {
	test.each([1, 2, 3])(
		'[R4] two Scrum Masters commit the same single-team story to their own sprints (seed %i)',
		(seed) => {
			const { network, ids } = demoNetwork(3, seed);
			const [web, mobile] = network.replicas;
			const darkMode = op.createStory(web!.docs, web!.ctx, { title: 'Dark mode' }).id;
			network.flush();
			// Before the merge each replica sees a legal plan.
			op.commitStory(web!.docs, web!.ctx, ids.sprints.web, darkMode, 8);
			op.commitStory(mobile!.docs, mobile!.ctx, ids.sprints.mobile, darkMode, 13);
			expect(web!.projection.findings().filter((f) => f.rule === 'R4')).toEqual([]);
			const everywhere = findingsEverywhere(network, 'R4');
			for (const findings of everywhere) {
				expect(findings).toEqual(everywhere[0]);
				expect(findings).toHaveLength(1);
				expect(findings[0]!.severity).toBe('error');
				expect(findings[0]!.message).toMatch(/multiple-team/);
				expect(findings[0]!.refs).toContainEqual({ kind: 'story', id: darkMode });
			}
		}
	);

	test.each([1, 2, 3])('[R1] two people take the last 5 points of capacity (seed %i)', (seed) => {
		const { network, ids } = demoNetwork(3, seed);
		const [a, b, observer] = network.replicas;
		// Web: velocity 30, 13 + 5 committed + 9 reserved = 27; add 3 more to leave exactly 5 … minus 2.
		op.updateTeam(a!.docs, a!.ctx, ids.teams.web, { velocity: 32 });
		network.flush();
		const extraA = op.createStory(a!.docs, a!.ctx, {
			title: 'Gift cards',
			teamIds: [ids.teams.web]
		}).id;
		const extraB = op.createStory(b!.docs, b!.ctx, {
			title: 'Wish list',
			teamIds: [ids.teams.web]
		}).id;
		network.flush();
		op.commitStory(a!.docs, a!.ctx, ids.sprints.web, extraA, 5);
		op.commitStory(b!.docs, b!.ctx, ids.sprints.web, extraB, 5);
		for (const r of [a!, b!])
			expect(r.projection.findings().some((f) => f.rule === 'R1')).toBe(false);
		const everywhere = findingsEverywhere(network, 'R1');
		for (const findings of everywhere) expect(findings).toEqual(everywhere[0]);
		const [finding] = everywhere[0]!;
		expect(finding?.severity).toBe('error');
		expect(finding?.message).toContain('37');
		expect(finding?.message).toContain('32');
		expect(observer!.projection.state.sprints.get(ids.sprints.web)!.commitments).toMatchObject({
			[extraA]: 5,
			[extraB]: 5
		});
	});

	test.each([1, 2, 3])(
		'[R2] a Product Owner makes a story recurring while a team commits it as finite (seed %i)',
		(seed) => {
			const { network, ids } = demoNetwork(3, seed);
			const [po, sm] = network.replicas;
			// Web plans 27 points of which 9 are ops (33 %, target 30 % ± 10): balanced.
			const story = op.createStory(po!.docs, po!.ctx, {
				title: 'Nightly data export',
				teamIds: [ids.teams.web],
				productOwnerIds: [ids.people.priya]
			}).id;
			op.updateTeam(po!.docs, po!.ctx, ids.teams.web, { velocity: 40 });
			network.flush();
			op.editStory(po!.docs, po!.ctx, story, { duration: 'recurring', workType: 'ops' });
			op.commitStory(sm!.docs, sm!.ctx, ids.sprints.web, story, 8);
			// Alone, each edit keeps the split within tolerance.
			for (const r of [po!, sm!])
				expect(r.projection.findings().some((f) => f.rule === 'R2')).toBe(false);
			const everywhere = findingsEverywhere(network, 'R2');
			for (const findings of everywhere) {
				expect(findings).toEqual(everywhere[0]);
				expect(findings).toHaveLength(1);
				expect(findings[0]!.severity).toBe('warning');
				// 9 reserved + 8 recurring of 35 points = 49 % ops against a 30 % target.
				expect(findings[0]!.message).toContain('49 %');
			}
		}
	);

	test('[R3] two people assign different Product Owners at once: both stay, R3 names them', () => {
		const { network, ids } = demoNetwork(2, 9);
		const [a, b] = network.replicas;
		op.setProductOwner(a!.docs, a!.ctx, ids.stories.checkout, ids.people.sam);
		op.setProductOwner(b!.docs, b!.ctx, ids.stories.checkout, ids.people.lee);
		const everywhere = findingsEverywhere(network, 'R3');
		for (const findings of everywhere) {
			expect(findings).toEqual(everywhere[0]);
			expect(findings[0]?.message).toContain('Sam (SM)');
			expect(findings[0]?.message).toContain('Lee (SM)');
		}
	});

	test('[R7] an escalation made while the target sprint is closed elsewhere is flagged everywhere', () => {
		const { network, ids } = demoNetwork(2, 11);
		const [swarm, ops] = network.replicas;
		op.escalate(swarm!.docs, swarm!.ctx, ids.incident, ids.stories.secondLine, 'database locks');
		expect(swarm!.projection.findings().some((f) => f.rule === 'R7')).toBe(false);
		op.closeSprint(ops!.docs, ops!.ctx, ids.sprints.ops);
		const everywhere = findingsEverywhere(network, 'R7');
		for (const findings of everywhere) {
			expect(findings).toEqual(everywhere[0]);
			expect(findings).toHaveLength(1);
			expect(findings[0]!.refs).toContainEqual({ kind: 'workPackage', id: ids.incident });
		}
	});
});
