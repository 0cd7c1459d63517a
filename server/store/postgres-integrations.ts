/**
 * IntegrationStore in the PostgreSQL database of the document store (tables `integrations` and
 * `alert_groups`, schema version 3), shared by every instance using that database.
 */
import type { Pool, QueryResultRow } from 'pg';
import {
	alertGroupFromRow,
	integrationFromRow,
	type AlertGroupRow,
	type IntegrationRow
} from './integration-rows';
import type { AlertGroupRecord, IntegrationRecord, IntegrationStore } from './integrations';

type StorageError = (action: string, cause: unknown) => Error;

export class PostgresIntegrationStore implements IntegrationStore {
	readonly #pool: Pool;
	readonly #storageError: StorageError;

	/** Used through PostgresStore.integrations(), which shares its pool and error messages. */
	constructor(pool: Pool, storageError: StorageError) {
		this.#pool = pool;
		this.#storageError = storageError;
	}

	async putIntegration(integration: Omit<IntegrationRecord, 'revokedAt'>): Promise<void> {
		await this.#query(
			`Recording integration ${JSON.stringify(integration.id)}`,
			`INSERT INTO integrations (board, id, name, token_hash, routing, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (board, id) DO NOTHING`,
			[
				integration.boardId,
				integration.id,
				integration.name,
				integration.tokenHash,
				JSON.stringify(integration.routing),
				integration.createdBy,
				integration.createdAt
			]
		);
	}

	async integration(boardId: string, id: string): Promise<IntegrationRecord | null> {
		const { rows } = await this.#query<IntegrationRow>(
			`Reading integration ${JSON.stringify(id)}`,
			'SELECT * FROM integrations WHERE board = $1 AND id = $2',
			[boardId, id]
		);
		return rows[0] ? integrationFromRow(rows[0]) : null;
	}

	async openIntegrations(boardId: string, limit: number): Promise<IntegrationRecord[]> {
		const { rows } = await this.#query<IntegrationRow>(
			`Listing the integrations of board ${JSON.stringify(boardId)}`,
			`SELECT * FROM integrations WHERE board = $1 AND revoked_at IS NULL
			ORDER BY created_at DESC, id LIMIT $2`,
			[boardId, limit]
		);
		return rows.flatMap((row) => integrationFromRow(row) ?? []);
	}

	async revokeIntegration(boardId: string, id: string, at: number): Promise<boolean> {
		const { rowCount } = await this.#query(
			`Revoking integration ${JSON.stringify(id)}`,
			`UPDATE integrations SET revoked_at = $1
			WHERE board = $2 AND id = $3 AND revoked_at IS NULL`,
			[at, boardId, id]
		);
		return rowCount === 1;
	}

	async alertGroup(
		boardId: string,
		integrationId: string,
		groupHash: string
	): Promise<AlertGroupRecord | null> {
		const { rows } = await this.#query<AlertGroupRow>(
			'Reading an alert group',
			'SELECT * FROM alert_groups WHERE board = $1 AND integration = $2 AND group_hash = $3',
			[boardId, integrationId, groupHash]
		);
		return rows[0] ? alertGroupFromRow(rows[0]) : null;
	}

	async claimAlertGroup(record: AlertGroupRecord): Promise<AlertGroupRecord> {
		// One statement: the insert, or the row a concurrent claim committed first.
		const { rows } = await this.#query<AlertGroupRow>(
			'Claiming an alert group',
			`WITH claimed AS (
				INSERT INTO alert_groups (board, integration, group_hash, work_package, claimed_at)
				VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (board, integration, group_hash) DO NOTHING
				RETURNING *
			)
			SELECT * FROM claimed
			UNION ALL
			SELECT * FROM alert_groups
			WHERE board = $1 AND integration = $2 AND group_hash = $3
				AND NOT EXISTS (SELECT 1 FROM claimed)`,
			[
				record.boardId,
				record.integrationId,
				record.groupHash,
				record.workPackageId,
				record.claimedAt
			]
		);
		if (rows[0]) return alertGroupFromRow(rows[0]);
		// The other claim had not committed when the statement's snapshot was taken: read again.
		return (
			(await this.alertGroup(record.boardId, record.integrationId, record.groupHash)) ?? record
		);
	}

	async reclaimAlertGroup(record: AlertGroupRecord, from: string): Promise<boolean> {
		const { rowCount } = await this.#query(
			'Moving an alert group to a new work package',
			`UPDATE alert_groups SET work_package = $1, claimed_at = $2
			WHERE board = $3 AND integration = $4 AND group_hash = $5 AND work_package = $6`,
			[
				record.workPackageId,
				record.claimedAt,
				record.boardId,
				record.integrationId,
				record.groupHash,
				from
			]
		);
		return rowCount === 1;
	}

	async deleteBoardIntegrations(boardId: string): Promise<void> {
		await this.#query(
			`Deleting the integrations of board ${JSON.stringify(boardId)}`,
			`WITH groups AS (DELETE FROM alert_groups WHERE board = $1)
			DELETE FROM integrations WHERE board = $1`,
			[boardId]
		);
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
