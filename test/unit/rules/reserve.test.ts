import { describe, expect, it } from 'vitest';
import {
	board,
	expectFindings,
	findingsOf,
	ref,
	sprint,
	story,
	team,
	workPackage,
	type BoardParts,
	type ExpectedFinding
} from '../../helpers/board-builder';

interface Row {
	name: string;
	parts: BoardParts;
	expected: ExpectedFinding[];
}

describe('R17 reserve overrun', () => {
	const ops = team({ id: 'ops', name: 'Ops', kind: 'ops', velocity: 30 });
	const incidents = story({
		id: 'incidents',
		title: 'Handle incidents',
		duration: 'recurring',
		workType: 'ops'
	});
	const requests = story({
		id: 'requests',
		title: 'Service requests',
		duration: 'recurring',
		workType: 'ops'
	});
	const p12 = (fields: Partial<Parameters<typeof sprint>[0]> = {}) =>
		sprint({
			id: 'p12',
			teamId: 'ops',
			name: 'Sprint 12',
			reserved: { incidents: 9 },
			...fields
		});
	/** Unplanned work that arrived under `storyId` on the sprint's 21 November. */
	const arrived = (id: string, points: number | null, fields = {}) =>
		workPackage({ id, storyId: 'incidents', points, ...fields });

	const rows: Row[] = [
		{
			name: '[R17] 9 of 9 reserved points used is within the reserve',
			parts: {
				teams: [ops],
				stories: [incidents],
				sprints: [p12()],
				workPackages: [arrived('wp1', 5), arrived('wp2', 4)]
			},
			expected: []
		},
		{
			name: '[R17] 14 of 9 reserved points used is a warning with the numbers (the example of the issue)',
			parts: {
				teams: [ops],
				stories: [incidents],
				sprints: [p12()],
				workPackages: [arrived('wp1', 8), arrived('wp2', 6)]
			},
			expected: [
				{
					severity: 'warning',
					refs: [
						ref('sprint', 'p12'),
						ref('team', 'ops'),
						ref('story', 'incidents'),
						ref('workPackage', 'wp1'),
						ref('workPackage', 'wp2')
					],
					says: [
						'Unknown work under "Handle incidents" in Sprint 12 (Ops) used 14 of 9 points reserved (5 over): re-plan the sprint with the team, or reserve more next time.'
					]
				}
			]
		},
		{
			name: '[R17] planned work, work without points, and work that arrived outside the sprint use no reserve',
			parts: {
				teams: [ops],
				stories: [incidents],
				sprints: [p12()],
				workPackages: [
					arrived('wp1', 8),
					arrived('known', 20, { planned: true }),
					arrived('unsized', null),
					arrived('before', 20, { createdAt: '2026-11-10T09:00:00.000Z' })
				]
			},
			expected: []
		},
		{
			name: '[R17] reported once per sprint and story: each overrun reserve on its own',
			parts: {
				teams: [ops],
				stories: [incidents, requests],
				sprints: [p12({ reserved: { incidents: 2, requests: 1 } })],
				workPackages: [arrived('wp1', 3), arrived('wp2', 2, { storyId: 'requests' })]
			},
			expected: [
				{
					severity: 'warning',
					refs: [
						ref('sprint', 'p12'),
						ref('team', 'ops'),
						ref('story', 'incidents'),
						ref('workPackage', 'wp1')
					],
					says: ['used 3 of 2 points reserved (1 over)']
				},
				{
					severity: 'warning',
					refs: [
						ref('sprint', 'p12'),
						ref('team', 'ops'),
						ref('story', 'requests'),
						ref('workPackage', 'wp2')
					],
					says: ['Unknown work under "Service requests"', 'used 2 of 1 points reserved (1 over)']
				}
			]
		},
		{
			name: '[R17] a closed sprint is history: its overrun is not reported',
			parts: {
				teams: [ops],
				stories: [incidents],
				sprints: [p12({ state: 'closed', closedAt: '2026-11-27T17:00:00.000Z' })],
				workPackages: [arrived('wp1', 20)]
			},
			expected: []
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('R17', parts, expected);
	});

	it('[R17] the arrival day is the board’s: work logged after midnight in Sydney on the last day belongs to the next', () => {
		// 14:30 UTC on the 27th is 01:30 on the 28th in Sydney: after the sprint there, within it in UTC.
		const late = arrived('late', 20, { createdAt: '2026-11-27T14:30:00.000Z' });
		const parts = { teams: [ops], stories: [incidents], sprints: [p12()], workPackages: [late] };
		expect(findingsOf('R17', { ...parts, board: board({ timeZone: 'Australia/Sydney' }) })).toEqual(
			[]
		);
		expect(findingsOf('R17', parts)).toHaveLength(1);
	});
});
