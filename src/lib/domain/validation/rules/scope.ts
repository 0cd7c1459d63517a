/** Write-scope rule: a task stays owned by the team whose document holds it (R11). */
import { defineCheck } from '../context';
import { finding, refsOf, teamName } from './support';

/**
 * R11: the server lets a team edit only its own tasks, so an owner that differs from the
 * document the task lives in means a write slipped past it (or a merge moved ownership).
 * Described in docs/domain.md#r11-team-write-scope.
 */
export const teamWriteScope = defineCheck({
	rule: 'R11',
	scope: 'task',
	check(task, ctx) {
		if (task.owningTeamId === task.homeTeamId) return [];
		return [
			finding(
				'R11',
				'error',
				`Task "${task.title}" is owned by ${teamName(ctx, task.owningTeamId)} but lives in ` +
					`${teamName(ctx, task.homeTeamId)}'s document; only the owning team may edit it.`,
				[{ kind: 'task', id: task.id }, ...refsOf('team', [task.owningTeamId, task.homeTeamId])]
			)
		];
	}
});
