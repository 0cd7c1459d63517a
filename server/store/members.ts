/**
 * Who belongs to which board: the server's own record, never a document clients can edit. A
 * session token is only honoured while its person is a member that has not been removed, which
 * is what makes removal (revocation) immediate; likewise an invite works only while its record
 * here is neither revoked nor expired. The SQLite implementation shares the document
 * store's file (sqlite-members.ts); this one, in memory, is for tests.
 */
import type { RequestStatus } from '../../src/lib/domain/membership';
import type { Role } from '../../src/lib/domain/schema';

export interface BoardRecord {
	id: string;
	name: string;
	/** ms since epoch */
	createdAt: number;
	/** A demo sandbox, one visitor's copy of the demo: removed once idle. Default false. */
	sandbox: boolean;
	/** ms since epoch: when someone last connected to or reopened it (default `createdAt`). */
	lastActiveAt: number;
}

/** A new board: a sandbox only when said, active since its creation unless said. */
export type NewBoard = Omit<BoardRecord, 'sandbox' | 'lastActiveAt'> &
	Partial<Pick<BoardRecord, 'sandbox' | 'lastActiveAt'>>;

export interface Member {
	boardId: string;
	personId: string;
	name: string;
	teams: string[];
	roles: Role[];
	admin: boolean;
	/** ms since epoch */
	joinedAt: number;
	/** ms since epoch; null while a member */
	removedAt: number | null;
	/**
	 * ms since epoch: when their name, teams, roles or admin flag last changed on the board (an
	 * edit, an approved request, joining again); null if never. Session tokens signed before it
	 * describe them as they were, so the record counts instead.
	 */
	changedAt: number | null;
}

/** A member as stored: `changedAt` left out keeps the stored one. */
export type MemberInput = Omit<Member, 'removedAt' | 'changedAt'> & { changedAt?: number | null };

/** An invite link the admin made: joining with it is allowed until it expires or is revoked. */
export interface InviteRecord {
	boardId: string;
	/** The invite token's `jti`. */
	id: string;
	teamId: string | null;
	role: Role;
	/** The admin who made it. */
	createdBy: string;
	/** ms since epoch */
	createdAt: number;
	/** ms since epoch */
	expiresAt: number;
	/** ms since epoch; null while the link works */
	revokedAt: number | null;
}

/** A member's request to change their teams and roles, and what became of it. */
export interface ChangeRequestRecord {
	boardId: string;
	id: string;
	/** Who asks. */
	personId: string;
	/** The teams and roles they ask to have (all of them, not a difference). */
	teams: string[];
	roles: Role[];
	status: RequestStatus;
	/** ms since epoch */
	createdAt: number;
	/** Who approved or declined it (the requester, for a withdrawn one); null while pending. */
	decidedBy: string | null;
	/** ms since epoch; null while pending */
	decidedAt: number | null;
}

export interface MemberStore {
	/** Registers a board; false when the id is taken. */
	createBoard(board: NewBoard): Promise<boolean>;
	board(id: string): Promise<BoardRecord | null>;
	/** Records activity on a board at `at` (never moving its last activity back). */
	touchBoard(id: string, at: number): Promise<void>;
	/** Ids of sandboxes last active before `before`, least recently active first, at most `limit`. */
	idleSandboxes(before: number, limit: number): Promise<string[]>;
	/** Forgets a board with its members, invites and change requests; false when unknown. */
	deleteBoard(id: string): Promise<boolean>;
	/**
	 * Adds a member, or updates their name, teams, roles and admin flag. A removed member stays
	 * removed: removal is only undone by joining again under a new person id.
	 */
	putMember(member: MemberInput): Promise<Member>;
	member(boardId: string, personId: string): Promise<Member | null>;
	/** Everyone who ever joined the board, removed ones included, by join time. */
	members(boardId: string): Promise<Member[]>;
	/** Everyone who ever joined any of `boardIds` (in no particular order): one read for many boards. */
	membersOfBoards(boardIds: readonly string[]): Promise<Member[]>;
	/** Marks a member removed; false when there is no such member (or they were removed before). */
	remove(boardId: string, personId: string, at: number): Promise<boolean>;
	/** Records an invite as it is issued. */
	putInvite(invite: Omit<InviteRecord, 'revokedAt'>): Promise<void>;
	invite(boardId: string, id: string): Promise<InviteRecord | null>;
	/** Invites neither revoked nor expired at `now`, newest first, at most `limit`. */
	openInvites(boardId: string, now: number, limit: number): Promise<InviteRecord[]>;
	/** Marks an invite revoked; false when there is no such invite or it was revoked before. */
	revokeInvite(boardId: string, id: string, at: number): Promise<boolean>;
	/** Records a new, pending change request (an id already used is ignored). */
	putRequest(
		request: Omit<ChangeRequestRecord, 'status' | 'decidedBy' | 'decidedAt'>
	): Promise<void>;
	request(boardId: string, id: string): Promise<ChangeRequestRecord | null>;
	/** The board's change requests, newest first, at most `limit`. */
	requests(boardId: string, limit: number): Promise<ChangeRequestRecord[]>;
	/**
	 * Settles a pending request as approved, declined or withdrawn by `by`; false when there is
	 * no such request or it was settled before.
	 */
	decideRequest(
		boardId: string,
		id: string,
		status: Exclude<RequestStatus, 'pending'>,
		by: string,
		at: number
	): Promise<boolean>;
}

