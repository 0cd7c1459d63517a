/**
 * MemberStore in the PostgreSQL database of the document store (tables `boards`, `members`,
 * `invites` and `change_requests`), shared by every instance using that database.
 */
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { RequestStatus } from '../../src/lib/domain/membership';
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
import type {
	BoardRecord,
	ChangeRequestRecord,
	InviteRecord,
	Member,
	MemberInput,
	MemberStore,
	NewBoard
} from './members';

type Transaction = <T>(work: (client: PoolClient) => Promise<T>) => Promise<T>;
type StorageError = (action: string, cause: unknown) => Error;

export class PostgresMemberStore implements MemberStore {
	readonly #pool: Pool;
	readonly #transaction: Transaction;
	readonly #storageError: StorageError;

	/** Used through PostgresStore.members(), which shares its pool and error messages. */
	constructor(pool: Pool, transaction: Transaction, storageError: StorageError) {
		this.#pool = pool;
		this.#transaction = transaction;
		this.#storageError = storageError;
	}

	async createBoard(board: NewBoard): Promise<boolean> {
		const { rowCount } = await this.#query(
			`Registering board ${JSON.stringify(board.id)}`,
			`INSERT INTO boards (id, name, created_at, sandbox, last_active_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
			[
				board.id,
				board.name,
				board.createdAt,
				board.sandbox ?? false,
				board.lastActiveAt ?? board.createdAt
			]
		);
		return rowCount === 1;
	}

	async board(id: string): Promise<BoardRecord | null> {
		const { rows } = await this.#query<BoardRow>(
			`Reading board ${JSON.stringify(id)}`,
			'SELECT id, name, created_at, sandbox, last_active_at FROM boards WHERE id = $1',
			[id]
		);
		return rows[0] ? boardFromRow(rows[0]) : null;
	}

	async touchBoard(id: string, at: number): Promise<void> {
		await this.#query(
			`Recording activity on board ${JSON.stringify(id)}`,
			'UPDATE boards SET last_active_at = $1 WHERE id = $2 AND last_active_at < $1',
			[at, id]
		);
	}

	async idleSandboxes(before: number, limit: number): Promise<string[]> {
		const { rows } = await this.#query<{ id: string }>(
			'Looking for idle demo sandboxes',
			`SELECT id FROM boards WHERE sandbox AND last_active_at < $1
			ORDER BY last_active_at, id LIMIT $2`,
			[before, limit]
		);
		return rows.map((row) => row.id);
	}

	async deleteBoard(id: string): Promise<boolean> {
		try {
			return await this.#transaction(async (client) => {
				for (const table of ['members', 'invites', 'change_requests']) {
					await client.query(`DELETE FROM ${table} WHERE board = $1`, [id]);
				}
				const { rowCount } = await client.query('DELETE FROM boards WHERE id = $1', [id]);
				return rowCount === 1;
			});
		} catch (error) {
			throw this.#storageError(`Deleting board ${JSON.stringify(id)}`, error);
		}
	}

	async putMember(member: MemberInput): Promise<Member> {
		const { rows } = await this.#query<MemberRow>(
			`Saving member ${JSON.stringify(member.personId)} of ${JSON.stringify(member.boardId)}`,
			`INSERT INTO members (board, person, name, teams, roles, admin, joined_at, changed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (board, person) DO UPDATE SET
				name = excluded.name, teams = excluded.teams, roles = excluded.roles,
				admin = excluded.admin, changed_at = coalesce(excluded.changed_at, members.changed_at)
			RETURNING *`,
			[
				member.boardId,
				member.personId,
				member.name,
				JSON.stringify(member.teams),
				JSON.stringify(member.roles),
				member.admin,
				member.joinedAt,
				member.changedAt ?? null
			]
		);
		return memberFromRow(rows[0]!);
	}

	async member(boardId: string, personId: string): Promise<Member | null> {
		const { rows } = await this.#query<MemberRow>(
			`Reading member ${JSON.stringify(personId)} of ${JSON.stringify(boardId)}`,
			'SELECT * FROM members WHERE board = $1 AND person = $2',
			[boardId, personId]
		);
		return rows[0] ? memberFromRow(rows[0]) : null;
	}

	async members(boardId: string): Promise<Member[]> {
		const { rows } = await this.#query<MemberRow>(
			`Reading the members of ${JSON.stringify(boardId)}`,
			'SELECT * FROM members WHERE board = $1 ORDER BY joined_at, person',
			[boardId]
		);
		return rows.map(memberFromRow);
	}

	async membersOfBoards(boardIds: readonly string[]): Promise<Member[]> {
		const boards = [...new Set(boardIds)];
		const members: Member[] = [];
		// One query per thousand boards, however many are open.
		for (let i = 0; i < boards.length; i += 1_000) {
			const slice = boards.slice(i, i + 1_000);
			const { rows } = await this.#query<MemberRow>(
				`Reading the members of ${slice.length} board(s)`,
				'SELECT * FROM members WHERE board = ANY($1::text[])',
				[slice]
			);
			members.push(...rows.map(memberFromRow));
		}
		return members;
	}

	async remove(boardId: string, personId: string, at: number): Promise<boolean> {
		const { rowCount } = await this.#query(
			`Removing member ${JSON.stringify(personId)} of ${JSON.stringify(boardId)}`,
			'UPDATE members SET removed_at = $1 WHERE board = $2 AND person = $3 AND removed_at IS NULL',
			[at, boardId, personId]
		);
		return rowCount === 1;
	}

	async putInvite(invite: Omit<InviteRecord, 'revokedAt'>): Promise<void> {
		await this.#query(
			`Recording an invite to ${JSON.stringify(invite.boardId)}`,
			`INSERT INTO invites (board, id, team, role, created_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (board, id) DO NOTHING`,
			[
				invite.boardId,
				invite.id,
				invite.teamId,
				invite.role,
				invite.createdBy,
				invite.createdAt,
				invite.expiresAt
			]
		);
	}

	async invite(boardId: string, id: string): Promise<InviteRecord | null> {
		const { rows } = await this.#query<InviteRow>(
			`Reading an invite to ${JSON.stringify(boardId)}`,
			'SELECT * FROM invites WHERE board = $1 AND id = $2',
			[boardId, id]
		);
		return rows[0] ? inviteFromRow(rows[0]) : null;
	}

	async openInvites(boardId: string, now: number, limit: number): Promise<InviteRecord[]> {
		const { rows } = await this.#query<InviteRow>(
			`Reading the invites to ${JSON.stringify(boardId)}`,
			`SELECT * FROM invites WHERE board = $1 AND revoked_at IS NULL AND expires_at > $2
			ORDER BY created_at DESC, id LIMIT $3`,
			[boardId, now, limit]
		);
		return rows.map(inviteFromRow);
	}

	async revokeInvite(boardId: string, id: string, at: number): Promise<boolean> {
		const { rowCount } = await this.#query(
			`Revoking an invite to ${JSON.stringify(boardId)}`,
			'UPDATE invites SET revoked_at = $1 WHERE board = $2 AND id = $3 AND revoked_at IS NULL',
			[at, boardId, id]
		);
		return rowCount === 1;
	}

	async putRequest(
		request: Omit<ChangeRequestRecord, 'status' | 'decidedBy' | 'decidedAt'>
	): Promise<void> {
		await this.#query(
			`Recording a change request on ${JSON.stringify(request.boardId)}`,
			`INSERT INTO change_requests (board, id, person, teams, roles, status, created_at)
			VALUES ($1, $2, $3, $4, $5, 'pending', $6) ON CONFLICT (board, id) DO NOTHING`,
			[
				request.boardId,
				request.id,
				request.personId,
				JSON.stringify(request.teams),
				JSON.stringify(request.roles),
				request.createdAt
			]
		);
	}

	async request(boardId: string, id: string): Promise<ChangeRequestRecord | null> {
		const { rows } = await this.#query<RequestRow>(
			`Reading a change request on ${JSON.stringify(boardId)}`,
			'SELECT * FROM change_requests WHERE board = $1 AND id = $2',
			[boardId, id]
		);
		return rows[0] ? requestFromRow(rows[0]) : null;
	}

	async requests(boardId: string, limit: number): Promise<ChangeRequestRecord[]> {
		const { rows } = await this.#query<RequestRow>(
			`Reading the change requests on ${JSON.stringify(boardId)}`,
			'SELECT * FROM change_requests WHERE board = $1 ORDER BY created_at DESC, id LIMIT $2',
			[boardId, limit]
		);
		return rows.map(requestFromRow);
	}

	async decideRequest(
		boardId: string,
		id: string,
		status: Exclude<RequestStatus, 'pending'>,
		by: string,
		at: number
	): Promise<boolean> {
		const { rowCount } = await this.#query(
			`Settling a change request on ${JSON.stringify(boardId)}`,
			`UPDATE change_requests SET status = $1, decided_by = $2, decided_at = $3
			WHERE board = $4 AND id = $5 AND status = 'pending'`,
			[status, by, at, boardId, id]
		);
		return rowCount === 1;
	}

	/** One statement on a pooled connection; failures say what was being done, and where. */
	async #query<Row extends QueryResultRow = QueryResultRow>(
		action: string,
		text: string,
		values: unknown[]
	) {
		try {
			return await this.#pool.query<Row>(text, values);
		} catch (error) {
			throw this.#storageError(action, error);
		}
	}
}
