import { describe, it } from 'vitest';
import {
	expectFindings,
	hop,
	person,
	ref,
	story,
	task,
	team,
	workPackage,
	type BoardParts,
	type ExpectedFinding
} from '../../helpers/board-builder';

describe('R18 assignee in the team', () => {
	const people = [
		person({ id: 'ana', name: 'Ana' }),
		person({ id: 'omar', name: 'Omar' }),
		person({ id: 'sam', name: 'Sam' })
	];
	const teams = [
		team({ id: 'web', name: 'Web', memberIds: ['ana'], scrumMasterId: 'sam' }),
		team({ id: 'ops', name: 'Ops L2', memberIds: ['omar'] })
	];
	const stories = [
		story({ id: 's1', teamIds: ['web'], duration: 'recurring' }),
		story({ id: 'l2', teamIds: ['ops'], duration: 'recurring' })
	];
	const base: BoardParts = { people, teams, stories };

	const rows: { name: string; parts: BoardParts; expected: ExpectedFinding[] }[] = [
		{
			name: '[R18] a task assigned to a member of its team passes; so does an unassigned one',
			parts: {
				...base,
				tasks: [
					task({ id: 'k1', owningTeamId: 'web', homeTeamId: 'web', assigneeId: 'ana' }),
					task({ id: 'k2', owningTeamId: 'web', homeTeamId: 'web' })
				]
			},
			expected: []
		},
		{
			name: "[R18] the team's Scrum Master counts as a member",
			parts: {
				...base,
				tasks: [task({ id: 'k1', owningTeamId: 'web', homeTeamId: 'web', assigneeId: 'sam' })]
			},
			expected: []
		},
		{
			name: '[R18] a task assigned to someone of another team warns, naming both',
			parts: {
				...base,
				tasks: [
					task({
						id: 'k1',
						title: 'Roll back',
						owningTeamId: 'web',
						homeTeamId: 'web',
						assigneeId: 'omar'
					})
				]
			},
			expected: [
				{
					severity: 'warning',
					refs: [ref('task', 'k1'), ref('person', 'omar')],
					says: ['Task "Roll back" is assigned to Omar, who is not in Web', 'add Omar to it']
				}
			]
		},
		{
			name: '[R18] a work package may go to a member of a team it was escalated to',
			parts: {
				...base,
				workPackages: [
					workPackage({
						id: 'wp1',
						storyId: 's1',
						assigneeId: 'omar',
						escalations: [hop({ fromStoryId: 's1', toStoryId: 'l2' })]
					})
				]
			},
			expected: []
		},
		{
			name: '[R18] an open work package assigned outside its teams warns',
			parts: {
				...base,
				workPackages: [
					workPackage({ id: 'wp1', title: 'EU cards', storyId: 's1', assigneeId: 'omar' })
				]
			},
			expected: [
				{
					severity: 'warning',
					refs: [ref('workPackage', 'wp1'), ref('person', 'omar')],
					says: ['Work package "EU cards" is assigned to Omar, who is not in Web']
				}
			]
		},
		{
			name: '[R18] a done work package is history: nothing to reassign',
			parts: {
				...base,
				workPackages: [
					workPackage({
						id: 'wp1',
						storyId: 's1',
						assigneeId: 'omar',
						status: 'done',
						completedAt: '2026-11-21T10:00:00.000Z'
					})
				]
			},
			expected: []
		},
		{
			name: '[R18] a work package whose story has no team takes anyone',
			parts: {
				...base,
				stories: [story({ id: 's1', teamIds: [] })],
				workPackages: [workPackage({ id: 'wp1', storyId: 's1', assigneeId: 'omar' })]
			},
			expected: []
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('R18', parts, expected);
	});
});