export class MemoryMemberStore implements MemberStore {
	readonly #boards = new Map<string, BoardRecord>();
	readonly #members = new Map<string, Member>();
	readonly #invites = new Map<string, InviteRecord>();
	readonly #requests = new Map<string, ChangeRequestRecord>();

	async createBoard(board: NewBoard): Promise<boolean> {
		if (this.#boards.has(board.id)) return false;
		this.#boards.set(board.id, {
			...board,
			sandbox: board.sandbox ?? false,
			lastActiveAt: board.lastActiveAt ?? board.createdAt
		});
		return true;
	}

	async board(id: string): Promise<BoardRecord | null> {
		const board = this.#boards.get(id);
		return board ? { ...board } : null;
	}

	async touchBoard(id: string, at: number): Promise<void> {
		const board = this.#boards.get(id);
		if (board) board.lastActiveAt = Math.max(board.lastActiveAt, at);
	}

	async idleSandboxes(before: number, limit: number): Promise<string[]> {
		return [...this.#boards.values()]
			.filter((board) => board.sandbox && board.lastActiveAt < before)
			.sort((a, b) => a.lastActiveAt - b.lastActiveAt || (a.id < b.id ? -1 : 1))
			.slice(0, limit)
			.map((board) => board.id);
	}

	async deleteBoard(id: string): Promise<boolean> {
		const existed = this.#boards.delete(id);
		for (const map of [this.#members, this.#invites, this.#requests]) {
			for (const [key, record] of map) if (record.boardId === id) map.delete(key);
		}
		return existed;
	}

	async putMember(member: MemberInput): Promise<Member> {
		const key = boardKey(member.boardId, member.personId);
		const previous = this.#members.get(key);
		const stored: Member = {
			...member,
			teams: [...member.teams],
			roles: [...member.roles],
			joinedAt: previous?.joinedAt ?? member.joinedAt,
			removedAt: previous?.removedAt ?? null,
			changedAt: member.changedAt ?? previous?.changedAt ?? null
		};
		this.#members.set(key, stored);
		return copy(stored);
	}

	async member(boardId: string, personId: string): Promise<Member | null> {
		const member = this.#members.get(boardKey(boardId, personId));
		return member ? copy(member) : null;
	}

	async members(boardId: string): Promise<Member[]> {
		return [...this.#members.values()]
			.filter((member) => member.boardId === boardId)
			.sort((a, b) => a.joinedAt - b.joinedAt || (a.personId < b.personId ? -1 : 1))
			.map(copy);
	}

	async membersOfBoards(boardIds: readonly string[]): Promise<Member[]> {
		const boards = new Set(boardIds);
		return [...this.#members.values()].filter((member) => boards.has(member.boardId)).map(copy);
	}

	async remove(boardId: string, personId: string, at: number): Promise<boolean> {
		const member = this.#members.get(boardKey(boardId, personId));
		if (!member || member.removedAt !== null) return false;
		member.removedAt = at;
		return true;
	}

	async putInvite(invite: Omit<InviteRecord, 'revokedAt'>): Promise<void> {
		const key = boardKey(invite.boardId, invite.id);
		if (!this.#invites.has(key)) this.#invites.set(key, { ...invite, revokedAt: null });
	}

	async invite(boardId: string, id: string): Promise<InviteRecord | null> {
		const invite = this.#invites.get(boardKey(boardId, id));
		return invite ? { ...invite } : null;
	}

	async openInvites(boardId: string, now: number, limit: number): Promise<InviteRecord[]> {
		return [...this.#invites.values()]
			.filter((i) => i.boardId === boardId && i.revokedAt === null && i.expiresAt > now)
			.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
			.slice(0, limit)
			.map((invite) => ({ ...invite }));
	}

	async revokeInvite(boardId: string, id: string, at: number): Promise<boolean> {
		const invite = this.#invites.get(boardKey(boardId, id));
		if (!invite || invite.revokedAt !== null) return false;
		invite.revokedAt = at;
		return true;
	}

	async putRequest(
		request: Omit<ChangeRequestRecord, 'status' | 'decidedBy' | 'decidedAt'>
	): Promise<void> {
		const key = boardKey(request.boardId, request.id);
		if (this.#requests.has(key)) return;
		this.#requests.set(key, {
			...request,
			teams: [...request.teams],
			roles: [...request.roles],
			status: 'pending',
			decidedBy: null,
			decidedAt: null
		});
	}

	async request(boardId: string, id: string): Promise<ChangeRequestRecord | null> {
		const request = this.#requests.get(boardKey(boardId, id));
		return request ? copyRequest(request) : null;
	}

	async requests(boardId: string, limit: number): Promise<ChangeRequestRecord[]> {
		return [...this.#requests.values()]
			.filter((request) => request.boardId === boardId)
			.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
			.slice(0, limit)
			.map(copyRequest);
	}

	async decideRequest(
		boardId: string,
		id: string,
		status: Exclude<RequestStatus, 'pending'>,
		by: string,
		at: number
	): Promise<boolean> {
		const request = this.#requests.get(boardKey(boardId, id));
		if (!request || request.status !== 'pending') return false;
		Object.assign(request, { status, decidedBy: by, decidedAt: at });
		return true;
	}
}

function copyRequest(request: ChangeRequestRecord): ChangeRequestRecord {
	return { ...request, teams: [...request.teams], roles: [...request.roles] };
}

function boardKey(boardId: string, id: string): string {
	return `${boardId}\u0000${id}`;
}

function copy(member: Member): Member {
	return { ...member, teams: [...member.teams], roles: [...member.roles] };
}
