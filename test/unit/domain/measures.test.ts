/**
 * The board's measures (docs/domain.md#measures): each figure on seeded board states, table by
 * table, with the edge cases that trip measures up: no data, one sample, reopened work, a sprint
 * closed with nothing accepted, the board's time zone. The incremental path must agree with the
 * pure one after every edit.
 */
import { describe, expect, test } from 'vitest';
import { Measures } from '../../../src/lib/contract/measures';
import {
	distribution,
	IncrementalMeasures,
	MEASURE_DEFINITIONS,
	measures,
	nearestRank,
	periodOf,
	type MeasureOptions
} from '../../../src/lib/domain/measures';
import { startOfDay } from '../../../src/lib/domain/days';
import { SEVERITIES, type Severity } from '../../../src/lib/domain/schema';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import {
	board,
	boardState,
	hop,
	minutesAfterT0,
	observation,
	sprint,
	story,
	task,
	team,
	workPackage,
	type BoardParts
} from '../../helpers/board-builder';
import { fixedContext } from '../../helpers/op-context';

/** The period of most tables: the week of T0 (2026-11-21), read at a fixed "now" after it. */
const WEEK: MeasureOptions = {
	from: '2026-11-16',
	to: '2026-11-22',
	now: Date.parse('2026-12-01T00:00:00.000Z')
};

/** Measures of a state, checked against the wire schema on the way. */
function measure(parts: BoardParts, options: Partial<MeasureOptions> = {}) {
	const result = measures(boardState(parts), { ...WEEK, ...options });
	expect(Measures.parse(result)).toEqual(result);
	return result;
}

/** A work package of SEV `severity` with SLA, created `created` minutes after T0. */
function incident(
	id: string,
	severity: Severity,
	fields: { created?: number; deadline?: number; completed?: number | null } = {}
) {
	const created = fields.created ?? 0;
	const completed = fields.completed ?? null;
	return workPackage({
		id,
		severity,
		createdAt: minutesAfterT0(created),
		slaDeadline: minutesAfterT0(fields.deadline ?? created + 360),
		status: completed === null ? 'open' : 'done',
		completedAt: completed === null ? null : minutesAfterT0(completed)
	});
}

describe('statistics', () => {
	test.each([
		[[], 0.9, null],
		[[7], 0.5, 7],
		[[7], 0.9, 7],
		[[1, 2, 3, 4], 0.5, 2],
		[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9],
		[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9, 10],
		// 0.9 × 30 is 27.000000000000004 in floating point: still the 27th value.
		[Array.from({ length: 30 }, (_, i) => i + 1), 0.9, 27]
	])('the nearest-rank percentile of %j at %d is %s', (samples, p, expected) => {
		expect(nearestRank(samples, p)).toBe(expected);
	});

	test('a distribution of no samples is empty, of one sample that sample', () => {
		expect(distribution([])).toEqual({ count: 0, mean: null, median: null, p90: null });
		expect(distribution([42])).toEqual({ count: 1, mean: 42, median: 42, p90: 42 });
	});
});

