/**
 * What this person may do on the board, as the server decides it from their signed session: a
 * stakeholder-only person reads everything and writes nothing; a team's tasks are written only by
 * its members (R11); a story is moved and reviewed by its own Product Owner or a Chief Product
 * Owner (A1); the admin invites and removes people and changes the settings. Components read it to show or hide
 * their edit controls, so nobody is offered an edit the server would drop.
 */
import type { StoredSession } from '../client/session';
import { canChangeSettings, canReview, canWrite, decidesFor, isReadOnly } from '../domain/access';
import type { Role, Story } from '../domain/schema';

type Session = Pick<StoredSession, 'roles' | 'teams' | 'admin'> & { personId?: string };

export class BoardAccess {
	personId = $state('');
	roles = $state<readonly Role[]>([]);
	teams = $state<readonly string[]>([]);
	admin = $state(false);

	constructor(session: Session) {
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

	/** May this person change the board's settings? The admin only; the server refuses others. */
	get canChangeSettings(): boolean {
		return canChangeSettings(this);
	}

	/**
	 * Does this person decide for `story`: move it in the backlog, accept or reject it? Its own
	 * Product Owner or a Chief Product Owner; everyone else who writes may propose (A1).
	 */
	decidesFor(story: Pick<Story, 'productOwnerIds'>): boolean {
		return !this.readOnly && decidesFor({ id: this.personId, roles: this.roles }, story);
	}

	/** May this person propose a move or an outcome for `story`? Anyone who writes and does not decide. */
	mayPropose(story: Pick<Story, 'productOwnerIds'>): boolean {
		return !this.readOnly && !this.decidesFor(story);
	}

	update(session: Session): void {
		this.personId = session.personId ?? this.personId;
		this.roles = session.roles ?? [];
		this.teams = session.teams ?? [];
		this.admin = session.admin ?? false;
	}
}
