/** MemberStore in the SQLite file of the document store (tables `boards` and `members`). */
import type Database from 'better-sqlite3';
import { Role } from '../../src/lib/domain/schema';
import type { BoardRecord, Member, MemberStore } from './members';

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