describe('SLA per severity', () => {
	interface Row {
		name: string;
		parts: BoardParts;
		options?: Partial<MeasureOptions>;
		sev1: Partial<Measures['sla']['SEV1']>;
	}
	const rows: Row[] = [
		{
			name: 'no work: zeros and nulls',
			parts: {},
			sev1: {
				resolved: 0,
				met: 0,
				missed: 0,
				compliance: null,
				timeToResolveMinutes: { count: 0, mean: null, median: null, p90: null },
				openBreached: 0
			}
		},
		{
			name: 'one sample met',
			parts: { workPackages: [incident('w1', 'SEV1', { completed: 120 })] },
			sev1: {
				resolved: 1,
				met: 1,
				missed: 0,
				compliance: 1,
				timeToResolveMinutes: { count: 1, mean: 120, median: 120, p90: 120 }
			}
		},
		{
			name: 'three samples, one missed; completed exactly at the deadline is met',
			parts: {
				workPackages: [
					incident('w1', 'SEV1', { completed: 100 }),
					incident('w2', 'SEV1', { completed: 360 }),
					incident('w3', 'SEV1', { completed: 410.5 })
				]
			},
			sev1: {
				resolved: 3,
				met: 2,
				missed: 1,
				compliance: 0.667,
				timeToResolveMinutes: { count: 3, mean: 290.17, median: 360, p90: 410.5 }
			}
		},
		{
			name: 'a reopened work package is not resolved, and is breached once its deadline passed',
			parts: {
				workPackages: [
					workPackage({
						...incident('w1', 'SEV1', { completed: 100 }),
						status: 'open',
						completedAt: null
					})
				]
			},
			sev1: { resolved: 0, compliance: null, openBreached: 1 }
		},
		{
			name: 'completed after the period: not resolved in it, but open and breached at its end',
			parts: { workPackages: [incident('w1', 'SEV1', { completed: 3 * 24 * 60 })] },
			sev1: { resolved: 0, openBreached: 1 }
		},
		{
			name: 'completed before the period: neither resolved nor open in it',
			parts: { workPackages: [incident('w1', 'SEV1', { created: -10_000, completed: -9_000 })] },
			sev1: { resolved: 0, openBreached: 0 }
		},
		{
			name: 'open breaches are read now when now is before the period ends',
			parts: { workPackages: [incident('w1', 'SEV1', { deadline: 600 })] },
			options: { now: Date.parse(minutesAfterT0(300)) },
			sev1: { openBreached: 0 }
		},
		{
			name: 'work without a deadline does not count',
			parts: {
				workPackages: [
					workPackage({
						id: 'w1',
						severity: 'SEV1',
						status: 'done',
						completedAt: minutesAfterT0(5)
					})
				]
			},
			sev1: { resolved: 0, openBreached: 0 }
		}
	];
	test.each(rows)('$name', ({ parts, options, sev1 }) => {
		const result = measure(parts, options);
		expect(result.sla.SEV1).toMatchObject(sev1);
		expect(Object.keys(result.sla)).toEqual([...SEVERITIES]);
	});

	test('severities are apart; every severity appears', () => {
		const result = measure({
			workPackages: [
				incident('w1', 'SEV2', { completed: 60 }),
				incident('w2', 'non-production-defect', { deadline: 30 })
			]
		});
		expect(result.sla.SEV1.resolved).toBe(0);
		expect(result.sla.SEV2).toMatchObject({ resolved: 1, met: 1, compliance: 1 });
		expect(result.sla.SEV3).toMatchObject({ resolved: 0, openBreached: 0 });
		expect(result.sla['non-production-defect']).toMatchObject({ resolved: 0, openBreached: 1 });
	});

	test.each([
		// 2026-11-21T14:00Z is 01:00 on the 22nd in Sydney (UTC+11), still the 21st in UTC.
		['UTC', '2026-11-21', 1],
		['UTC', '2026-11-22', 0],
		['Australia/Sydney', '2026-11-21', 0],
		['Australia/Sydney', '2026-11-22', 1],
		// 2026-11-21T14:00Z is 09:00 on the 21st in New York (UTC−5).
		['America/New_York', '2026-11-21', 1]
	])(
		'time zones: on a %s board, a completion at 14:00 UTC on the 21st is on %s: %d',
		(zone, day, n) => {
			const result = measure(
				{
					board: board({ timeZone: zone }),
					workPackages: [incident('w1', 'SEV3', { completed: 300 })]
				},
				{ from: day, to: day }
			);
			expect(result.sla.SEV3.resolved).toBe(n);
			expect(result.period.timeZone).toBe(zone);
		}
	);

	test('a team sees the work of its stories and of the stories it was escalated to', () => {
		const parts: BoardParts = {
			teams: [team({ id: 'dev' }), team({ id: 'ops' })],
			stories: [story({ id: 's1', teamIds: ['dev'] }), story({ id: 'l2', teamIds: ['ops'] })],
			workPackages: [
				{
					...incident('w1', 'SEV1', { completed: 60 }),
					escalations: [hop({ fromStoryId: 's1', toStoryId: 'l2' })]
				},
				incident('w2', 'SEV1', { completed: 60 })
			]
		};
		expect(measure(parts, { teamId: 'dev' }).sla.SEV1.resolved).toBe(2);
		expect(measure(parts, { teamId: 'ops' }).sla.SEV1.resolved).toBe(1);
	});
});

describe('escalations', () => {
	test('hops in the period by the story they left, how long they were away, and those still away', () => {
		const result = measure({
			stories: [story({ id: 's1' }), story({ id: 's2' }), story({ id: 'l2' })],
			workPackages: [
				workPackage({
					id: 'w1',
					escalations: [
						hop({ fromStoryId: 's1', toStoryId: 'l2', resolvedAt: minutesAfterT0(90) }),
						hop({ fromStoryId: 's1', toStoryId: 'l2', at: minutesAfterT0(100) })
					]
				}),
				workPackage({
					id: 'w2',
					storyId: 's2',
					escalations: [
						hop({ fromStoryId: 's2', toStoryId: 'l2', resolvedAt: minutesAfterT0(30) }),
						// Before the period: not counted.
						hop({ fromStoryId: 's2', toStoryId: 'l2', at: '2026-11-01T00:00:00.000Z' })
					]
				})
			]
		});
		expect(result.escalations).toEqual({
			total: 3,
			byStory: { s1: 2, s2: 1 },
			awayMinutes: { count: 2, mean: 60, median: 30, p90: 90 },
			awayMinutesByStory: {
				s1: { count: 1, mean: 90, median: 90, p90: 90 },
				s2: { count: 1, mean: 30, median: 30, p90: 30 }
			},
			stillAway: 1
		});
	});

	test('no hops: zero and empty', () => {
		expect(measure({}).escalations).toEqual({
			total: 0,
			byStory: {},
			awayMinutes: { count: 0, mean: null, median: null, p90: null },
			awayMinutesByStory: {},
			stillAway: 0
		});
	});
});

