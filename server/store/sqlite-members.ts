/**
 * MemberStore in the SQLite file of the document store (tables `boards`, `members`, `invites`
 * and `change_requests`).
 */
import type Database from 'better-sqlite3';
import type { RequestStatus } from '../../src/lib/domain/membership';
import type {
	BoardRecord,
	ChangeRequestRecord,
	InviteRecord,
	Member,
	MemberInput,
	MemberStore,
	NewBoard
} from './members';
import {
	boardFromRow,
	inviteFromRow,
	memberFromRow,
	requestFromRow,
	type BoardRow,
	type InviteRow,
	type MemberRow,
	type RequestRow
} from './member-rows';

export class SqliteMemberStore implements MemberStore {
	readonly #insertBoard: Database.Statement<[string, string, number, number, number]>;
	readonly #selectBoard: Database.Statement<[string], BoardRow>;
	readonly #touchBoard: Database.Statement<[number, string, number]>;
	readonly #selectIdle: Database.Statement<[number, number], string>;
	readonly #deleteBoard: Database.Transaction<(id: string) => boolean>;
	readonly #insertRequest: Database.Statement<[string, string, string, string, string, number]>;
	readonly #selectRequest: Database.Statement<[string, string], RequestRow>;
	readonly #selectRequests: Database.Statement<[string, number], RequestRow>;
	readonly #decideRequest: Database.Statement<[string, string, number, string, string]>;
	readonly #upsertMember: Database.Statement<
		[string, string, string, string, string, number, number, number | null]
	>;
	readonly #selectMember: Database.Statement<[string, string], MemberRow>;
	readonly #selectMembers: Database.Statement<[string], MemberRow>;
	readonly #removeMember: Database.Statement<[number, string, string]>;
	readonly #insertInvite: Database.Statement<
		[string, string, string | null, string, string, number, number]
	>;
	readonly #selectInvite: Database.Statement<[string, string], InviteRow>;
	readonly #selectOpenInvites: Database.Statement<[string, number, number], InviteRow>;
	readonly #revokeInvite: Database.Statement<[number, string, string]>;

