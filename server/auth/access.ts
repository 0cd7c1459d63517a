/**
 * Who may open which document, and what they may do there. A request is trusted only with a
 * session token signed by this server, not expired, for this board, from a member who has not
 * been removed (or, on a WebSocket upgrade, a connection ticket issued for such a token). Inside a board: everyone but a stakeholder writes the board document; a team's
 * tasks document is written by that team's members only (R11); everyone reads everything.
 */
import type { ErrorCode } from '../../src/lib/contract/http';
import { canChangeSettings, canWrite } from '../../src/lib/domain/access';
import type { DocumentAddress } from '../relay/document-name';
import type { Role } from '../../src/lib/domain/schema';
import type { Member, MemberStore } from '../store/members';
import type { SharedTickets } from './shared-tickets';
import {
	ConnectionTickets,
	type IssuedTicket,
	type Redeemed,
	type TicketOptions,
	type TicketProblem
} from './tickets';
import { TokenError, type Identity, type TokenIssuer } from './tokens';

/**
 * Refusal of a request, with the HTTP status, a sentence that says what to do and the refusal's
 * code (src/lib/contract/http.ts).
 */
export class AccessError extends Error {
	readonly status: 401 | 403 | 404;
	readonly code: ErrorCode;
	constructor(status: 401 | 403 | 404, message: string, code: ErrorCode) {
		super(message);
		this.name = 'AccessError';
		this.status = status;
		this.code = code;
	}
}

export interface Grant {
	identity: Identity;
	/** False: the connection receives every change but its own are dropped. */
	canWrite: boolean;
	/** False: a change of the board's settings is refused at the write boundary. */
	canChangeSettings: boolean;
}

/** What a refused connection ticket is told, by problem, and the refusal's code. */
const TICKET_REFUSALS: Record<
	TicketProblem,
	{ code: ErrorCode; sentence: (ticketBoard: string | undefined, boardId: string) => string }
> = {
	unknown: {
		code: 'ticket-invalid',
		sentence: () =>
			'This connection ticket is not valid: it was used already or never issued. Ask for a new ticket (POST /api/boards/<board>/tickets) for every connection.'
	},
	expired: {
		code: 'ticket-expired',
		sentence: () =>
			'This connection ticket expired: tickets last a few seconds, so ask for one just before connecting.'
	},
	'other-board': {
		code: 'wrong-board',
		sentence: (ticketBoard, boardId) =>
			`This connection ticket is for board "${ticketBoard}", not "${boardId}": ask for a ticket of the board you open.`
	}
};

export type RemovalListener = (boardId: string, personId: string) => void;
/** Told when a member's teams, roles or admin flag changed (their connections must reconnect). */
export type AccessChangeListener = (boardId: string, personId: string) => void;
/** Told when anything about a board's members or change requests changed. */
export type MembersListener = (boardId: string) => void;

export interface AccessControlOptions {
	tokens: TokenIssuer;
	members: MemberStore;
	now?: () => number;
	/** Connection tickets' lifetime and bounds (their clock is `now`). */
	tickets?: Omit<TicketOptions, 'now'>;
	/**
	 * How often to read the member records of the people connected here, when other server
	 * instances share the store and may remove or change them (their listeners fire there, not
	 * here). Off (undefined) for a single instance, whose own changes notify at once.
	 */
	sharedStoreSweepMs?: number;
	/**
	 * Where tickets are shared with the other instances (Redis), so one issued by any instance
	 * opens a connection on any other; without it tickets stay with the instance that issued them.
	 */
	sharedTickets?: SharedTickets;
}

/** A person connected here, watched for changes another instance makes to their record. */
interface Watched {
	/** Open connections watching them. */
	count: number;
	/** Their record was as it is now at this instant (a later `changedAt` is news). */
	confirmedAt: number;
}

export class AccessControl {
	readonly tokens: TokenIssuer;
	readonly members: MemberStore;
	readonly #now: () => number;
	readonly #tickets: ConnectionTickets;
	readonly #removalListeners = new Set<RemovalListener>();
	readonly #accessListeners = new Set<AccessChangeListener>();
	readonly #membersListeners = new Set<MembersListener>();
	/** Board id → person id → watch, while other instances may change their records. */
	readonly #watched = new Map<string, Map<string, Watched>>();
	readonly #sweep: ReturnType<typeof setInterval> | null = null;
	readonly #sharedTickets: SharedTickets | null;
	/** Tickets this instance put in the shared store, with their expiry: the shared copy decides. */
	readonly #shared = new Map<string, number>();
	#sweeping = false;