describe('lead time and throughput', () => {
	const accepted = (at: string) => ({
		outcome: 'accepted' as const,
		note: '',
		byPersonId: null,
		at
	});
	interface Row {
		name: string;
		parts: BoardParts;
		dev: Partial<Measures['leadTimeDays']['dev']>;
		ops?: Partial<Measures['leadTimeDays']['ops']>;
		acceptedStories: number;
	}
	const rows: Row[] = [
		{
			name: 'no reviews',
			parts: {},
			dev: { count: 0, median: null, p90: null },
			acceptedStories: 0
		},
		{
			name: 'one story accepted 9.5 days after it was written',
			parts: {
				stories: [story({ id: 'a', createdAt: '2026-11-10T09:00:00.000Z' })],
				sprints: [
					sprint({
						id: 'p1',
						commitments: { a: 5 },
						reviews: { a: accepted('2026-11-19T21:00:00.000Z') }
					})
				]
			},
			dev: { count: 1, mean: 9.5, median: 9.5, p90: 9.5 },
			acceptedStories: 1
		},
		{
			name: 'the first acceptance counts (here before the period); rejections do not; ops apart',
			parts: {
				stories: [
					story({ id: 'a', createdAt: '2026-11-10T00:00:00.000Z' }),
					story({ id: 'b', createdAt: '2026-11-18T00:00:00.000Z' }),
					story({ id: 'c', createdAt: '2026-11-01T00:00:00.000Z', workType: 'ops' })
				],
				sprints: [
					sprint({
						id: 'p1',
						reviews: {
							a: accepted('2026-11-20T00:00:00.000Z'),
							b: { ...accepted('2026-11-19T00:00:00.000Z'), outcome: 'rejected' },
							c: accepted('2026-11-21T00:00:00.000Z')
						}
					}),
					sprint({ id: 'p2', reviews: { a: accepted('2026-11-12T00:00:00.000Z') } })
				]
			},
			dev: { count: 0, median: null },
			ops: { count: 1, median: 20 },
			acceptedStories: 1
		},
		{
			name: 'an acceptance outside the period is not counted',
			parts: {
				stories: [story({ id: 'a' })],
				sprints: [sprint({ id: 'p1', reviews: { a: accepted('2026-11-23T00:00:00.000Z') } })]
			},
			dev: { count: 0 },
			acceptedStories: 0
		}
	];
	test.each(rows)('$name', ({ parts, dev, ops, acceptedStories }) => {
		const result = measure(parts);
		expect(result.leadTimeDays.dev).toMatchObject(dev);
		if (ops) expect(result.leadTimeDays.ops).toMatchObject(ops);
		expect(result.throughput.acceptedStories).toBe(acceptedStories);
		expect(result.throughput.perWeek).toBe(acceptedStories);
	});

	test('four dev lead times: median at rank 2, p90 at rank 4', () => {
		const days = [3, 21, 9.5, 12];
		const result = measure(
			{
				stories: days.map((_, i) => story({ id: `s${i}`, createdAt: '2026-10-20T00:00:00.000Z' })),
				sprints: [
					sprint({
						id: 'p1',
						reviews: Object.fromEntries(
							days.map((d, i) => [
								`s${i}`,
								accepted(
									new Date(Date.parse('2026-10-20T00:00:00.000Z') + d * 86_400_000).toISOString()
								)
							])
						)
					})
				]
			},
			{ from: '2026-10-01', to: '2026-11-30' }
		);
		expect(result.leadTimeDays.dev).toEqual({ count: 4, mean: 11.38, median: 9.5, p90: 21 });
	});
});

