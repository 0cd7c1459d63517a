/**
 * R18: work is assigned to someone of its team. The operations refuse anyone else, so this finds
 * what changed since (the person left the team, the task's team changed hands in a merge) or
 * what another client wrote.
 */
import { isTeamMember, teamNames, workPackageTeamIds } from '../../assignees';
import type { Team } from '../../schema';
import { defineCheck, type RuleContext } from '../context';
import { finding } from './support';

/**
 * R18 for a task: its assignee is a member of the team that owns it.
 * Described in docs/domain.md#r18-assignee-in-the-team.
 */
export const taskAssigneeInTeam = defineCheck({
	rule: 'R18',
	scope: 'task',
	check(task, ctx) {
		if (task.assigneeId === null) return [];
		const problem = outsider(task.assigneeId, [task.owningTeamId], ctx);
		if (!problem) return [];
		return [
			finding(
				'R18',
				'warning',
				`Task "${task.title}" is assigned to ${problem.name}, who is not in ${problem.teams}; ` +
					`assign a member of the team, or add ${problem.name} to it.`,
				[
					{ kind: 'task', id: task.id },
					{ kind: 'person', id: task.assigneeId }
				]
			)
		];
	}
});

/**
 * R18 for a work package: its assignee is a member of one of its teams (its story's and every
 * escalation target's).
 * Described in docs/domain.md#r18-assignee-in-the-team.
 */
export const workPackageAssigneeInTeam = defineCheck({
	rule: 'R18',
	scope: 'workPackage',
	check(wp, ctx) {
		if (wp.assigneeId === null || wp.status !== 'open') return [];
		const problem = outsider(
			wp.assigneeId,
			workPackageTeamIds(wp, (id) => ctx.story(id)),
			ctx
		);
		if (!problem) return [];
		return [
			finding(
				'R18',
				'warning',
				`Work package "${wp.title}" is assigned to ${problem.name}, who is not in ${problem.teams}; ` +
					`assign a member of its teams, or add ${problem.name} to one.`,
				[
					{ kind: 'workPackage', id: wp.id },
					{ kind: 'person', id: wp.assigneeId }
				]
			)
		];
	}
});

/** The assignee's name and the teams they are missing from, or null when they belong. */
function outsider(
	personId: string,
	teamIds: readonly string[],
	ctx: RuleContext
): { name: string; teams: string } | null {
	const teams = teamIds.map((id) => ctx.team(id)).filter((t): t is Team => t !== undefined);
	if (teams.length === 0 || teams.some((t) => isTeamMember(t, personId))) return null;
	return {
		name: ctx.person(personId)?.name ?? `someone no longer on the board (${personId})`,
		teams: teamNames(teams)
	};
}