	constructor(options: AccessControlOptions) {
		this.tokens = options.tokens;
		this.members = options.members;
		this.#now = options.now ?? Date.now;
		this.#tickets = new ConnectionTickets({ ...options.tickets, now: this.#now });
		this.#sharedTickets = options.sharedTickets ?? null;
		if (options.sharedStoreSweepMs !== undefined) {
			this.#sweep = setInterval(() => void this.#sweepShared(), options.sharedStoreSweepMs);
			this.#sweep.unref();
		}
	}

	/**
	 * Watches a connected person's record for changes another instance makes (removed, or their
	 * teams, roles or admin flag changed), which then notify this instance's listeners as its
	 * own changes do. Does nothing without `sharedStoreSweepMs`. Returns the function to stop.
	 */
	watch(boardId: string, personId: string): () => void {
		if (this.#sweep === null) return () => {};
		let board = this.#watched.get(boardId);
		if (!board) this.#watched.set(boardId, (board = new Map()));
		let watched = board.get(personId);
		if (!watched) board.set(personId, (watched = { count: 0, confirmedAt: this.#now() }));
		watched.count++;
		let stopped = false;
		return () => {
			if (stopped) return;
			stopped = true;
			const current = this.#watched.get(boardId)?.get(personId);
			if (!current || --current.count > 0) return;
			board.delete(personId);
			if (board.size === 0) this.#watched.delete(boardId);
		};
	}

	/** Stops watching the shared store and lets go of the shared tickets. */
	close(): void {
		if (this.#sweep !== null) clearInterval(this.#sweep);
		void this.#sharedTickets?.close();
	}

	/** One read of the watched boards' members; what changed elsewhere notifies here. */
	async #sweepShared(): Promise<void> {
		if (this.#sweeping || this.#watched.size === 0) return;
		this.#sweeping = true;
		try {
			const at = this.#now();
			// Who was watched when the read began: someone arriving meanwhile waits for the next.
			const watched = [...this.#watched].map(
				([boardId, people]) => [boardId, [...people]] as const
			);
			let records: Member[];
			try {
				records = await this.members.membersOfBoards(watched.map(([boardId]) => boardId));
			} catch {
				return; // The store is down: the next sweep reads again.
			}
			const byKey = new Map(
				records.map((member) => [`${member.boardId}\u0000${member.personId}`, member])
			);
			for (const [boardId, people] of watched) {
				for (const [personId, person] of people) {
					const member = byKey.get(`${boardId}\u0000${personId}`);
					if (member?.removedAt != null) {
						for (const listener of this.#removalListeners) listener(boardId, personId);
					} else if (member?.changedAt != null && member.changedAt > person.confirmedAt) {
						for (const listener of this.#accessListeners) listener(boardId, personId);
					}
					person.confirmedAt = at;
				}
			}
		} finally {
			this.#sweeping = false;
		}
	}

	/**
	 * The identity behind a session token for `boardId`. A token the server signed for a person
	 * it has not seen yet (one from `npm run token`) registers them as a member. The member
	 * record, not the token, says the person's name, teams, roles and admin flag now: a token
	 * keeps what they were when it was signed.
	 */
	async authenticate(token: string | null, boardId: string): Promise<Identity> {
		if (token === null || token === '') {
			throw new AccessError(
				401,
				'A session token is needed: join the board through an invite link, then retry.',
				'session-missing'
			);
		}
		let identity: Identity;
		try {
			identity = await this.tokens.verifySession(token);
		} catch (error) {
			if (error instanceof TokenError) {
				throw new AccessError(
					401,
					`${error.message} Join the board again to get a new one.`,
					error.problem === 'expired' ? 'session-expired' : 'session-invalid'
				);
			}
			throw error;
		}
		if (identity.boardId !== boardId) {
			throw new AccessError(
				403,
				`Your session is for board "${identity.boardId}", not "${boardId}": open that board, or ask this board's admin for an invite.`,
				'wrong-board'
			);
		}
		return this.#requireMember(identity);
	}

	/** The identity a WebSocket upgrade to a document of `boardId` speaks for. */
	async authenticateConnection(credential: Credential, boardId: string): Promise<Identity> {
		if (credential.kind !== 'ticket') {
			return this.authenticate(credential.kind === 'token' ? credential.token : null, boardId);
		}
		const redeemed = await this.#redeem(credential.ticket, boardId);
		if ('problem' in redeemed) {
			const refusal = TICKET_REFUSALS[redeemed.problem];
			throw new AccessError(401, refusal.sentence(redeemed.boardId, boardId), refusal.code);
		}
		const identity = redeemed.identity;
		// The ticket outlived neither the session nor the membership it was issued for.
		if (identity.expiresAt !== null && identity.expiresAt <= this.#now()) {
			throw new AccessError(
				401,
				'Your session expired. Join the board again to get a new one.',
				'session-expired'
			);
		}
		return this.#requireMember(identity);
	}

	/**
	 * A single-use ticket for `identity` to open one connection to its board, or null while the
	 * server holds too many unused ones.
	 */
	async issueTicket(identity: Identity): Promise<IssuedTicket | null> {
		const issued = this.#tickets.issue(identity);
		if (issued && this.#sharedTickets) {
			const now = this.#now();
			for (const [ticket, expiresAt] of this.#shared)
				if (expiresAt <= now) this.#shared.delete(ticket);
			// Shared, the page's connection may land on any instance; if Redis is away, on this one.
			try {
				await this.#sharedTickets.put(issued.ticket, identity, issued.expiresAt);
				this.#shared.set(issued.ticket, issued.expiresAt);
			} catch {
				// Kept here only.
			}
		}
		return issued;
	}

	/**
	 * Uses up a ticket: the shared copy when there is one (whichever instance issued it), and this
	 * instance's own with it; a ticket shared from here whose shared copy is gone was used on
	 * another instance. While Redis is away, this instance's own tickets still work here.
	 */
	async #redeem(ticket: string, boardId: string): Promise<Redeemed> {
		if (this.#sharedTickets) {
			let shared: Awaited<ReturnType<SharedTickets['take']>> | undefined;
			try {
				shared = await this.#sharedTickets.take(ticket);
			} catch {
				shared = undefined; // Redis is away: this instance's own tickets decide.
			}
			const sharedFromHere = this.#shared.delete(ticket);
			if (shared) {
				this.#tickets.redeem(ticket, boardId);
				if (shared.expiresAt <= this.#now()) return { problem: 'expired' };
				if (shared.identity.boardId !== boardId) {
					return { problem: 'other-board', boardId: shared.identity.boardId };
				}
				return { identity: shared.identity };
			}
			if (shared === null && sharedFromHere) {
				this.#tickets.redeem(ticket, boardId);
				return { problem: 'unknown' };
			}
		}
		return this.#tickets.redeem(ticket, boardId);
	}

	/**
	 * Refuses a removed member; registers a person the server signed a token for but never saw.
	 * Returns the identity as the member record has it now.
	 */
	async #requireMember(identity: Identity): Promise<Identity> {
		const known = await this.members.member(identity.boardId, identity.personId);
		// Sandbox members are all registered on joining: none is missing unless it was removed.
		if (!known && identity.sandbox) {
			throw new AccessError(
				401,
				'This demo sandbox was removed after it sat unused. Open the demo again for a fresh copy.',
				'session-expired'
			);
		}
		const member =
			known ??
			(await this.members.putMember({
				boardId: identity.boardId,
				personId: identity.personId,
				name: identity.name,
				teams: [...identity.teams],
				roles: [...identity.roles],
				admin: identity.admin,
				joinedAt: this.#now()
			}));
		if (member.removedAt !== null) {
			throw new AccessError(
				401,
				'You were removed from this board. Ask its admin for a new invite if this is a mistake.',
				'member-removed'
			);
		}
		// Someone uses the board: a demo sandbox in use is not idle (server/demo-sandboxes.ts).
		await this.members.touchBoard(identity.boardId, this.#now());
		// A token signed after the member's last change says what the record says; one signed
		// before describes them as they were (or, from `npm run token`, as the script wants).
		if (member.changedAt === null || (identity.issuedAt ?? 0) >= member.changedAt) {
			return identity;
		}
		return {
			...identity,
			name: member.name,
			teams: [...member.teams],
			roles: [...member.roles],
			admin: member.admin
		};
	}

	/** What `identity` may do with the document at `address` (of its own board). */
	grant(identity: Identity, address: DocumentAddress): Grant {
		if (address.boardId !== identity.boardId) {
			throw new AccessError(
				403,
				`Your session is not for board "${address.boardId}".`,
				'wrong-board'
			);
		}
		if (address.personId !== null && address.personId !== identity.personId) {
			throw new AccessError(
				403,
				'A personal document is read and written by its own person only.',
				'not-yours'
			);
		}
		return {
			identity,
			canWrite: canWrite(identity, address),
			canChangeSettings: canChangeSettings(identity)
		};
	}

	/** Authenticates, then checks the person is the board's admin. */
	async authenticateAdmin(token: string | null, boardId: string): Promise<Identity> {
		const identity = await this.authenticate(token, boardId);
		if (!identity.admin) {
			throw new AccessError(403, "Only the board's admin may do this.", 'not-admin');
		}
		return identity;
	}

	/** Removes a member: their token stops working and their connections are closed. */
	async removeMember(boardId: string, personId: string): Promise<boolean> {
		const removed = await this.members.remove(boardId, personId, this.#now());
		if (removed) {
			for (const listener of this.#removalListeners) listener(boardId, personId);
			this.membersChanged(boardId);
		}
		return removed;
	}

	/**
	 * Records a member's new name, teams, roles or admin flag. When what they may do changed,
	 * their open connections are told to reconnect, so the next one is granted by the new record.
	 */
	async updateMember(
		boardId: string,
		personId: string,
		change: { name?: string; teams?: string[]; roles?: Role[]; admin?: boolean }
	): Promise<Member | null> {
		const member = await this.members.member(boardId, personId);
		if (!member || member.removedAt !== null) return null;
		const updated = await this.members.putMember({ ...member, ...change, changedAt: this.#now() });
		const accessChanged =
			!sameSet(member.teams, updated.teams) ||
			!sameSet(member.roles, updated.roles) ||
			member.admin !== updated.admin;
		if (accessChanged) for (const listener of this.#accessListeners) listener(boardId, personId);
		this.membersChanged(boardId);
		return updated;
	}

	/** Tells every Members view of the board to read the members and requests again. */
	membersChanged(boardId: string): void {
		for (const listener of this.#membersListeners) listener(boardId);
	}

	/** Calls `listener` whenever a member's teams, roles or admin flag change. */
	onAccessChange(listener: AccessChangeListener): () => void {
		this.#accessListeners.add(listener);
		return () => this.#accessListeners.delete(listener);
	}

	/** Calls `listener` whenever a board's members or change requests change. */
	onMembersChange(listener: MembersListener): () => void {
		this.#membersListeners.add(listener);
		return () => this.#membersListeners.delete(listener);
	}

	/** Calls `listener` whenever a member is removed; returns the unsubscribe function. */
	onRemoval(listener: RemovalListener): () => void {
		this.#removalListeners.add(listener);
		return () => this.#removalListeners.delete(listener);
	}
}

/**
 * What a WebSocket upgrade presents: `?ticket=` (browsers, see `tickets.ts`), else `?token=` (the
 * official y-websocket client's `params`, for scripts). Cookies are never read: a browser sends
 * them with upgrades any page opens, which would let another site connect as its visitor.
 */
export type Credential =
	{ kind: 'ticket'; ticket: string } | { kind: 'token'; token: string } | { kind: 'none' };

/** The credential in an upgrade's URL. */
export function credentialOf(url: string | undefined): Credential {
	const query = queryOf(url);
	const ticket = query.get('ticket');
	if (ticket !== null) return { kind: 'ticket', ticket };
	const token = query.get('token');
	return token !== null ? { kind: 'token', token } : { kind: 'none' };
}

/** The bearer token of an HTTP API request, or `?token=`. */
export function bearerOf(
	authorization: string | undefined,
	url: string | undefined
): string | null {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
	return match ? match[1]! : queryOf(url).get('token');
}

function queryOf(url: string | undefined): URLSearchParams {
	const start = url?.indexOf('?') ?? -1;
	return new URLSearchParams(start === -1 ? '' : url!.slice(start + 1));
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
	return a.length === b.length && a.every((item) => b.includes(item));
}