describe('delivery per sprint', () => {
	const ops = team({ id: 'ops', kind: 'mixed' });
	const stories = [
		story({ id: 'feature', teamIds: ['ops'] }),
		story({ id: 'fix', teamIds: ['ops'] }),
		story({ id: 'incidents', duration: 'recurring', workType: 'ops', teamIds: ['ops'] }),
		story({ id: 'requests', duration: 'recurring', workType: 'ops', teamIds: ['ops'] })
	];
	const review = (outcome: 'accepted' | 'rejected') => ({
		outcome,
		note: '',
		byPersonId: null,
		at: '2026-11-27T15:00:00.000Z'
	});
	const unplanned = (id: string, storyId: string, points: number, createdAt = T1, done = false) =>
		workPackage({
			id,
			storyId,
			points,
			createdAt,
			status: done ? 'done' : 'open',
			completedAt: done ? '2026-11-20T00:00:00.000Z' : null
		});
	const T1 = '2026-11-18T10:00:00.000Z';

	test('committed, reserved, accepted and unknown work of a sprint', () => {
		const result = measure({
			teams: [ops],
			stories,
			workPackages: [
				unplanned('u1', 'incidents', 4, T1, true),
				unplanned('u2', 'requests', 3),
				// Planned work, and work that arrived before the sprint, use no reservation.
				workPackage({ id: 'k1', storyId: 'incidents', planned: true, points: 2, createdAt: T1 }),
				unplanned('u3', 'incidents', 5, '2026-11-01T10:00:00.000Z')
			],
			sprints: [
				sprint({
					id: 'p1',
					teamId: 'ops',
					commitments: { feature: 13, fix: 6 },
					knownWork: { k1: 2 },
					reserved: { incidents: 5, requests: 4 },
					reviews: { feature: review('accepted'), fix: review('rejected') }
				})
			]
		});
		expect(result.sprints).toEqual([
			{
				sprintId: 'p1',
				teamId: 'ops',
				name: 'Sprint p1',
				state: 'active',
				start: '2026-11-16',
				end: '2026-11-27',
				committedPoints: 21,
				reservedPoints: 9,
				acceptedPoints: 13,
				unknownWorkPoints: 7,
				incidents: 3
			}
		]);
		expect(result.reserve.uses).toEqual([
			{ sprintId: 'p1', teamId: 'ops', storyId: 'incidents', reserved: 5, used: 4, left: 1 },
			{ sprintId: 'p1', teamId: 'ops', storyId: 'requests', reserved: 4, used: 3, left: 1 }
		]);
		// Planned: 19 dev committed; 2 known + 9 reserved ops. Actual: 13 accepted dev; the done
		// reserved-for work package (4) ops; the open ones nothing.
		expect(result.balance.planned).toEqual({ devPoints: 19, opsPoints: 11, opsShare: 0.367 });
		expect(result.balance.actual).toEqual({ devPoints: 13, opsPoints: 4, opsShare: 0.235 });
		expect(result.innovation.newWorkShare).toBe(0.633);
		expect(result.innovation.supportShare).toBe(0.367);
	});

	test('a sprint closed with nothing accepted: zero accepted, and it counts for velocity', () => {
		const result = measure(
			{
				teams: [ops],
				stories,
				sprints: [
					sprint({
						id: 'p0',
						teamId: 'ops',
						state: 'closed',
						start: '2026-11-02',
						end: '2026-11-15',
						commitments: { feature: 8 },
						closedAt: T1
					}),
					sprint({
						id: 'p1',
						teamId: 'ops',
						state: 'closed',
						commitments: { fix: 5 },
						reviews: { fix: review('rejected') },
						closedAt: T1
					})
				]
			},
			{ from: '2026-11-01' }
		);
		expect(result.sprints.map((s) => [s.sprintId, s.acceptedPoints])).toEqual([
			['p0', 0],
			['p1', 0]
		]);
		expect(result.velocity.ops).toEqual({
			closedSprints: 2,
			acceptedPoints: { count: 2, mean: 0, median: 0, p90: 0 }
		});
		expect(result.balance.actual).toEqual({ devPoints: 0, opsPoints: 0, opsShare: null });
	});

	test('sprints that overlap the period are listed, by team and start; others not', () => {
		const result = measure({
			teams: [ops, team({ id: 'web' })],
			sprints: [
				sprint({ id: 'late', teamId: 'ops', start: '2026-11-23', end: '2026-12-04' }),
				sprint({ id: 'w1', teamId: 'web', start: '2026-11-09', end: '2026-11-16' }),
				sprint({ id: 'o1', teamId: 'ops', start: '2026-11-20', end: '2026-11-30' }),
				sprint({ id: 'early', teamId: 'ops', start: '2026-11-01', end: '2026-11-15' })
			]
		});
		expect(result.sprints.map((s) => s.sprintId)).toEqual(['o1', 'w1']);
		expect(measure({ teams: [ops], sprints: [] }).velocity).toEqual({
			ops: { closedSprints: 0, acceptedPoints: { count: 0, mean: null, median: null, p90: null } }
		});
	});

	test('velocity is accepted points per closed sprint', () => {
		const closed = (id: string, start: string, end: string, accepted: number) =>
			sprint({
				id,
				teamId: 'ops',
				state: 'closed',
				start,
				end,
				closedAt: T1,
				commitments: { feature: accepted, fix: 3 },
				reviews: { feature: review('accepted') }
			});
		const result = measure(
			{
				teams: [ops],
				stories,
				sprints: [
					closed('a', '2026-10-05', '2026-10-16', 18),
					closed('b', '2026-10-19', '2026-10-30', 21),
					closed('c', '2026-11-02', '2026-11-13', 12)
				]
			},
			{ from: '2026-10-01', to: '2026-11-30' }
		);
		expect(result.velocity.ops).toEqual({
			closedSprints: 3,
			acceptedPoints: { count: 3, mean: 17, median: 18, p90: 21 }
		});
	});
});

