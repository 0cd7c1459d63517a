/**
 * MemberStore in the SQLite file of the document store (tables `boards`, `members` and
 * `invites`).
 */
import type Database from 'better-sqlite3';
import { Role } from '../../src/lib/domain/schema';
import type { BoardRecord, InviteRecord, Member, MemberStore } from './members';

interface MemberRow {
	board: string;
	person: string;
	name: string;
	teams: string;
	roles: string;
	admin: number;
	joined_at: number;
	removed_at: number | null;
}

interface InviteRow {
	board: string;
	id: string;
	team: string | null;
	role: string;
	created_by: string;
	created_at: number;
	expires_at: number;
	revoked_at: number | null;
}

export class SqliteMemberStore implements MemberStore {
	readonly #insertBoard: Database.Statement<[string, string, number]>;
	readonly #selectBoard: Database.Statement<
		[string],
		{ id: string; name: string; created_at: number }
	>;
	readonly #upsertMember: Database.Statement<
		[string, string, string, string, string, number, number]
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
			'INSERT INTO boards (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING'
		);
		this.#selectBoard = db.prepare('SELECT id, name, created_at FROM boards WHERE id = ?');
		this.#upsertMember = db.prepare(
			`INSERT INTO members (board, person, name, teams, roles, admin, joined_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (board, person) DO UPDATE SET
				name = excluded.name, teams = excluded.teams, roles = excluded.roles, admin = excluded.admin`
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

	async createBoard(board: BoardRecord): Promise<boolean> {
		return this.#insertBoard.run(board.id, board.name, board.createdAt).changes === 1;
	}

	async board(id: string): Promise<BoardRecord | null> {
		const row = this.#selectBoard.get(id);
		return row ? { id: row.id, name: row.name, createdAt: row.created_at } : null;
	}

	async putMember(member: Omit<Member, 'removedAt'>): Promise<Member> {
		this.#upsertMember.run(
			member.boardId,
			member.personId,
			member.name,
			JSON.stringify(member.teams),
			JSON.stringify(member.roles),
			member.admin ? 1 : 0,
			member.joinedAt
		);
		return (await this.member(member.boardId, member.personId))!;
	}

	async member(boardId: string, personId: string): Promise<Member | null> {
		const row = this.#selectMember.get(boardId, personId);
		return row ? fromRow(row) : null;
	}

	async members(boardId: string): Promise<Member[]> {
		return this.#selectMembers.all(boardId).map(fromRow);
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
}

/** A stored invite; a role this server no longer knows makes it a stakeholder invite. */
function inviteFromRow(row: InviteRow): InviteRecord {
	const role = Role.safeParse(row.role);
	return {
		boardId: row.board,
		id: row.id,
		teamId: row.team,
		role: role.success ? role.data : 'stakeholder',
		createdBy: row.created_by,
		createdAt: row.created_at,
		expiresAt: row.expires_at,
		revokedAt: row.revoked_at
	};
}

function fromRow(row: MemberRow): Member {
	return {
		boardId: row.board,
		personId: row.person,
		name: row.name,
		teams: parseList(row.teams).filter((team): team is string => typeof team === 'string'),
		roles: parseList(row.roles).flatMap((role) => {
			const parsed = Role.safeParse(role);
			return parsed.success ? [parsed.data] : [];
		}),
		admin: row.admin === 1,
		joinedAt: row.joined_at,
		removedAt: row.removed_at
	};
}

function parseList(text: string): unknown[] {
	try {
		const value: unknown = JSON.parse(text);
		return Array.isArray(value) ? value : [];
	} catch {
		return [];
	}
}
