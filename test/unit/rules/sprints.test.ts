import { describe, it } from 'vitest';
import {
	expectFindings,
	ref,
	sprint,
	story,
	team,
	workPackage,
	type BoardParts,
	type ExpectedFinding
} from '../../helpers/board-builder';

type SprintFields = Partial<Parameters<typeof sprint>[0]>;

const ops = team({ id: 'ops', name: 'Ops', kind: 'ops' });
const stories = [
	story({ id: 'support', title: 'Customer support', duration: 'recurring', workType: 'ops' }),
	story({ id: 'upgrade', title: 'Upgrade the CDN' })
];
const openRequests = [
	workPackage({ id: 'wp1', storyId: 'support' }),
	workPackage({ id: 'wp2', storyId: 'support' }),
	workPackage({
		id: 'wp3',
		storyId: 'support',
		status: 'done',
		completedAt: '2026-11-12T10:00:00.000Z'
	}),
	workPackage({ id: 'wp4', storyId: 'upgrade' })
];

/** Sprint 1 (closed, 2–13 Nov) reserved points for support and committed the upgrade. */
const closedSprint = (fields: SprintFields = {}) =>
	sprint({
		id: 'p1',
		teamId: 'ops',
		name: 'Sprint 1',
		state: 'closed',
		start: '2026-11-02',
		end: '2026-11-13',
		reserved: { support: 10 },
		commitments: { upgrade: 8 },
		closedAt: '2026-11-13T17:00:00.000Z',
		...fields
	});
const nextSprint = (fields: SprintFields = {}) =>
	sprint({
		id: 'p2',
		teamId: 'ops',
		name: 'Sprint 2',
		start: '2026-11-16',
		end: '2026-11-27',
		...fields
	});

const leftBehind = (sprintId: string, says: string[]): ExpectedFinding[] => [
	{
		severity: 'warning',
		refs: [
			ref('sprint', sprintId),
			ref('team', 'ops'),
			ref('story', 'support'),
			ref('workPackage', 'wp1'),
			ref('workPackage', 'wp2')
		],
		says
	}
];

describe('R10 carry-over', () => {
	const rows: { name: string; parts: BoardParts; expected: ExpectedFinding[] }[] = [
		{
			name: '[R10] recurring work reserved again in the next sprint passes',
			parts: {
				teams: [ops],
				stories,
				workPackages: openRequests,
				sprints: [closedSprint(), nextSprint({ reserved: { support: 10 } })]
			},
			expected: []
		},
		{
			name: '[R10] recurring work committed (not reserved) in the next sprint passes',
			parts: {
				teams: [ops],
				stories,
				workPackages: openRequests,
				sprints: [closedSprint(), nextSprint({ state: 'planned', commitments: { support: 5 } })]
			},
			expected: []
		},
		{
			name: '[R10] a closed sprint whose recurring story has open work and no next sprint warns',
			parts: { teams: [ops], stories, workPackages: openRequests, sprints: [closedSprint()] },
			expected: leftBehind('p1', [
				'Sprint 1 of Ops closed with 2 open work packages of recurring story "Customer support"',
				"plan it into the team's next sprint"
			])
		},
		{
			name: '[R10] a next sprint that leaves the recurring story out warns',
			parts: {
				teams: [ops],
				stories,
				workPackages: openRequests,
				sprints: [closedSprint(), nextSprint({ commitments: { upgrade: 8 } })]
			},
			expected: leftBehind('p1', ['2 open work packages'])
		},
		{
			name: '[R10] another team planning the story does not carry it over',
			parts: {
				teams: [ops, team({ id: 'web' })],
				stories,
				workPackages: openRequests,
				sprints: [closedSprint(), nextSprint({ id: 'w2', teamId: 'web', reserved: { support: 5 } })]
			},
			expected: leftBehind('p1', ['2 open work packages'])
		},
		{
			name: '[R10] recurring work with nothing open left needs no carry-over',
			parts: {
				teams: [ops],
				stories,
				workPackages: openRequests.filter((wp) => wp.status === 'done'),
				sprints: [closedSprint()]
			},
			expected: []
		},
		{
			name: '[R10] only the newest closed sprint that planned the story warns',
			parts: {
				teams: [ops],
				stories,
				workPackages: openRequests,
				sprints: [
					closedSprint(),
					nextSprint({
						state: 'closed',
						reserved: { support: 10 },
						closedAt: '2026-11-27T17:00:00.000Z'
					})
				]
			},
			expected: leftBehind('p2', ['Sprint 2 of Ops closed with 2 open work packages'])
		},
		{
			name: '[R10] an open sprint is not judged for carry-over',
			parts: {
				teams: [ops],
				stories,
				workPackages: openRequests,
				sprints: [closedSprint({ state: 'active', closedAt: null })]
			},
			expected: []
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('R10', parts, expected);
	});
});
