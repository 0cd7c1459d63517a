/**
 * Who may change whose teams and roles on a board (docs/domain.md#members). A member renames
 * themselves; changing one's teams or roles is a request that an approver decides: the board's
 * admin always, or the Scrum Master of every team the change touches, for the roles a team
 * gives (team member, Scrum Master, Product Owner, stakeholder). The admin also edits anyone's
 * teams and roles directly, their own included. The server decides with these rules; the
 * Members view uses them to offer only what the server will accept.
 */
import type { Role } from './schema';

/** Where a change request stands; only a pending one can be decided. */
export const REQUEST_STATUSES = ['pending', 'approved', 'declined', 'withdrawn'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** The roles a team's Scrum Master may grant or take away; the chief roles need the admin. */
export const TEAM_ROLES: readonly Role[] = [
	'team-member',
	'scrum-master',
	'product-owner',
	'stakeholder'
];

/** A member's teams and roles, now or as asked for. */
export interface Placement {
	readonly teams: readonly string[];
	readonly roles: readonly Role[];
}

/** Who decides: their person id and whether they administer the board. */
export interface Approver {
	readonly personId: string;
	readonly admin: boolean;
}

const difference = <T>(a: readonly T[], b: readonly T[]) => a.filter((x) => !b.includes(x));

/**
 * The teams a change from `current` to `wanted` touches: those joined or left, and, when the
 * roles change, every team the person is in before or after (the role is held there).
 */
export function teamsTouched(current: Placement, wanted: Placement): string[] {
	const moved = [
		...difference(wanted.teams, current.teams),
		...difference(current.teams, wanted.teams)
	];
	const rolesChange =
		difference(wanted.roles, current.roles).length > 0 ||
		difference(current.roles, wanted.roles).length > 0;
	const touched = rolesChange ? [...current.teams, ...wanted.teams, ...moved] : moved;
	return [...new Set(touched)].sort();
}

/** Whether `wanted` differs from `current` at all. */
export function changesPlacement(current: Placement, wanted: Placement): boolean {
	return (
		teamsTouched(current, wanted).length > 0 ||
		difference(wanted.roles, current.roles).length > 0 ||
		difference(current.roles, wanted.roles).length > 0
	);
}

/**
 * May `approver` decide a request of `requesterId` to move from `current` to `wanted`? The
 * admin may decide any. Anyone else only someone else's, when they are the Scrum Master
 * (`scrumMasterOf`) of every team it touches and the roles it adds or removes are team roles.
 */
export function mayDecide(
	approver: Approver,
	requesterId: string,
	current: Placement,
	wanted: Placement,
	scrumMasterOf: (teamId: string) => string | null | undefined
): boolean {
	if (approver.admin) return true;
	if (approver.personId === requesterId) return false;
	const touched = teamsTouched(current, wanted);
	if (touched.length === 0) return false;
	const rolesMoved = [
		...difference(wanted.roles, current.roles),
		...difference(current.roles, wanted.roles)
	];
	if (rolesMoved.some((role) => !TEAM_ROLES.includes(role))) return false;
	return touched.every((teamId) => scrumMasterOf(teamId) === approver.personId);
}
