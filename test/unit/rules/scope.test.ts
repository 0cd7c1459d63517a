import { describe, it } from 'vitest';
import {
	expectFindings,
	ref,
	task,
	team,
	type BoardParts,
	type ExpectedFinding
} from '../../helpers/board-builder';

describe('R11 team write scope', () => {
	const teams = [team({ id: 'web', name: 'Web' }), team({ id: 'ops', name: 'Ops' })];
	const rows: { name: string; parts: BoardParts; expected: ExpectedFinding[] }[] = [
		{
			name: '[R11] a task owned by the team whose document holds it passes',
			parts: { teams, tasks: [task({ id: 'k1', owningTeamId: 'ops', homeTeamId: 'ops' })] },
			expected: []
		},
		{
			name: '[R11] a task whose owner differs from its document is an error',
			parts: {
				teams,
				tasks: [
					task({ id: 'k1', title: 'Restart the cache', owningTeamId: 'web', homeTeamId: 'ops' })
				]
			},
			expected: [
				{
					severity: 'error',
					refs: [ref('task', 'k1'), ref('team', 'ops'), ref('team', 'web')],
					says: ['Task "Restart the cache" is owned by Web but lives in Ops\'s document']
				}
			]
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('R11', parts, expected);
	});
});