describe('suggested reserve', () => {
	const closedWith = (id: string, start: string, end: string, used: number) => ({
		sprint: sprint({
			id,
			teamId: 'ops',
			state: 'closed',
			start,
			end,
			closedAt: `${end}T17:00:00.000Z`,
			reserved: { incidents: 5 }
		}),
		work: workPackage({
			id: `w-${id}`,
			storyId: 'incidents',
			points: used,
			createdAt: `${start}T10:00:00.000Z`
		})
	});
	test.each([
		{ name: 'no history: no suggestion', used: [], suggested: null, from: [] as string[] },
		{ name: 'one sprint: what it used', used: [4], suggested: 4, from: ['s0'] },
		{
			name: 'four sprints: the 80th percentile (rank 4 of 4)',
			used: [2, 5, 7, 3],
			suggested: 7,
			from: ['s3', 's2', 's1', 's0']
		},
		{ name: 'a fraction rounds up', used: [2.5], suggested: 3, from: ['s0'] },
		{
			name: 'eight sprints: the last six only, rank 5 of 6',
			used: [20, 20, 1, 2, 3, 4, 5, 6],
			suggested: 5,
			from: ['s7', 's6', 's5', 's4', 's3', 's2']
		}
	])('$name', ({ used, suggested, from }) => {
		const history = used.map((points, i) => {
			const start = new Date(Date.parse('2026-06-01') + i * 14 * 86_400_000)
				.toISOString()
				.slice(0, 10);
			const end = new Date(Date.parse(start) + 13 * 86_400_000).toISOString().slice(0, 10);
			return closedWith(`s${i}`, start, end, points);
		});
		const result = measure({
			teams: [team({ id: 'ops' })],
			stories: [story({ id: 'incidents', duration: 'recurring', workType: 'ops' })],
			sprints: [
				...history.map((h) => h.sprint),
				sprint({ id: 'next', teamId: 'ops', state: 'planned', reserved: { incidents: 5 } })
			],
			workPackages: history.map((h) => h.work)
		});
		expect(result.reserve.suggestions).toEqual([
			{ teamId: 'ops', storyId: 'incidents', sprintIds: from, suggested }
		]);
	});
});

describe('burndown and burnup of the active sprint', () => {
	test('tasks left and done each day, known and unknown work apart', () => {
		const day = (d: number, hour = 10) =>
			`2026-11-${String(d).padStart(2, '0')}T${hour}:00:00.000Z`;
		const result = measure(
			{
				teams: [team({ id: 't1' })],
				stories: [story({ id: 'f' }), story({ id: 'inc', duration: 'recurring' })],
				workPackages: [workPackage({ id: 'u1', storyId: 'inc', createdAt: day(17) })],
				sprints: [
					sprint({
						id: 'p1',
						start: '2026-11-16',
						end: '2026-11-27',
						commitments: { f: 5 },
						reserved: { inc: 3 }
					})
				],
				tasks: [
					task({ id: 'a', storyId: 'f', createdAt: day(16), status: 'done', doneAt: day(17) }),
					task({ id: 'b', storyId: 'f', createdAt: day(16) }),
					task({
						id: 'c',
						workPackageId: 'u1',
						createdAt: day(17),
						status: 'done',
						doneAt: day(18)
					}),
					task({ id: 'x', storyId: 'f', status: 'cancelled', createdAt: day(16) }),
					// Another team's task and a task on unplanned work count for nobody here.
					task({ id: 'o', storyId: 'f', owningTeamId: 't2', createdAt: day(16) }),
					task({ id: 'n', createdAt: day(16) })
				]
			},
			{ now: Date.parse(day(18, 12)) }
		);
		expect(result.burndown).toEqual([
			{
				sprintId: 'p1',
				teamId: 't1',
				days: [
					{ day: '2026-11-16', known: { left: 2, done: 0 }, unknown: { left: 0, done: 0 } },
					{ day: '2026-11-17', known: { left: 1, done: 1 }, unknown: { left: 1, done: 0 } },
					{ day: '2026-11-18', known: { left: 1, done: 1 }, unknown: { left: 0, done: 1 } }
				]
			}
		]);
	});

	test('no active sprint, no burndown; a sprint that starts tomorrow has no days yet', () => {
		expect(measure({ teams: [team({ id: 't1' })] }).burndown).toEqual([]);
		const result = measure(
			{
				teams: [team({ id: 't1' })],
				sprints: [sprint({ id: 'p1', start: '2026-12-02', end: '2026-12-11' })]
			},
			{ now: Date.parse('2026-12-01T12:00:00.000Z') }
		);
		expect(result.burndown).toEqual([{ sprintId: 'p1', teamId: 't1', days: [] }]);
	});
});

