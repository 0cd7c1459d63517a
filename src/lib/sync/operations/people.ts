/** A board member as the board document shows them: their person, roles and teams. */
import * as Y from 'yjs';
import type { Role } from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { setMembership } from '../codec';
import { storedMap, transact, type OpContext } from './context';
import { insertEntity, updateEntity } from './entities';

export interface Placement {
	personId: string;
	name: string;
	roles: Role[];
	/** Every team they are on: they leave the board's other teams. */
	teams: string[];
}

/**
 * Writes a member's name, roles and teams into the board document in one transaction: their
 * person (created if missing) and the member set of every team. Teams the board does not have
 * are skipped.
 */
export function placeMember(docs: BoardDocs, ctx: OpContext, member: Placement): void {
	transact(docs.board, ctx, 'placeMember', () => {
		const people = docs.collection('people');
		const fields = { name: member.name, roles: member.roles };
		if (people.has(member.personId)) updateEntity(people, 'people', member.personId, fields);
		else insertEntity(people, 'people', { id: member.personId, ...fields });
		const teams = docs.collection('teams');
		for (const teamId of teams.keys()) {
			const team = storedMap(teams, 'teams', teamId);
			const memberIds = team.get('memberIds');
			const has = memberIds instanceof Y.Map && memberIds.has(member.personId);
			// Only what changes is written, so concurrent edits of other members survive.
			if (has !== member.teams.includes(teamId)) joinOrLeave(team, member.personId, !has, ctx);
		}
	});
}

/**
 * Adds `personId` to a team's members, noting when they joined (for notifications), or removes
 * them and that note.
 */
export function joinOrLeave(
	team: Y.Map<unknown>,
	personId: string,
	member: boolean,
	ctx: OpContext
) {
	setMembership(team, 'memberIds', personId, member);
	setMembership(team, 'memberSince', personId, member, ctx.now());
}
