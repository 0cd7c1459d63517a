/**
 * R16 accepted, not done (docs/domain.md#r16-accepted-not-done): a story accepted at a review
 * with criteria of its Definition of Done unticked is reported, naming them; criteria are those
 * it was accepted against, so changing the Definition of Done later changes no past acceptance.
 */
import { describe, expect, it, test } from 'vitest';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import {
	T0,
	doneChecklist,
	doneCriterion,
	expectFindings,
	ref,
	sprint,
	story,
	type BoardParts,
	type ExpectedFinding
} from '../../helpers/board-builder';
import { fixedContext } from '../../helpers/op-context';

const accepted = {
	s1: { outcome: 'accepted' as const, note: '', byPersonId: 'po', at: T0 }
};
const shop = story({ id: 's1', title: 'One-click checkout', teamIds: ['t1'] });
const review = sprint({ id: 'p1', name: 'Web 14', commitments: { s1: 5 }, reviews: accepted });
const tick = { at: T0, by: 'ana' };
const runbook = doneCriterion({ id: 'c1', text: 'Runbook updated' });
const deployed = doneCriterion({ id: 'c2', text: 'Deployed to production' });
const refs = [ref('story', 's1'), ref('sprint', 'p1')];

describe('R16 accepted, not done', () => {
	const rows: { name: string; parts: BoardParts; expected: ExpectedFinding[] }[] = [
		{
			name: 'no Definition of Done: nothing to tick, nothing reported',
			parts: { stories: [shop], sprints: [review] },
			expected: []
		},
		{
			name: 'accepted with both criteria unticked: a warning naming both',
			parts: { stories: [shop], sprints: [review], doneCriteria: [runbook, deployed] },
			expected: [
				{
					severity: 'warning',
					refs,
					says: [
						'"One-click checkout"',
						'Web 14',
						'2 criteria',
						'"Runbook updated"',
						'"Deployed to production"'
					]
				}
			]
		},
		{
			name: 'one ticked, one not: names only the unticked one',
			parts: {
				stories: [shop],
				sprints: [review],
				doneCriteria: [runbook, deployed],
				doneChecklists: [doneChecklist({ id: 's1', ticks: { c1: tick } })]
			},
			expected: [{ severity: 'warning', refs, says: ['1 criterion', '"Deployed to production"'] }]
		},
		{
			name: 'every criterion ticked: done',
			parts: {
				stories: [shop],
				sprints: [review],
				doneCriteria: [runbook, deployed],
				doneChecklists: [doneChecklist({ id: 's1', ticks: { c1: tick, c2: tick } })]
			},
			expected: []
		},
		{
			name: 'not accepted yet (rejected): no finding whatever is unticked',
			parts: {
				stories: [shop],
				sprints: [
					sprint({
						id: 'p1',
						commitments: { s1: 5 },
						reviews: { s1: { ...accepted.s1, outcome: 'rejected' } }
					})
				],
				doneCriteria: [runbook]
			},
			expected: []
		},
		{
			name: "another team's criterion and an ops criterion do not apply to a dev story of t1",
			parts: {
				stories: [shop],
				sprints: [review],
				doneCriteria: [
					doneCriterion({ id: 'c3', text: 'Mobile release notes', teamId: 't2' }),
					doneCriterion({ id: 'c4', text: 'Monitoring and alerts in place', workType: 'ops' })
				]
			},
			expected: []
		},
		{
			name: 'a retired criterion no longer applies to a story not accepted against it',
			parts: {
				stories: [shop],
				sprints: [review],
				doneCriteria: [{ ...runbook, retiredAt: T0 }]
			},
			expected: []
		},
		{
			name: 'accepted against the Definition of Done of its day: a criterion added since is not asked',
			parts: {
				stories: [shop],
				sprints: [review],
				doneCriteria: [runbook, deployed],
				doneChecklists: [
					doneChecklist({
						id: 's1',
						ticks: { c1: tick },
						acceptedAgainst: [{ id: 'c1', text: 'Runbook updated' }],
						acceptedAt: T0
					})
				]
			},
			expected: []
		},
		{
			name: 'a criterion retired and reworded since: the acceptance still names it as it read',
			parts: {
				stories: [shop],
				sprints: [review],
				doneCriteria: [{ ...runbook, text: 'Runbook reviewed', retiredAt: T0 }],
				doneChecklists: [
					doneChecklist({
						id: 's1',
						acceptedAgainst: [{ id: 'c1', text: 'Runbook updated' }],
						acceptedAt: T0
					})
				]
			},
			expected: [{ severity: 'warning', refs, says: ['"Runbook updated"'] }]
		},
		{
			name: 'recurring stories are reviewed with a note, never accepted: not checked',
			parts: {
				stories: [{ ...shop, duration: 'recurring' }],
				sprints: [review],
				doneCriteria: [runbook]
			},
			expected: []
		}
	];
	test.each(rows)('[R16] $name', ({ parts, expected }) => {
		expectFindings('R16', parts, expected);
	});
});