describe('incidents and defects trend', () => {
	test('work that arrived in each seven days of the period', () => {
		const result = measure(
			{
				workPackages: [
					workPackage({ id: 'a', severity: 'SEV2', createdAt: '2026-11-02T10:00:00.000Z' }),
					workPackage({ id: 'b', category: 'incident', createdAt: '2026-11-09T10:00:00.000Z' }),
					workPackage({ id: 'c', category: 'bug', createdAt: '2026-11-08T23:00:00.000Z' }),
					workPackage({ id: 'd', category: 'request', createdAt: '2026-11-03T10:00:00.000Z' }),
					workPackage({
						id: 'e',
						severity: 'non-production-defect',
						category: 'defect',
						createdAt: '2026-11-12T10:00:00.000Z'
					})
				]
			},
			{ from: '2026-11-02', to: '2026-11-12' }
		);
		expect(result.innovation.trend).toEqual([
			{ from: '2026-11-02', to: '2026-11-08', incidents: 1, defects: 1 },
			{ from: '2026-11-09', to: '2026-11-12', incidents: 1, defects: 1 }
		]);
	});
});

describe('the period', () => {
	test('defaults to the 30 days up to today, in the board time zone', () => {
		const now = Date.parse('2026-11-22T21:30:00.000Z'); // 08:30 on the 23rd in Sydney
		const period = periodOf({ board: board({ timeZone: 'Australia/Sydney' }) }, { now });
		expect([period.from, period.to]).toEqual(['2026-10-25', '2026-11-23']);
		expect(period.startMs).toBe(startOfDay('2026-10-25', 'Australia/Sydney'));
		expect(new Date(period.endMs).toISOString()).toBe('2026-11-23T13:00:00.000Z');
	});

	test('a day starts at local midnight, also on the days the clocks change', () => {
		expect(new Date(startOfDay('2026-11-23', 'Australia/Sydney')).toISOString()).toBe(
			'2026-11-22T13:00:00.000Z'
		);
		expect(new Date(startOfDay('2026-03-29', 'Europe/Berlin')).toISOString()).toBe(
			'2026-03-28T23:00:00.000Z'
		);
		expect(new Date(startOfDay('2026-03-30', 'Europe/Berlin')).toISOString()).toBe(
			'2026-03-29T22:00:00.000Z'
		);
		expect(startOfDay('2026-11-23', 'UTC')).toBe(Date.parse('2026-11-23T00:00:00.000Z'));
	});
});

