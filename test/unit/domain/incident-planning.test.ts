/**
 * What the incident screens offer and show: the escalation targets a work package may legally
 * go to now (R7), and how much of a sprint's reserved unknown-work budget incidents have used.
 */
import { describe, expect, test } from 'vitest';
import { reservedBudgets } from '../../../src/lib/domain/budget';
import { escalationOptions, lookupIn } from '../../../src/lib/domain/escalation';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';

function demo() {
	const docs = new BoardDocs('demo');
	const ctx = fixedContext('d', null, Date.parse('2026-11-23T09:00:00.000Z'));
	const ids = seedDemoBoard(docs, ctx, '2026-11-23');
	const projection = new BoardProjection(docs, { now: Date.parse('2026-11-23T10:00:00Z') });
	return { docs, ctx, ids, projection };
}

describe('escalation targets', () => {
	test('[R7] the SEV1 may go to second-level support, which the Ops team works in its active sprint', () => {
		const { ids, projection } = demo();
		const wp = projection.state.workPackages.get(ids.incident)!;
		expect(escalationOptions(wp, lookupIn(projection.state))).toEqual([
			{ storyId: ids.stories.secondLine, title: 'Second-level production support', problems: [] }
		]);
	});

	test('[R7] a listed target that is not recurring or differs in SLA comes last, with the reasons', () => {
		const { docs, ctx, ids, projection } = demo();
		op.editStory(docs, ctx, ids.stories.support, {
			escalationTargetIds: [ids.stories.secondLine, ids.stories.checkout]
		});
		const wp = projection.state.workPackages.get(ids.incident)!;
		const options = escalationOptions(wp, lookupIn(projection.state));
		expect(options.map((o) => o.title)).toEqual([
			'Second-level production support',
			'One-click checkout'
		]);
		expect(options[1]!.problems).toEqual([
			'"One-click checkout" is not a recurring (operational) story',
			'SLA settings differ ("First-level web support" policy, "One-click checkout" none)'
		]);
		// The finding the engine gives for that hop names the same reasons.
		op.escalate(docs, ctx, ids.incident, ids.stories.checkout, 'test');
		const r7 = projection.findings().find((f) => f.rule === 'R7')!;
		expect(r7.message).toContain('is not a recurring (operational) story');
	});

	test('[R7] a target in no active sprint is offered with that reason', () => {
		const { docs, ctx, ids, projection } = demo();
		op.closeSprint(docs, ctx, ids.sprints.ops);
		const wp = projection.state.workPackages.get(ids.incident)!;
		expect(escalationOptions(wp, lookupIn(projection.state))[0]!.problems).toEqual([
			'"Second-level production support" is not planned (committed or reserved) in any active sprint'
		]);
	});

	test('escalated work offers the targets of the story holding it, done work none', () => {
		const { docs, ctx, ids, projection } = demo();
		op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'database');
		const escalated = projection.state.workPackages.get(ids.incident)!;
		expect(escalationOptions(escalated, lookupIn(projection.state))).toEqual([]);
		expect(escalationOptions({ ...escalated, status: 'done' }, lookupIn(projection.state))).toEqual(
			[]
		);
	});
});

describe('reserved unknown-work budget', () => {
	test('incidents arriving during the sprint burn the reservation of their story; planned work does not', () => {
		const { docs, ctx, ids, projection } = demo();
		// The demo's SEV1 came from the SEV1 template: 7 points of unplanned work.
		let [budget] = reservedBudgets(
			projection.state.sprints.get(ids.sprints.web)!,
			projection.state.workPackages.values(),
			'UTC'
		);
		expect(budget).toEqual({
			storyId: ids.stories.support,
			reserved: 9,
			used: 7,
			left: 2,
			workPackageIds: [ids.incident]
		});
		ctx.advance(60);
		op.createWorkPackage(docs, ctx, {
			storyId: ids.stories.support,
			title: 'Password reset mails bounce',
			category: 'request',
			points: 3
		});
		op.createWorkPackage(docs, ctx, {
			storyId: ids.stories.support,
			title: 'Planned certificate renewal',
			category: 'request',
			points: 5,
			planned: true
		});
		[budget] = reservedBudgets(
			projection.state.sprints.get(ids.sprints.web)!,
			projection.state.workPackages.values(),
			'UTC'
		);
		expect(budget).toMatchObject({ reserved: 9, used: 10, left: -1 });
		expect(budget!.workPackageIds).toHaveLength(2);
	});

	test('work created outside the sprint days counts for no sprint', () => {
		const { ids, projection } = demo();
		const sprint = projection.state.sprints.get(ids.sprints.web)!;
		const wp = projection.state.workPackages.get(ids.incident)!;
		const before = { ...wp, createdAt: `${sprint.start}T00:00:00.000Z`.replace(/\d\d(?=T)/, '01') };
		expect(reservedBudgets(sprint, [before], 'UTC')[0]!.used).toBe(0);
		expect(
			reservedBudgets(sprint, [{ ...wp, createdAt: `${sprint.end}T23:59:59.000Z` }], 'UTC')[0]!.used
		).toBe(7);
	});
});