describe('[R16] the operations', () => {
	function board() {
		const docs = new BoardDocs('acme');
		const projection = new BoardProjection(docs, { now: Date.parse('2026-11-23T12:00:00.000Z') });
		const ctx = fixedContext('po');
		op.createBoard(docs, ctx, { name: 'Acme' });
		const web = op.createTeam(docs, ctx, { name: 'Web', velocity: 30 });
		const ops = op.createTeam(docs, ctx, { name: 'Ops', velocity: 30, kind: 'ops' });
		const checkout = op.createStory(docs, ctx, { title: 'Checkout', teamIds: [web.id] });
		const s = op.planSprint(docs, ctx, {
			teamId: web.id,
			name: 'Web 1',
			start: '2026-11-23',
			end: '2026-12-04'
		});
		op.commitStory(docs, ctx, s.id, checkout.id, 5);
		return { docs, projection, ctx, web, ops, checkout, sprint: s };
	}
	const r16 = (projection: BoardProjection) =>
		projection.findings().filter((f) => f.rule === 'R16');

	it('accepting records the criteria that apply, as they read; later changes leave it alone', () => {
		const { docs, projection, ctx, web, ops, checkout, sprint: s } = board();
		const runbook = op.addDoneCriterion(docs, ctx, { text: 'Runbook updated' });
		op.addDoneCriterion(docs, ctx, { text: 'Design reviewed', teamId: web.id, workType: 'dev' });
		op.addDoneCriterion(docs, ctx, { text: 'Alerts in place', teamId: ops.id });
		op.setDoneTick(docs, ctx, checkout.id, runbook.id, true);
		op.reviewStory(docs, ctx, s.id, checkout.id, 'accepted');

		const checklist = projection.state.doneChecklists.get(checkout.id)!;
		expect(checklist.acceptedAgainst.map((c) => c.text)).toEqual([
			'Runbook updated',
			'Design reviewed'
		]);
		expect(r16(projection).map((f) => f.message)).toEqual([
			expect.stringContaining('"Design reviewed"')
		]);

		// The Definition of Done changes after the acceptance: the acceptance does not.
		op.addDoneCriterion(docs, ctx, { text: 'Deployed to production' });
		op.rewordDoneCriterion(docs, ctx, runbook.id, 'Runbook reviewed by ops');
		op.setDoneTick(docs, ctx, checkout.id, runbook.id, false);
		const message = r16(projection)[0]!.message;
		expect(message).toContain('"Runbook updated"');
		expect(message).not.toContain('Deployed to production');
		expect(message).not.toContain('reviewed by ops');
		projection.destroy();
	});

	it('refuses a criterion without words, for an unknown team, and a tick of a retired one', () => {
		const { docs, ctx, checkout } = board();
		expect(() => op.addDoneCriterion(docs, ctx, { text: '  ' })).toThrow(/say what done means/);
		expect(() => op.addDoneCriterion(docs, ctx, { text: 'x', teamId: 'nobody' })).toThrow(/team/);
		const old = op.addDoneCriterion(docs, ctx, { text: 'Old rule' });
		op.retireDoneCriterion(docs, ctx, old.id);
		expect(() => op.setDoneTick(docs, ctx, checkout.id, old.id, true)).toThrow(/retired/);
	});
});

describe('experiments', () => {
	it('a verdict comes after acceptance, with evidence, on an experiment only', () => {
		const docs = new BoardDocs('acme');
		const ctx = fixedContext('po');
		op.createBoard(docs, ctx, { name: 'Acme' });
		const web = op.createTeam(docs, ctx, { name: 'Web', velocity: 30 });
		const plain = op.createStory(docs, ctx, { title: 'Plain', teamIds: [web.id] });
		const bet = op.createStory(docs, ctx, {
			title: 'Guest checkout',
			teamIds: [web.id],
			experiment: true,
			hypothesis: 'We believe guest checkout will lift conversion; we will know when it reads 4 %.',
			successTarget: 4
		});
		const s = op.planSprint(docs, ctx, {
			teamId: web.id,
			name: 'Web 1',
			start: '2026-11-23',
			end: '2026-12-04'
		});
		op.commitStory(docs, ctx, s.id, bet.id, 3);
		expect(() => op.judgeExperiment(docs, ctx, plain.id, 'validated', 'x')).toThrow(
			/not an experiment/
		);
		expect(() => op.judgeExperiment(docs, ctx, bet.id, 'validated', 'x')).toThrow(
			/not been accepted yet/
		);
		op.reviewStory(docs, ctx, s.id, bet.id, 'accepted');
		expect(() => op.judgeExperiment(docs, ctx, bet.id, 'validated', ' ')).toThrow(/evidence/);
		const judged = op.judgeExperiment(docs, ctx, bet.id, 'validated', 'Conversion read 4.3 %.');
		expect(judged).toMatchObject({ verdict: 'validated', evidence: 'Conversion read 4.3 %.' });
		expect(op.judgeExperiment(docs, ctx, bet.id, null, '').verdict).toBeNull();
	});
});
