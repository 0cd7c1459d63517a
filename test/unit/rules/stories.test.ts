import { describe, it } from 'vitest';
import {
	expectFindings,
	person,
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

type StoryFields = Partial<Parameters<typeof story>[0]>;
type SprintFields = Partial<Parameters<typeof sprint>[0]>;

describe('R3 one Product Owner', () => {
	const people = [person({ id: 'alice', name: 'Alice' }), person({ id: 'bob', name: 'Bob' })];
	const owned = (productOwnerIds: string[]) =>
		story({ id: 'search', title: 'Search by SKU', productOwnerIds });

	const rows: Row[] = [
		{
			name: '[R3] exactly one known Product Owner passes',
			parts: { people, stories: [owned(['alice'])] },
			expected: []
		},
		{
			name: '[R3] the same owner added twice by a merge is still one owner',
			parts: { people, stories: [owned(['alice', 'alice'])] },
			expected: []
		},
		{
			name: '[R3] no Product Owner is an error',
			parts: { people, stories: [owned([])] },
			expected: [
				{
					severity: 'error',
					refs: [ref('story', 'search')],
					says: ['"Search by SKU" has no Product Owner']
				}
			]
		},
		{
			name: '[R3] two Product Owners (a concurrent assignment) is an error naming both',
			parts: { people, stories: [owned(['bob', 'alice'])] },
			expected: [
				{
					severity: 'error',
					refs: [ref('story', 'search'), ref('person', 'alice'), ref('person', 'bob')],
					says: ['has 2 Product Owners (Alice and Bob)', 'keep exactly one']
				}
			]
		},
		{
			name: '[R3] a Product Owner who is not on the board is an error naming the id',
			parts: { people, stories: [owned(['carol'])] },
			expected: [
				{ severity: 'error', refs: [ref('story', 'search')], says: ['"carol"', 'not on the board'] }
			]
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('R3', parts, expected);
	});
});

describe('R4 single-team means one team', () => {
	const teams = [team({ id: 'web', name: 'Web' }), team({ id: 'app', name: 'App' })];
	const single = (fields: StoryFields = {}) =>
		story({ id: 'login', title: 'Social login', teamIds: ['web'], ...fields });
	const committing = (id: string, teamId: string, fields: SprintFields = {}) =>
		sprint({ id, teamId, commitments: { login: 5 }, ...fields });

	const rows: Row[] = [
		{
			name: '[R4] one team listed and committing passes',
			parts: { teams, stories: [single()], sprints: [committing('p1', 'web')] },
			expected: []
		},
		{
			name: '[R4] two participating teams on a single-team story is an error',
			parts: { teams, stories: [single({ teamIds: ['web', 'app'] })] },
			expected: [
				{
					severity: 'error',
					refs: [ref('story', 'login'), ref('team', 'app'), ref('team', 'web')],
					says: ['"Social login"', 'lists 2 teams (App and Web)', 'recategorize as multiple-team']
				}
			]
		},
		{
			name: '[R4] committed by open sprints of two teams is an error',
			parts: {
				teams,
				stories: [single()],
				sprints: [committing('p1', 'web'), committing('q1', 'app', { state: 'planned' })]
			},
			expected: [
				{
					severity: 'error',
					refs: [
						ref('story', 'login'),
						ref('team', 'app'),
						ref('team', 'web'),
						ref('sprint', 'p1'),
						ref('sprint', 'q1')
					],
					says: ['is committed by 2 teams (App and Web)', 'recategorize as multiple-team']
				}
			]
		},
		{
			name: '[R4] another team’s closed sprint does not count',
			parts: {
				teams,
				stories: [single()],
				sprints: [committing('p1', 'web'), committing('q0', 'app', { state: 'closed' })]
			},
			expected: []
		},
		{
			name: '[R4] a multiple-team story may involve several teams',
			parts: {
				teams,
				stories: [single({ teaming: 'multiple', teamIds: ['web', 'app'] })],
				sprints: [committing('p1', 'web'), committing('q1', 'app')]
			},
			expected: []
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('R4', parts, expected);
	});
});

describe('R6 multi-team coordination', () => {
	const teams = [team({ id: 'web', name: 'Web' }), team({ id: 'app', name: 'App' })];
	const shared = (fields: StoryFields = {}) =>
		story({
			id: 'pay',
			title: 'Pay by invoice',
			teaming: 'multiple',
			teamIds: ['web', 'app'],
			estimates: { web: 5, app: 8 },
			...fields
		});
	const committing = (id: string, teamId: string, fields: SprintFields = {}) =>
		sprint({ id, teamId, commitments: { pay: 5 }, ...fields });

	const rows: Row[] = [
		{
			name: '[R6] every team estimated and sprints aligned passes',
			parts: {
				teams,
				stories: [shared()],
				sprints: [committing('p1', 'web'), committing('q1', 'app')]
			},
			expected: []
		},
		{
			name: '[R6] a participating team without an estimate warns',
			parts: { teams, stories: [shared({ estimates: { web: 5 } })] },
			expected: [
				{
					severity: 'warning',
					refs: [ref('story', 'pay'), ref('team', 'app')],
					says: ['"Pay by invoice" has no estimate from App', 'each team estimates its own portion']
				}
			]
		},
		{
			name: '[R6] sprints one day apart are not aligned and warn with each team’s dates',
			parts: {
				teams,
				stories: [shared()],
				sprints: [
					committing('p1', 'web'),
					committing('q1', 'app', { start: '2026-11-17', end: '2026-11-28' })
				]
			},
			expected: [
				{
					severity: 'warning',
					refs: [
						ref('story', 'pay'),
						ref('team', 'app'),
						ref('team', 'web'),
						ref('sprint', 'p1'),
						ref('sprint', 'q1')
					],
					says: ['not aligned', 'App 2026-11-17 to 2026-11-28', 'Web 2026-11-16 to 2026-11-27']
				}
			]
		},
		{
			name: '[R6] a closed sprint of another team is not compared',
			parts: {
				teams,
				stories: [shared()],
				sprints: [
					committing('p1', 'web'),
					committing('q0', 'app', { state: 'closed', start: '2026-11-02', end: '2026-11-13' })
				]
			},
			expected: []
		},
		{
			name: '[R6] a team planning it again next sprint is compared by its current sprint only',
			parts: {
				teams,
				stories: [shared({ duration: 'recurring' })],
				sprints: [
					committing('p1', 'web'),
					committing('p2', 'web', { state: 'planned', start: '2026-11-30', end: '2026-12-11' }),
					committing('q1', 'app')
				]
			},
			expected: []
		},
		{
			name: '[R6] a single-team story needs no per-team estimates',
			parts: { teams, stories: [shared({ teaming: 'single', teamIds: ['web'], estimates: {} })] },
			expected: []
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('R6', parts, expected);
	});
});
