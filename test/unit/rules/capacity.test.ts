import { describe, expect, it } from 'vitest';
import {
	board,
	expectFindings,
	findingsOf,
	ref,
	sprint,
	story,
	team,
	type BoardParts,
	type ExpectedFinding
} from '../../helpers/board-builder';

interface Row {
	name: string;
	parts: BoardParts;
	expected: ExpectedFinding[];
}

describe('R1 over-commitment', () => {
	const ops = team({ id: 'ops', name: 'Ops', kind: 'ops', velocity: 30 });
	const stories = [
		story({ id: 'migrate', title: 'Migrate the database' }),
		story({ id: 'incidents', title: 'Handle incidents', duration: 'recurring', workType: 'ops' })
	];
	const refs = [
		ref('sprint', 'p12'),
		ref('team', 'ops'),
		ref('story', 'incidents'),
		ref('story', 'migrate')
	];
	const planned = (fields: Partial<Parameters<typeof sprint>[0]>) =>
		sprint({ id: 'p12', teamId: 'ops', name: 'Sprint 12', ...fields });

	const rows: Row[] = [
		{
			name: '[R1] velocity 30 with 20 known + 10 reserved passes (the example in docs/domain.md)',
			parts: {
				teams: [ops],
				stories,
				sprints: [planned({ commitments: { migrate: 20 }, reserved: { incidents: 10 } })]
			},
			expected: []
		},
		{
			name: '[R1] velocity 30 with 21 known + 10 reserved is an error (the example in docs/domain.md)',
			parts: {
				teams: [ops],
				stories,
				sprints: [planned({ commitments: { migrate: 21 }, reserved: { incidents: 10 } })]
			},
			expected: [
				{
					severity: 'error',
					refs,
					says: [
						'Ops committed 31 points to Sprint 12 against velocity 30: 21 known + 10 reserved for unknown work.'
					]
				}
			]
		},
		{
			name: '[R1] known work packages count as known work',
			parts: {
				teams: [ops],
				stories,
				sprints: [
					planned({
						commitments: { migrate: 15 },
						knownWork: { wp1: 6 },
						reserved: { incidents: 10 }
					})
				]
			},
			expected: [
				{
					severity: 'error',
					refs: [...refs, ref('workPackage', 'wp1')],
					says: ['31 points', 'velocity 30', '21 known', '10 reserved']
				}
			]
		},
		{
			name: '[R1] a planned sprint is held to velocity too',
			parts: {
				teams: [ops],
				stories,
				sprints: [planned({ state: 'planned', commitments: { migrate: 31 } })]
			},
			expected: [
				{
					severity: 'error',
					refs: refs.filter((r) => r.id !== 'incidents'),
					says: ['31 known + 0 reserved']
				}
			]
		},
		{
			name: '[R1] a closed sprint over velocity is history, not an error',
			parts: {
				teams: [ops],
				stories,
				sprints: [planned({ state: 'closed', commitments: { migrate: 40 } })]
			},
			expected: []
		},
		{
			name: '[R1] a sprint of an unknown team is skipped',
			parts: { stories, sprints: [planned({ commitments: { migrate: 40 } })] },
			expected: []
		},
		{
			name: '[R1] fractional points that add up to velocity pass',
			parts: {
				teams: [team({ id: 'ops', velocity: 0.3 })],
				stories,
				sprints: [planned({ commitments: { migrate: 0.1 }, reserved: { incidents: 0.2 } })]
			},
			expected: []
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('R1', parts, expected);
	});
});

describe('R2 capacity split', () => {
	// Board target 30 % ops with a tolerance of 10 points: 20 % … 40 % passes.
	const mixed = team({ id: 'web', name: 'Web', kind: 'mixed', velocity: 200 });
	const stories = [
		story({ id: 'feature', title: 'Checkout redesign' }),
		story({ id: 'alerts', title: 'Alert tuning', workType: 'ops' }),
		story({ id: 'support', title: 'Support', duration: 'recurring', workType: 'ops' }),
		story({ id: 'reports', title: 'Month-end report', duration: 'recurring', workType: 'dev' })
	];
	const split = (
		devPoints: number,
		opsPoints: number,
		fields: Partial<Parameters<typeof sprint>[0]> = {}
	) =>
		sprint({
			id: 'p1',
			teamId: 'web',
			name: 'Sprint 1',
			commitments: { feature: devPoints },
			reserved: { support: opsPoints },
			...fields
		});
	const refs = [
		ref('sprint', 'p1'),
		ref('team', 'web'),
		ref('story', 'feature'),
		ref('story', 'support')
	];

	const rows: Row[] = [
		{
			name: '[R2] 40 % ops against target 30 % ± 10 passes (upper edge)',
			parts: { teams: [mixed], stories, sprints: [split(6, 4)] },
			expected: []
		},
		{
			name: '[R2] 41 % ops against target 30 % ± 10 warns',
			parts: { teams: [mixed], stories, sprints: [split(59, 41)] },
			expected: [
				{
					severity: 'warning',
					refs,
					says: ['41 % ops', '41 of 100 points', 'targets 30 %', '10 percentage points']
				}
			]
		},
		{
			name: '[R2] 20 % ops passes (lower edge)',
			parts: { teams: [mixed], stories, sprints: [split(80, 20)] },
			expected: []
		},
		{
			name: '[R2] 19 % ops warns',
			parts: { teams: [mixed], stories, sprints: [split(81, 19)] },
			expected: [{ severity: 'warning', refs, says: ['19 % ops', 'targets 30 %'] }]
		},
		{
			name: '[R2] ops stories, recurring stories and known work count as ops',
			parts: {
				teams: [mixed],
				stories,
				sprints: [
					split(50, 0, {
						commitments: { feature: 50, alerts: 10, reports: 10 },
						reserved: {},
						knownWork: { wp1: 30 }
					})
				]
			},
			expected: [
				{
					severity: 'warning',
					refs: [
						ref('sprint', 'p1'),
						ref('team', 'web'),
						ref('story', 'alerts'),
						ref('story', 'feature'),
						ref('story', 'reports'),
						ref('workPackage', 'wp1')
					],
					says: ['50 % ops', '50 of 100 points']
				}
			]
		},
		{
			name: '[R2] a dev team is split from ops by design and never warns',
			parts: { teams: [team({ id: 'web', kind: 'dev' })], stories, sprints: [split(100, 0)] },
			expected: []
		},
		{
			name: '[R2] a closed sprint does not warn',
			parts: { teams: [mixed], stories, sprints: [split(100, 0, { state: 'closed' })] },
			expected: []
		},
		{
			name: '[R2] an empty sprint has no split to judge',
			parts: { teams: [mixed], stories, sprints: [split(0, 0, { commitments: {}, reserved: {} })] },
			expected: []
		},
		{
			name: '[R2] without board settings there is no target',
			parts: { board: null, teams: [mixed], stories, sprints: [split(100, 0)] },
			expected: []
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('R2', parts, expected);
	});

	it('[R2] uses the board’s own target and tolerance', () => {
		const parts = { teams: [mixed], stories, sprints: [split(50, 50)] };
		expect(
			findingsOf('R2', { ...parts, board: board({ targetOpsPercent: 50, splitTolerance: 0 }) })
		).toEqual([]);
		expect(
			findingsOf('R2', { ...parts, board: board({ targetOpsPercent: 45, splitTolerance: 4 }) })
		).toHaveLength(1);
	});
});

