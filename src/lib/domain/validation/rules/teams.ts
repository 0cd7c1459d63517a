/** Team rules: large boards need chief roles (R12); teams keep a workable size (R15). */
import type { Role } from '../../schema';
import { defineCheck } from '../context';
import { finding } from './support';

/** Up to this many teams may share one Product Owner and one Scrum Master. */
const MAX_TEAMS_WITHOUT_CHIEFS = 3;

const CHIEF_ROLES: readonly { role: Role; title: string; why: string }[] = [
	{
		role: 'chief-product-owner',
		title: 'Chief Product Owner',
		why: 'to order the one shared backlog across teams'
	},
	{
		role: 'chief-scrum-master',
		title: 'Chief Scrum Master',
		why: 'to run the Scrum of Scrums'
	}
];

/**
 * R12: more than three teams need a Chief Product Owner and a Chief Scrum Master; one finding per
 * missing role.
 * Described in docs/domain.md#r12-large-scale-roles.
 */
export const largeScaleRoles = defineCheck({
	rule: 'R12',
	scope: 'board',
	check(board, ctx) {
		const teamCount = ctx.teams().length;
		if (teamCount <= MAX_TEAMS_WITHOUT_CHIEFS) return [];
		const people = ctx.people();
		return CHIEF_ROLES.filter(({ role }) => !people.some((p) => p.roles.includes(role))).map(
			({ title, why }) =>
				finding(
					'R12',
					'warning',
					`The board has ${teamCount} teams but no ${title}; more than ` +
						`${MAX_TEAMS_WITHOUT_CHIEFS} teams need one ${why}.`,
					[{ kind: 'board', id: board.id }]
				)
		);
	}
});

const MIN_TEAM_SIZE = 6;
const MAX_TEAM_SIZE = 10;

/**
 * R15: a team outside 6–10 members is worth a look, not an error.
 * Described in docs/domain.md#r15-team-size.
 */
export const teamSize = defineCheck({
	rule: 'R15',
	scope: 'team',
	check(team) {
		const size = new Set(team.memberIds).size;
		if (size >= MIN_TEAM_SIZE && size <= MAX_TEAM_SIZE) return [];
		return [
			finding(
				'R15',
				'info',
				`${team.name} has ${size} member${size === 1 ? '' : 's'}; Scrum teams work best with ` +
					`${MIN_TEAM_SIZE} to ${MAX_TEAM_SIZE}.`,
				[{ kind: 'team', id: team.id }]
			)
		];
	}
});
