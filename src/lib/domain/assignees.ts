/**
 * Who looks after a task or a work package. An assignee is a member of the team that owns the
 * task, or of one of the work package's teams: the teams of its story and of every story it was
 * escalated to. The operations refuse anyone else, the views offer only them, and R18 reports an
 * assignment that stopped holding (the person left the team, or another client wrote it).
 */
import type { Person, Story, Team, WorkPackage } from './schema';

/** The teams a work package belongs to: its story's and every escalation target's, by id. */
export function workPackageTeamIds(
	wp: Pick<WorkPackage, 'storyId' | 'escalations'>,
	story: (id: string) => Story | undefined
): string[] {
	const ids = new Set<string>();
	for (const storyId of [wp.storyId, ...wp.escalations.map((hop) => hop.toStoryId)]) {
		for (const teamId of story(storyId)?.teamIds ?? []) ids.add(teamId);
	}
	return [...ids].sort();
}

/** Whether the person belongs to the team: listed as a member, or its Scrum Master. */
export function isTeamMember(team: Team, personId: string): boolean {
	return team.scrumMasterId === personId || team.memberIds.includes(personId);
}

/** The people who may be assigned to work of these teams, by name then id. */
export function eligibleAssignees(
	teamIds: readonly string[],
	team: (id: string) => Team | undefined,
	people: readonly Person[]
): Person[] {
	const teams = teamIds.map(team).filter((t): t is Team => t !== undefined);
	return people
		.filter((person) => teams.some((t) => isTeamMember(t, person.id)))
		.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
}

/**
 * Why `personId` cannot be assigned to work of these teams, or null when they can (null, nobody,
 * always can). Teams that no longer exist are skipped; none left: anyone may be assigned.
 */
export function assigneeProblem(
	personId: string | null,
	teamIds: readonly string[],
	lookup: { team(id: string): Team | undefined; person(id: string): Person | undefined }
): string | null {
	if (personId === null) return null;
	const person = lookup.person(personId);
	if (!person) return `Nobody with id "${personId}" is on this board; pick one of its people.`;
	const teams = teamIds.map((id) => lookup.team(id)).filter((t): t is Team => t !== undefined);
	if (teams.length === 0 || teams.some((t) => isTeamMember(t, personId))) return null;
	return `${person.name} is not in ${teamNames(teams)}; assign a member, or add ${person.name} to the team first.`;
}

/** "Web", "Web or Ops L2", "Web, Mobile or Ops L2". */
export function teamNames(teams: readonly Team[]): string {
	const names = teams.map((t) => t.name);
	return names.length <= 1
		? (names[0] ?? 'no team')
		: `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