describe('value: current, unrealized and delivered', () => {
	const accepted = (at: string) => ({
		outcome: 'accepted' as const,
		note: '',
		byPersonId: null,
		at
	});
	/** Story "c" converts 4 % at least, accepted on 19 November. */
	const converts = story({
		id: 'c',
		title: 'One-click checkout',
		successMeasure: 'Checkout conversion',
		successTarget: 4,
		successUnit: '%',
		createdAt: '2026-11-01T09:00:00.000Z'
	});
	/** Story "l" keeps p95 latency at most 300 ms, accepted on 20 November. */
	const latency = story({
		id: 'l',
		successMeasure: 'p95 latency',
		successTarget: 300,
		successDirection: 'at-most',
		successUnit: 'ms',
		valueEstimate: 8,
		createdAt: '2026-11-01T09:00:00.000Z'
	});
	const review = sprint({
		id: 'p1',
		commitments: { c: 5, l: 3 },
		reviews: {
			c: accepted('2026-11-19T10:00:00.000Z'),
			l: accepted('2026-11-20T10:00:00.000Z')
		}
	});
	const value = (parts: BoardParts, options: Partial<MeasureOptions> = {}) =>
		measure({ sprints: [review], ...parts }, options).value;

	test('no stories: nothing measured, nothing open, attainment empty', () => {
		expect(measure({}).value).toEqual({
			current: {
				measuredStories: 0,
				observedStories: 0,
				meetingTarget: 0,
				attainment: null,
				stories: []
			},
			unrealized: { openStories: 0, estimatedStories: 0, totalEstimate: 0, stories: [] },
			delivered: { stories: 0, totalEstimate: 0 }
		});
	});

	test('the latest observation by the end of the period decides, the way the target reads', () => {
		const result = value({
			stories: [converts, latency],
			observations: [
				observation({ id: 'o1', storyId: 'c', at: '2026-11-20T09:00:00.000Z', value: 3.2 }),
				observation({ id: 'o2', storyId: 'c', at: '2026-11-22T09:00:00.000Z', value: 4.1 }),
				// After the period: not yet known at its end.
				observation({ id: 'o3', storyId: 'c', at: '2026-11-25T09:00:00.000Z', value: 1 }),
				observation({ id: 'o4', storyId: 'l', at: '2026-11-21T09:00:00.000Z', value: 310 })
			]
		});
		expect(result.current).toMatchObject({
			measuredStories: 2,
			observedStories: 2,
			meetingTarget: 1,
			attainment: 0.5
		});
		// Newest acceptance first.
		expect(result.current.stories).toEqual([
			{
				storyId: 'l',
				title: 'Story l',
				acceptedAt: '2026-11-20T10:00:00.000Z',
				measure: 'p95 latency',
				target: 300,
				direction: 'at-most',
				unit: 'ms',
				observations: 1,
				latest: { at: '2026-11-21T09:00:00.000Z', value: 310, note: '' },
				met: false
			},
			{
				storyId: 'c',
				title: 'One-click checkout',
				acceptedAt: '2026-11-19T10:00:00.000Z',
				measure: 'Checkout conversion',
				target: 4,
				direction: 'at-least',
				unit: '%',
				observations: 2,
				latest: { at: '2026-11-22T09:00:00.000Z', value: 4.1, note: '' },
				met: true
			}
		]);
	});

	test.each([
		{ direction: 'at-least' as const, reading: 4, met: true },
		{ direction: 'at-least' as const, reading: 3.99, met: false },
		{ direction: 'at-most' as const, reading: 4, met: true },
		{ direction: 'at-most' as const, reading: 4.01, met: false }
	])(
		'a target of 4, $direction: a reading of $reading meets it: $met',
		({ direction, reading, met }) => {
			const result = value({
				stories: [{ ...converts, successDirection: direction }],
				observations: [observation({ id: 'o', storyId: 'c', value: reading })]
			});
			expect(result.current.stories[0]!.met).toBe(met);
		}
	);

	test('a done story not yet observed is measured but not observed; one without a target is neither', () => {
		const result = value({ stories: [converts, { ...latency, successTarget: null }] });
		expect(result.current).toMatchObject({
			measuredStories: 1,
			observedStories: 0,
			meetingTarget: 0,
			attainment: null
		});
		expect(result.current.stories[0]).toMatchObject({ storyId: 'c', latest: null, met: null });
	});

	test('open stories carry the unrealized value; stories accepted in the period the delivered', () => {
		const open = [
			story({ id: 'a', valueEstimate: 13, createdAt: '2026-11-10T00:00:00.000Z' }),
			story({ id: 'b', valueEstimate: 20.5, createdAt: '2026-11-10T00:00:00.000Z' }),
			story({ id: 'd', createdAt: '2026-11-10T00:00:00.000Z' }),
			// Recurring work is never done: not open value.
			story({ id: 'r', duration: 'recurring', valueEstimate: 99 }),
			// Written after the period.
			story({ id: 'z', valueEstimate: 5, createdAt: '2026-11-30T00:00:00.000Z' })
		];
		const result = value({ stories: [converts, latency, ...open] });
		expect(result.unrealized).toEqual({
			openStories: 3,
			estimatedStories: 2,
			totalEstimate: 33.5,
			stories: [
				{ storyId: 'b', title: 'Story b', valueEstimate: 20.5 },
				{ storyId: 'a', title: 'Story a', valueEstimate: 13 }
			]
		});
		expect(result.delivered).toEqual({ stories: 1, totalEstimate: 8 });
		// Read before the acceptances, the accepted stories are still open.
		const before = value({ stories: [converts, latency] }, { to: '2026-11-18' });
		expect(before.unrealized).toMatchObject({ openStories: 2, totalEstimate: 8 });
		expect(before.current.measuredStories).toBe(0);
	});

	test('a team sees the value of its own stories only', () => {
		const reviewOf = (id: string, teamId: string, storyId: string) =>
			sprint({
				id,
				teamId,
				commitments: { [storyId]: 3 },
				reviews: { [storyId]: review.reviews[storyId]! }
			});
		const parts = {
			stories: [
				{ ...converts, teamIds: ['t1'] },
				{ ...latency, teamIds: ['t2'] }
			],
			teams: [team({ id: 't1' }), team({ id: 't2' })],
			sprints: [reviewOf('p1', 't1', 'c'), reviewOf('p2', 't2', 'l')]
		};
		expect(value(parts, { teamId: 't1' }).current.stories.map((s) => s.storyId)).toEqual(['c']);
		expect(value(parts, { teamId: 't2' }).delivered.totalEstimate).toBe(8);
	});
});

