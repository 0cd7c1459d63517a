/**
 * What this person may do on the board, as the server decides it from their signed session: a
 * stakeholder-only person reads everything and writes nothing; a team's tasks are written only by
 * its members (R11); the admin invites and removes people. Components read it to show or hide
 * their edit controls, so nobody is offered an edit the server would drop.
 */
import type { StoredSession } from '../client/session';
import { canReview, canWrite, isReadOnly } from '../domain/access';
import type { Role } from '../domain/schema';

export class BoardAccess {
	roles = $state<readonly Role[]>([]);
	teams = $state<readonly string[]>([]);
	admin = $state(false);

	constructor(session: Pick<StoredSession, 'roles' | 'teams' | 'admin'>) {
		this.update(session);
	}

	/** True when every role is stakeholder: the server drops this person's writes to the board. */
	get readOnly(): boolean {
		return isReadOnly(this.roles);
	}

	/** May this person write the tasks of `teamId`? */
	canWriteTeam(teamId: string): boolean {
		return canWrite(this, { teamId });
	}

	/** May this person accept or reject stories in a Sprint Review? */
	get canReview(): boolean {
		return canReview(this.roles);
	}

	update(session: Pick<StoredSession, 'roles' | 'teams' | 'admin'>): void {
		this.roles = session.roles ?? [];
		this.teams = session.teams ?? [];
		this.admin = session.admin ?? false;
	}
}
