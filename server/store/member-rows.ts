/**
 * How the SQL member stores (SQLite, PostgreSQL) turn rows into records: one reading of stored
 * values for both, so a role or status this server no longer knows reads the same everywhere.
 * Flags are 0/1 in SQLite and booleans in PostgreSQL; lists are JSON text in SQLite and jsonb
 * (already parsed) in PostgreSQL.
 */
import { REQUEST_STATUSES } from '../../src/lib/domain/membership';
import { Role } from '../../src/lib/domain/schema';
import type { BoardRecord, ChangeRequestRecord, InviteRecord, Member } from './members';

type Flag = number | boolean;
/** A stored list: JSON text, or the value a driver already parsed. */
type List = unknown;

export interface BoardRow {
	id: string;
	name: string;
	created_at: number;
	sandbox: Flag;
	last_active_at: number;
}

export interface RequestRow {
	board: string;
	id: string;
	person: string;
	teams: List;
	roles: List;
	status: string;
	created_at: number;
	decided_by: string | null;
	decided_at: number | null;
}

export interface MemberRow {
	board: string;
	person: string;
	name: string;
	teams: List;
	roles: List;
	admin: Flag;
	joined_at: number;
	removed_at: number | null;
	changed_at: number | null;
}

export interface InviteRow {
	board: string;
	id: string;
	team: string | null;
	role: string;
	created_by: string;
	created_at: number;
	expires_at: number;
	revoked_at: number | null;
}

export function boardFromRow(row: BoardRow): BoardRecord {
	return {
		id: row.id,
		name: row.name,
		createdAt: row.created_at,
		sandbox: flag(row.sandbox),
		lastActiveAt: row.last_active_at
	};
}

/** A stored request; a status this server does not know reads as withdrawn (it cannot be decided). */
export function requestFromRow(row: RequestRow): ChangeRequestRecord {
	const status = REQUEST_STATUSES.find((known) => known === row.status) ?? 'withdrawn';
	return {
		boardId: row.board,
		id: row.id,
		personId: row.person,
		teams: strings(row.teams),
		roles: roles(row.roles),
		status,
		createdAt: row.created_at,
		decidedBy: row.decided_by,
		decidedAt: row.decided_at
	};
}

/** A stored invite; a role this server no longer knows makes it a stakeholder invite. */
export function inviteFromRow(row: InviteRow): InviteRecord {
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

export function memberFromRow(row: MemberRow): Member {
	return {
		boardId: row.board,
		personId: row.person,
		name: row.name,
		teams: strings(row.teams),
		roles: roles(row.roles),
		admin: flag(row.admin),
		joinedAt: row.joined_at,
		removedAt: row.removed_at,
		changedAt: row.changed_at ?? null
	};
}

function flag(value: Flag): boolean {
	return value === true || value === 1;
}

function strings(list: List): string[] {
	return parseList(list).filter((item): item is string => typeof item === 'string');
}

/** Stored roles this server knows (one it no longer knows is dropped). */
function roles(list: List): Role[] {
	return parseList(list).flatMap((role) => {
		const parsed = Role.safeParse(role);
		return parsed.success ? [parsed.data] : [];
	});
}

function parseList(list: List): unknown[] {
	if (Array.isArray(list)) return list;
	if (typeof list !== 'string') return [];
	try {
		const value: unknown = JSON.parse(list);
		return Array.isArray(value) ? value : [];
	} catch {
		return [];
	}
}