describe('experiments (ability to innovate)', () => {
	const accepted = (at: string) => ({
		outcome: 'accepted' as const,
		note: '',
		byPersonId: null,
		at
	});
	const experiment = (id: string, verdict: 'validated' | 'invalidated' | 'inconclusive' | null) =>
		story({
			id,
			experiment: true,
			hypothesis: 'We believe…',
			verdict,
			evidence: verdict ? 'seen' : ''
		});
	test('running at the end of the period; accepted in it, by verdict; ordinary stories not counted', () => {
		const result = measure({
			stories: [
				experiment('a', 'validated'),
				experiment('b', 'invalidated'),
				experiment('c', null),
				experiment('d', null),
				// Accepted before the period: neither running nor accepted in it.
				experiment('e', 'inconclusive'),
				story({ id: 'f' })
			],
			sprints: [
				sprint({
					id: 'p1',
					commitments: { a: 1, b: 1, c: 1, e: 1, f: 1 },
					reviews: {
						a: accepted('2026-11-18T10:00:00.000Z'),
						b: accepted('2026-11-19T10:00:00.000Z'),
						c: accepted('2026-11-20T10:00:00.000Z'),
						e: accepted('2026-11-10T10:00:00.000Z'),
						f: accepted('2026-11-20T10:00:00.000Z')
					}
				})
			]
		});
		expect(result.innovation.experiments).toEqual({
			running: 1,
			accepted: 3,
			validated: 1,
			invalidated: 1,
			inconclusive: 0,
			awaitingVerdict: 1
		});
	});
});

describe('definitions', () => {
	test('every figure of the answer has a one-line definition', () => {
		const figures = Object.keys(MEASURE_DEFINITIONS);
		for (const top of Object.keys(Measures.shape))
			expect(
				figures.some((f) => f === top || f.startsWith(`${top}.`)),
				top
			).toBe(true);
		for (const text of Object.values(MEASURE_DEFINITIONS)) {
			expect(text).not.toContain('\n');
			expect(text.endsWith('.')).toBe(true);
		}
	});
});

describe('incremental measures', () => {
	test('after each edit, the kept parts give the same answer as computing afresh', () => {
		const docs = new BoardDocs('acme');
		const projection = new BoardProjection(docs, { now: Date.parse('2026-11-23T09:00:00.000Z') });
		const incremental = new IncrementalMeasures(projection.state);
		projection.subscribe((changes) => incremental.apply(changes));
		const ctx = fixedContext('sm');
		const options = {
			from: '2026-11-16',
			to: '2026-12-06',
			now: Date.parse('2026-11-26T12:00:00.000Z')
		};
		const agree = () =>
			expect(incremental.measures(options)).toEqual(measures(projection.state, options));

		op.createBoard(docs, ctx, { name: 'Acme' });
		const ops = op.createTeam(docs, ctx, { name: 'Ops', velocity: 30, kind: 'ops' });
		const incidents = op.createStory(docs, ctx, {
			title: 'Incidents',
			duration: 'recurring',
			workType: 'ops',
			sla: 'policy',
			teamIds: [ops.id]
		});
		const sprintOne = op.planSprint(docs, ctx, {
			teamId: ops.id,
			name: 'S1',
			start: '2026-11-23',
			end: '2026-12-04'
		});
		op.reserveUnknownWork(docs, ctx, sprintOne.id, incidents.id, 8);
		op.startSprint(docs, ctx, sprintOne.id);
		agree();
		const wp = op.createWorkPackage(docs, ctx, {
			storyId: incidents.id,
			title: 'Down',
			category: 'incident',
			severity: 'SEV1',
			points: 3
		});
		agree();
		const [t] = op.addTasks(docs, ctx, ops.id, [{ title: 'Fix', workPackageId: wp.id }]);
		agree();
		ctx.advance(60);
		op.moveTask(docs, ctx, ops.id, t!.id, 'done');
		agree();
		op.completeWorkPackage(docs, ctx, wp.id);
		agree();
		op.reopenWorkPackage(docs, ctx, wp.id);
		agree();
		op.setSeverity(docs, ctx, wp.id, 'SEV2');
		agree();
		const feature = op.createStory(docs, ctx, { title: 'Faster checkout', teamIds: [ops.id] });
		op.editStory(docs, ctx, feature.id, { successTarget: 4, valueEstimate: 5 });
		agree();
		op.recordObservation(docs, ctx, { storyId: feature.id, value: 3 });
		agree();
		// Accepting it changes no story or observation, only a sprint: the value figures follow.
		op.commitStory(docs, ctx, sprintOne.id, feature.id, 2);
		agree();
		op.reviewStory(docs, ctx, sprintOne.id, feature.id, 'accepted');
		agree();
		expect(incremental.measures(options).value.current.measuredStories).toBe(1);
		const result = incremental.measures(options);
		expect(result.sprints[0]).toMatchObject({ unknownWorkPoints: 3, incidents: 1 });
		expect(result.value.unrealized).toMatchObject({ openStories: 0, totalEstimate: 0 });
		expect(result.value.delivered).toEqual({ stories: 1, totalEstimate: 5 });
		expect(result.burndown[0]!.days.at(-1)).toEqual({
			day: '2026-11-26',
			known: { left: 0, done: 0 },
			unknown: { left: 0, done: 1 }
		});
		projection.destroy();
	});
});
