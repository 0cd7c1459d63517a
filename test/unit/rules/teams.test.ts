import { describe, it } from 'vitest';
import {
	expectFindings,
	person,
	ref,
	team,
	type BoardParts,
	type ExpectedFinding
} from '../../helpers/board-builder';

describe('R12 large-scale roles', () => {
	const teams = (count: number) =>
		Array.from({ length: count }, (_, i) => team({ id: `t${i + 1}` }));
	const cpo = person({ id: 'cpo', name: 'Carla', roles: ['chief-product-owner'] });
	const csm = person({ id: 'csm', name: 'Sami', roles: ['chief-scrum-master', 'team-member'] });
	const noChiefScrumMaster: ExpectedFinding = {
		severity: 'warning',
		refs: [ref('board', 'board')],
		says: ['The board has 4 teams but no Chief Scrum Master', 'more than 3 teams need one']
	};

	const rows: { name: string; parts: BoardParts; expected: ExpectedFinding[] }[] = [
		{
			name: '[R12] 3 teams may share one Product Owner and Scrum Master',
			parts: { teams: teams(3) },
			expected: []
		},
		{
			name: '[R12] 4 teams without either chief warn once per missing role',
			parts: { teams: teams(4) },
			expected: [
				{
					severity: 'warning',
					refs: [ref('board', 'board')],
					says: ['The board has 4 teams but no Chief Product Owner']
				},
				noChiefScrumMaster
			]
		},
		{
			name: '[R12] 4 teams with only a Chief Product Owner warn about the Chief Scrum Master',
			parts: { teams: teams(4), people: [cpo] },
			expected: [noChiefScrumMaster]
		},
		{
			name: '[R12] 4 teams with both chiefs pass',
			parts: { teams: teams(4), people: [cpo, csm] },
			expected: []
		},
		{
			name: '[R12] without board settings there is no board to report on',
			parts: { board: null, teams: teams(5) },
			expected: []
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('R12', parts, expected);
	});
});

describe('R15 team size', () => {
	const sized = (size: number) =>
		team({
			id: 'web',
			name: 'Web',
			memberIds: Array.from({ length: size }, (_, i) => `m${i + 1}`)
		});
	const rows: { name: string; size: number; expected: ExpectedFinding[] }[] = [
		{ name: '[R15] 6 members passes (lower edge)', size: 6, expected: [] },
		{ name: '[R15] 10 members passes (upper edge)', size: 10, expected: [] },
		{
			name: '[R15] 5 members is worth a note',
			size: 5,
			expected: [
				{ severity: 'info', refs: [ref('team', 'web')], says: ['Web has 5 members', '6 to 10'] }
			]
		},
		{
			name: '[R15] 11 members is worth a note',
			size: 11,
			expected: [{ severity: 'info', refs: [ref('team', 'web')], says: ['Web has 11 members'] }]
		}
	];

	it.each(rows)('$name', ({ size, expected }) => {
		expectFindings('R15', { teams: [sized(size)] }, expected);
	});
});
