/**
 * IntegrationStore in the SQLite file of the document store (tables `integrations` and
 * `alert_groups`, schema version 7).
 */
import type Database from 'better-sqlite3';
import {
	alertGroupFromRow,
	integrationFromRow,
	type AlertGroupRow,
	type IntegrationRow
} from './integration-rows';
import type { AlertGroupRecord, IntegrationRecord, IntegrationStore } from './integrations';

export class SqliteIntegrationStore implements IntegrationStore {
	readonly #insertIntegration: Database.Statement<
		[string, string, string, string, string, string, number]
	>;
	readonly #selectIntegration: Database.Statement<[string, string], IntegrationRow>;
	readonly #selectOpen: Database.Statement<[string, number], IntegrationRow>;
	readonly #revoke: Database.Statement<[number, string, string]>;
	readonly #selectGroup: Database.Statement<[string, string, string], AlertGroupRow>;
	readonly #insertGroup: Database.Statement<[string, string, string, string, number]>;
	readonly #reclaimGroup: Database.Statement<[string, number, string, string, string, string]>;
	readonly #deleteBoard: Database.Transaction<(boardId: string) => void>;

	constructor(db: Database.Database) {
		this.#insertIntegration = db.prepare(
			`INSERT INTO integrations (board, id, name, token_hash, routing, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (board, id) DO NOTHING`
		);
		this.#selectIntegration = db.prepare('SELECT * FROM integrations WHERE board = ? AND id = ?');
		this.#selectOpen = db.prepare(
			`SELECT * FROM integrations WHERE board = ? AND revoked_at IS NULL
			ORDER BY created_at DESC, id LIMIT ?`
		);
		this.#revoke = db.prepare(
			'UPDATE integrations SET revoked_at = ? WHERE board = ? AND id = ? AND revoked_at IS NULL'
		);
		this.#selectGroup = db.prepare(
			'SELECT * FROM alert_groups WHERE board = ? AND integration = ? AND group_hash = ?'
		);
		// The primary key makes the first claim win, whichever process or instance makes it.
		this.#insertGroup = db.prepare(
			`INSERT INTO alert_groups (board, integration, group_hash, work_package, claimed_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (board, integration, group_hash) DO NOTHING`
		);
		this.#reclaimGroup = db.prepare(
			`UPDATE alert_groups SET work_package = ?, claimed_at = ?
			WHERE board = ? AND integration = ? AND group_hash = ? AND work_package = ?`
		);
		const deleteIntegrations = db.prepare<[string]>('DELETE FROM integrations WHERE board = ?');
		const deleteGroups = db.prepare<[string]>('DELETE FROM alert_groups WHERE board = ?');
		this.#deleteBoard = db.transaction((boardId: string) => {
			deleteGroups.run(boardId);
			deleteIntegrations.run(boardId);
		});
	}

	async putIntegration(integration: Omit<IntegrationRecord, 'revokedAt'>): Promise<void> {
		this.#insertIntegration.run(
			integration.boardId,
			integration.id,
			integration.name,
			integration.tokenHash,
			JSON.stringify(integration.routing),
			integration.createdBy,
			integration.createdAt
		);
	}

	async integration(boardId: string, id: string): Promise<IntegrationRecord | null> {
		const row = this.#selectIntegration.get(boardId, id);
		return row ? integrationFromRow(row) : null;
	}

	async openIntegrations(boardId: string, limit: number): Promise<IntegrationRecord[]> {
		return this.#selectOpen.all(boardId, limit).flatMap((row) => integrationFromRow(row) ?? []);
	}

	async revokeIntegration(boardId: string, id: string, at: number): Promise<boolean> {
		return this.#revoke.run(at, boardId, id).changes === 1;
	}

	async alertGroup(
		boardId: string,
		integrationId: string,
		groupHash: string
	): Promise<AlertGroupRecord | null> {
		const row = this.#selectGroup.get(boardId, integrationId, groupHash);
		return row ? alertGroupFromRow(row) : null;
	}

	async claimAlertGroup(record: AlertGroupRecord): Promise<AlertGroupRecord> {
		this.#insertGroup.run(
			record.boardId,
			record.integrationId,
			record.groupHash,
			record.workPackageId,
			record.claimedAt
		);
		return (await this.alertGroup(record.boardId, record.integrationId, record.groupHash))!;
	}

	async reclaimAlertGroup(record: AlertGroupRecord, from: string): Promise<boolean> {
		const changed = this.#reclaimGroup.run(
			record.workPackageId,
			record.claimedAt,
			record.boardId,
			record.integrationId,
			record.groupHash,
			from
		);
		return changed.changes === 1;
	}

	async deleteBoardIntegrations(boardId: string): Promise<void> {
		this.#deleteBoard.immediate(boardId);
	}
}
