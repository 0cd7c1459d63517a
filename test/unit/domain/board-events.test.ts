/**
 * What a board's state holds as events for outbound webhooks (src/lib/domain/board-events.ts):
 * one occurrence per thing that happened, with an id any replica reading the same state gives it.
 */
import { describe, expect, test } from 'vitest';
import { boardEvents, type BoardEvent } from '../../../src/lib/domain/board-events';
import { validate } from '../../../src/lib/domain/validation/engine';
import {
	boardState,
	hop,
	minutesAfterT0,
	NOW,
	sprint,
	story,
	T0,
	team,
	workPackage,
	type BoardParts
} from '../../helpers/board-builder';

const stories = [story({ id: 's1', title: 'Payments run' }), story({ id: 's2', title: 'DBA' })];

function eventsOf(parts: BoardParts, now = NOW): BoardEvent[] {
	const state = boardState({ stories, ...parts });
	return boardEvents(state, validate(state, now), now);
}

const byType = (events: BoardEvent[], type: BoardEvent['type']) =>
	events.filter((event) => event.type === type);

describe('work package events', () => {
	test('an opened, escalated, returned and completed work package is four occurrences', () => {
		const events = eventsOf({
			workPackages: [
				workPackage({
					id: 'wp1',
					title: 'DB down',
					severity: 'SEV1',
					escalations: [
						hop({
							fromStoryId: 's1',
							toStoryId: 's2',
							at: minutesAfterT0(5),
							reason: 'needs a DBA',
							resolvedAt: minutesAfterT0(20)
						})
					],
					status: 'done',
					completedAt: minutesAfterT0(30)
				})
			]
		});
		expect(events.map((e) => [e.type, e.id, e.occurredAt, e.text])).toEqual([
			[
				'work-package.opened',
				`wp-opened:wp1:${T0}`,
				T0,
				"Work package opened: SEV1 'DB down' on Payments run."
			],
			[
				'work-package.escalated',
				`wp-escalated:wp1:${minutesAfterT0(5)}:s2`,
				minutesAfterT0(5),
				"Escalated: SEV1 'DB down' from Payments run to DBA — needs a DBA"
			],
			[
				'work-package.returned',
				`wp-returned:wp1:${minutesAfterT0(20)}:s2`,
				minutesAfterT0(20),
				"Returned: SEV1 'DB down' from DBA back to Payments run."
			],
			[
				'work-package.completed',
				`wp-completed:wp1:${minutesAfterT0(30)}`,
				minutesAfterT0(30),
				"Completed: SEV1 'DB down' on Payments run."
			]
		]);
		expect(byType(events, 'work-package.escalated')[0]!.refs).toEqual({
			workPackageId: 'wp1',
			storyId: 's2'
		});
	});

	test('reopening is an opening of its own; completing again is a completion of its own', () => {
		const reopened = minutesAfterT0(40);
		const events = eventsOf({
			workPackages: [
				workPackage({
					id: 'wp1',
					timeline: [{ at: reopened, personId: null, action: 'reopened', detail: '' }],
					status: 'done',
					completedAt: minutesAfterT0(50)
				})
			]
		});
		expect(byType(events, 'work-package.opened').map((e) => e.id)).toEqual([
			`wp-opened:wp1:${T0}`,
			`wp-opened:wp1:${reopened}`
		]);
		expect(byType(events, 'work-package.completed').map((e) => e.id)).toEqual([
			`wp-completed:wp1:${minutesAfterT0(50)}`
		]);
	});
});

test("what people wrote cannot ping a chat's channel or forge a link", () => {
	const [opened] = eventsOf({
		workPackages: [
			workPackage({ id: 'wp1', title: '<!channel> look at <https://evil|this> & that' })
		]
	});
	expect(opened!.text).toBe(
		"Work package opened: '&lt;!channel&gt; look at &lt;https://evil|this&gt; &amp; that' on Payments run."
	);
});

describe('SLA events', () => {
	// A 60-minute window from T0: at risk from minute 45, breached from minute 60.
	const sla = workPackage({
		id: 'wp1',
		title: 'Checkout errors',
		severity: 'SEV2',
		slaDeadline: minutesAfterT0(60)
	});
	test.each([
		[30, []],
		[50, [['sla.at-risk', `sla-at-risk:wp1:${minutesAfterT0(60)}`, minutesAfterT0(45)]]],
		[72, [['sla.breached', `sla-breached:wp1:${minutesAfterT0(60)}`, minutesAfterT0(60)]]]
	])('at minute %i: %j', (minute, expected) => {
		const events = eventsOf({ workPackages: [sla] }, NOW + minute * 60_000).filter((e) =>
			e.type.startsWith('sla.')
		);
		expect(events.map((e) => [e.type, e.id, e.occurredAt])).toEqual(expected);
	});

	test('a breach says by how much, in the words every screen uses', () => {
		const [breach] = byType(eventsOf({ workPackages: [sla] }, NOW + 72 * 60_000), 'sla.breached');
		expect(breach!.text).toBe(
			"SLA breached: SEV2 'Checkout errors' on Payments run — 12 min 00 s past deadline."
		);
	});

	test('done work is not at risk or breached any more', () => {
		const done = { ...sla, status: 'done' as const, completedAt: minutesAfterT0(70) };
		expect(byType(eventsOf({ workPackages: [done] }, NOW + 90 * 60_000), 'sla.breached')).toEqual(
			[]
		);
	});
});

describe('sprint events', () => {
	test('[R1] an over-committed sprint is an occurrence named by its sprint and the amount', () => {
		const parts = (points: number): BoardParts => ({
			teams: [team({ id: 't1', name: 'Payments', velocity: 20 })],
			sprints: [sprint({ id: 'sp1', commitments: { s1: points } })]
		});
		const [over] = byType(eventsOf(parts(21)), 'sprint.over-committed');
		expect(over!.refs).toEqual({ sprintId: 'sp1', teamId: 't1' });
		expect(over!.id).toMatch(/^r1:sp1:[0-9a-f]{8}$/);
		expect(over!.text).toMatch(/^Over-commitment \(R1\): Payments committed 21 points/);
		// The same amount read again: the same occurrence. Another amount: another one.
		expect(byType(eventsOf(parts(21)), 'sprint.over-committed')[0]!.id).toBe(over!.id);
		expect(byType(eventsOf(parts(25)), 'sprint.over-committed')[0]!.id).not.toBe(over!.id);
		expect(byType(eventsOf(parts(20)), 'sprint.over-committed')).toEqual([]);
	});

	test('a closed sprint is one occurrence, at its closing', () => {
		const closedAt = minutesAfterT0(90);
		const events = eventsOf({
			teams: [team({ id: 't1', name: 'Payments' })],
			sprints: [
				sprint({ id: 'sp1', name: 'Sprint 12', state: 'closed', closedAt }),
				sprint({ id: 'sp2' })
			]
		});
		expect(byType(events, 'sprint.closed')).toEqual([
			{
				id: `sprint-closed:sp1:${closedAt}`,
				type: 'sprint.closed',
				occurredAt: closedAt,
				refs: { sprintId: 'sp1', teamId: 't1' },
				text: 'Sprint closed: Sprint 12 of Payments.'
			}
		]);
	});
});