	constructor(db: Database.Database) {
		this.#insertBoard = db.prepare(
			`INSERT INTO boards (id, name, created_at, sandbox, last_active_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`
		);
		this.#selectBoard = db.prepare(
			'SELECT id, name, created_at, sandbox, last_active_at FROM boards WHERE id = ?'
		);
		this.#touchBoard = db.prepare(
			'UPDATE boards SET last_active_at = ? WHERE id = ? AND last_active_at < ?'
		);
		this.#selectIdle = db
			.prepare<[number, number], string>(
				`SELECT id FROM boards WHERE sandbox = 1 AND last_active_at < ?
				ORDER BY last_active_at, id LIMIT ?`
			)
			.pluck();
		const deletions = ['members', 'invites', 'change_requests'].map((table) =>
			db.prepare<[string]>(`DELETE FROM ${table} WHERE board = ?`)
		);
		const deleteBoardRow = db.prepare<[string]>('DELETE FROM boards WHERE id = ?');
		this.#deleteBoard = db.transaction((id: string) => {
			for (const deletion of deletions) deletion.run(id);
			return deleteBoardRow.run(id).changes === 1;
		});
		this.#insertRequest = db.prepare(
			`INSERT INTO change_requests (board, id, person, teams, roles, status, created_at)
			VALUES (?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (board, id) DO NOTHING`
		);
		this.#selectRequest = db.prepare('SELECT * FROM change_requests WHERE board = ? AND id = ?');
		this.#selectRequests = db.prepare(
			'SELECT * FROM change_requests WHERE board = ? ORDER BY created_at DESC, id LIMIT ?'
		);
		this.#decideRequest = db.prepare(
			`UPDATE change_requests SET status = ?, decided_by = ?, decided_at = ?
			WHERE board = ? AND id = ? AND status = 'pending'`
		);
		this.#upsertMember = db.prepare(
			`INSERT INTO members (board, person, name, teams, roles, admin, joined_at, changed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (board, person) DO UPDATE SET
				name = excluded.name, teams = excluded.teams, roles = excluded.roles,
				admin = excluded.admin, changed_at = coalesce(excluded.changed_at, changed_at)`
		);
		this.#selectMember = db.prepare('SELECT * FROM members WHERE board = ? AND person = ?');
		this.#selectMembers = db.prepare(
			'SELECT * FROM members WHERE board = ? ORDER BY joined_at, person'
		);
		this.#removeMember = db.prepare(
			'UPDATE members SET removed_at = ? WHERE board = ? AND person = ? AND removed_at IS NULL'
		);
		this.#insertInvite = db.prepare(
			`INSERT INTO invites (board, id, team, role, created_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (board, id) DO NOTHING`
		);
		this.#selectInvite = db.prepare('SELECT * FROM invites WHERE board = ? AND id = ?');
		this.#selectOpenInvites = db.prepare(
			`SELECT * FROM invites WHERE board = ? AND revoked_at IS NULL AND expires_at > ?
			ORDER BY created_at DESC, id LIMIT ?`
		);
		this.#revokeInvite = db.prepare(
			'UPDATE invites SET revoked_at = ? WHERE board = ? AND id = ? AND revoked_at IS NULL'
		);
	}

	async createBoard(board: NewBoard): Promise<boolean> {
		const inserted = this.#insertBoard.run(
			board.id,
			board.name,
			board.createdAt,
			board.sandbox ? 1 : 0,
			board.lastActiveAt ?? board.createdAt
		);
		return inserted.changes === 1;
	}

	async board(id: string): Promise<BoardRecord | null> {
		const row = this.#selectBoard.get(id);
		return row ? boardFromRow(row) : null;
	}

	async touchBoard(id: string, at: number): Promise<void> {
		this.#touchBoard.run(at, id, at);
	}

	async idleSandboxes(before: number, limit: number): Promise<string[]> {
		return this.#selectIdle.all(before, limit);
	}

	async deleteBoard(id: string): Promise<boolean> {
		return this.#deleteBoard.immediate(id);
	}

	async putMember(member: MemberInput): Promise<Member> {
		this.#upsertMember.run(
			member.boardId,
			member.personId,
			member.name,
			JSON.stringify(member.teams),
			JSON.stringify(member.roles),
			member.admin ? 1 : 0,
			member.joinedAt,
			member.changedAt ?? null
		);
		return (await this.member(member.boardId, member.personId))!;
	}

	async member(boardId: string, personId: string): Promise<Member | null> {
		const row = this.#selectMember.get(boardId, personId);
		return row ? memberFromRow(row) : null;
	}

	async members(boardId: string): Promise<Member[]> {
		return this.#selectMembers.all(boardId).map(memberFromRow);
	}

	async membersOfBoards(boardIds: readonly string[]): Promise<Member[]> {
		// One process reads its own file: a read per board costs no round trip.
		return [...new Set(boardIds)].flatMap((boardId) =>
			this.#selectMembers.all(boardId).map(memberFromRow)
		);
	}

	async remove(boardId: string, personId: string, at: number): Promise<boolean> {
		return this.#removeMember.run(at, boardId, personId).changes === 1;
	}

	async putInvite(invite: Omit<InviteRecord, 'revokedAt'>): Promise<void> {
		this.#insertInvite.run(
			invite.boardId,
			invite.id,
			invite.teamId,
			invite.role,
			invite.createdBy,
			invite.createdAt,
			invite.expiresAt
		);
	}

	async invite(boardId: string, id: string): Promise<InviteRecord | null> {
		const row = this.#selectInvite.get(boardId, id);
		return row ? inviteFromRow(row) : null;
	}

	async openInvites(boardId: string, now: number, limit: number): Promise<InviteRecord[]> {
		return this.#selectOpenInvites.all(boardId, now, limit).map(inviteFromRow);
	}

	async revokeInvite(boardId: string, id: string, at: number): Promise<boolean> {
		return this.#revokeInvite.run(at, boardId, id).changes === 1;
	}

	async putRequest(
		request: Omit<ChangeRequestRecord, 'status' | 'decidedBy' | 'decidedAt'>
	): Promise<void> {
		this.#insertRequest.run(
			request.boardId,
			request.id,
			request.personId,
			JSON.stringify(request.teams),
			JSON.stringify(request.roles),
			request.createdAt
		);
	}

	async request(boardId: string, id: string): Promise<ChangeRequestRecord | null> {
		const row = this.#selectRequest.get(boardId, id);
		return row ? requestFromRow(row) : null;
	}

	async requests(boardId: string, limit: number): Promise<ChangeRequestRecord[]> {
		return this.#selectRequests.all(boardId, limit).map(requestFromRow);
	}

	async decideRequest(
		boardId: string,
		id: string,
		status: Exclude<RequestStatus, 'pending'>,
		by: string,
		at: number
	): Promise<boolean> {
		return this.#decideRequest.run(status, by, at, boardId, id).changes === 1;
	}
}
