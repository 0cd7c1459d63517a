/**
 * How the SQL integration stores (SQLite, PostgreSQL) turn rows into records: one reading for
 * both. Routing is JSON text in SQLite and jsonb (already parsed) in PostgreSQL; a routing this
 * server cannot read makes the integration read as absent, so its token opens nothing.
 */
import { AlertRouting } from '../../src/lib/domain/alerts';
import type { AlertGroupRecord, IntegrationRecord } from './integrations';

export interface IntegrationRow {
	board: string;
	id: string;
	name: string;
	token_hash: string;
	routing: unknown;
	created_by: string;
	created_at: number | string;
	revoked_at: number | string | null;
}

export interface AlertGroupRow {
	board: string;
	integration: string;
	group_hash: string;
	work_package: string;
	claimed_at: number | string;
}

export function integrationFromRow(row: IntegrationRow): IntegrationRecord | null {
	const routing = AlertRouting.safeParse(parseJson(row.routing));
	if (!routing.success) return null;
	return {
		boardId: row.board,
		id: row.id,
		name: row.name,
		tokenHash: row.token_hash,
		routing: routing.data,
		createdBy: row.created_by,
		createdAt: Number(row.created_at),
		revokedAt: row.revoked_at === null ? null : Number(row.revoked_at)
	};
}

export function alertGroupFromRow(row: AlertGroupRow): AlertGroupRecord {
	return {
		boardId: row.board,
		integrationId: row.integration,
		groupHash: row.group_hash,
		workPackageId: row.work_package,
		claimedAt: Number(row.claimed_at)
	};
}

function parseJson(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch {
		return null;
	}
}