describe('R5 finite fits a sprint', () => {
	const web = team({ id: 'web', name: 'Web', velocity: 30 });
	const app = team({ id: 'app', name: 'App', velocity: 20 });
	const checkout = (fields: Partial<Parameters<typeof story>[0]> = {}) =>
		story({ id: 'checkout', title: 'One-click checkout', teamIds: ['web'], ...fields });
	const sprintOf = (
		id: string,
		teamId: string,
		fields: Partial<Parameters<typeof sprint>[0]> = {}
	) => sprint({ id, teamId, name: `Sprint ${id}`, ...fields });

	const rows: Row[] = [
		{
			name: '[R5] committed to one open sprint passes',
			parts: {
				teams: [web],
				stories: [checkout()],
				sprints: [sprintOf('p1', 'web', { commitments: { checkout: 8 } })]
			},
			expected: []
		},
		{
			name: '[R5] committed to two open sprints of the same team is an error',
			parts: {
				teams: [web],
				stories: [checkout()],
				sprints: [
					sprintOf('p1', 'web', { commitments: { checkout: 8 } }),
					sprintOf('p2', 'web', {
						state: 'planned',
						start: '2026-11-30',
						end: '2026-12-11',
						commitments: { checkout: 8 }
					})
				]
			},
			expected: [
				{
					severity: 'error',
					refs: [
						ref('story', 'checkout'),
						ref('team', 'web'),
						ref('sprint', 'p1'),
						ref('sprint', 'p2')
					],
					says: ['"One-click checkout"', '2 open sprints of Web', 'Sprint p1 and Sprint p2']
				}
			]
		},
		{
			name: '[R5] a closed sprint plus an open one passes (carried back to the backlog and re-planned)',
			parts: {
				teams: [web],
				stories: [checkout()],
				sprints: [
					sprintOf('p0', 'web', {
						state: 'closed',
						start: '2026-11-02',
						end: '2026-11-13',
						commitments: { checkout: 8 }
					}),
					sprintOf('p1', 'web', { commitments: { checkout: 8 } })
				]
			},
			expected: []
		},
		{
			name: '[R5] a recurring story planned into two open sprints is exempt',
			parts: {
				teams: [web],
				stories: [checkout({ duration: 'recurring' })],
				sprints: [
					sprintOf('p1', 'web', { commitments: { checkout: 8 } }),
					sprintOf('p2', 'web', {
						state: 'planned',
						start: '2026-11-30',
						commitments: { checkout: 8 }
					})
				]
			},
			expected: []
		},
		{
			name: '[R5] an estimate exactly at the team velocity passes',
			parts: { teams: [web], stories: [checkout({ estimates: { web: 30 } })] },
			expected: []
		},
		{
			name: '[R5] an estimate one point over the team velocity is an error',
			parts: { teams: [web], stories: [checkout({ estimates: { web: 31 } })] },
			expected: [
				{
					severity: 'error',
					refs: [ref('story', 'checkout'), ref('team', 'web')],
					says: ['Web (velocity 30)', 'estimated at 31 points', 'split it']
				}
			]
		},
		{
			name: '[R5] each team’s portion is measured against that team’s velocity',
			parts: {
				teams: [web, app],
				stories: [
					checkout({
						teaming: 'multiple',
						teamIds: ['app', 'web'],
						estimates: { web: 25, app: 25 }
					})
				]
			},
			expected: [
				{
					severity: 'error',
					refs: [ref('story', 'checkout'), ref('team', 'app')],
					says: ['App (velocity 20)', 'estimated at 25 points']
				}
			]
		},
		{
			name: '[R5] a commitment over velocity in an open sprint is an error',
			parts: {
				teams: [web],
				stories: [checkout()],
				sprints: [sprintOf('p1', 'web', { commitments: { checkout: 31 } })]
			},
			expected: [
				{
					severity: 'error',
					refs: [ref('story', 'checkout'), ref('team', 'web'), ref('sprint', 'p1')],
					says: ['committed at 31 points in Sprint p1', 'velocity 30']
				}
			]
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('R5', parts, expected);
	});
});
