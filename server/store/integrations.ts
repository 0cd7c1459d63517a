/**
 * The alert integrations of boards and the alert groups they opened work for: the server's own
 * record, never a document clients can edit. A token is kept only as its SHA-256 hash, like a
 * password: a stolen database opens no intake. The group record is what makes one group open one
 * work package, even when two instances take the same notification at once: the first claim
 * wins, the other reads the winner's. SQLite and PostgreSQL keep them next to the members
 * (sqlite-integrations.ts, postgres-integrations.ts); this one, in memory, is for tests.
 */
import type { AlertRouting } from '../../src/lib/domain/alerts';

export interface IntegrationRecord {
	boardId: string;
	id: string;
	name: string;
	/** SHA-256 of the token, hex. */
	tokenHash: string;
	routing: AlertRouting;
	/** The admin who made it. */
	createdBy: string;
	/** ms since epoch */
	createdAt: number;
	/** ms since epoch; null while it takes alerts */
	revokedAt: number | null;
}

/** Which work package an alert group (by the hash of its `groupKey`) has. */
export interface AlertGroupRecord {
	boardId: string;
	integrationId: string;
	/** SHA-256 of the group key, hex: keys can be longer than an index takes. */
	groupHash: string;
	workPackageId: string;
	/** ms since epoch: when this work package was claimed for the group. */
	claimedAt: number;
}

export interface IntegrationStore {
	/** Records an integration as it is created (an id already used is ignored). */
	putIntegration(integration: Omit<IntegrationRecord, 'revokedAt'>): Promise<void>;
	integration(boardId: string, id: string): Promise<IntegrationRecord | null>;
	/** Integrations not revoked, newest first, at most `limit`. */
	openIntegrations(boardId: string, limit: number): Promise<IntegrationRecord[]>;
	/** Marks an integration revoked; false when there is none or it was revoked before. */
	revokeIntegration(boardId: string, id: string, at: number): Promise<boolean>;
	/** The work package a group has, or null when it never had one. */
	alertGroup(
		boardId: string,
		integrationId: string,
		groupHash: string
	): Promise<AlertGroupRecord | null>;
	/**
	 * Gives a group the work package `workPackageId` unless it has one: resolves with the record
	 * stored afterwards, this claim's or the one that was there first.
	 */
	claimAlertGroup(record: AlertGroupRecord): Promise<AlertGroupRecord>;
	/**
	 * Moves a group from work package `from` (completed) to `record.workPackageId`, only while it
	 * still has `from`; false when another claim moved it first.
	 */
	reclaimAlertGroup(record: AlertGroupRecord, from: string): Promise<boolean>;
	/** Forgets a board's integrations and alert groups. */
	deleteBoardIntegrations(boardId: string): Promise<void>;
}

export class MemoryIntegrationStore implements IntegrationStore {
	readonly #integrations = new Map<string, IntegrationRecord>();
	readonly #groups = new Map<string, AlertGroupRecord>();

	async putIntegration(integration: Omit<IntegrationRecord, 'revokedAt'>): Promise<void> {
		const key = keyOf(integration.boardId, integration.id);
		if (this.#integrations.has(key)) return;
		this.#integrations.set(key, { ...copyIntegration(integration), revokedAt: null });
	}

	async integration(boardId: string, id: string): Promise<IntegrationRecord | null> {
		const found = this.#integrations.get(keyOf(boardId, id));
		return found ? copyIntegration(found) : null;
	}

	async openIntegrations(boardId: string, limit: number): Promise<IntegrationRecord[]> {
		return [...this.#integrations.values()]
			.filter((i) => i.boardId === boardId && i.revokedAt === null)
			.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
			.slice(0, limit)
			.map(copyIntegration);
	}

	async revokeIntegration(boardId: string, id: string, at: number): Promise<boolean> {
		const found = this.#integrations.get(keyOf(boardId, id));
		if (!found || found.revokedAt !== null) return false;
		found.revokedAt = at;
		return true;
	}

	async alertGroup(
		boardId: string,
		integrationId: string,
		groupHash: string
	): Promise<AlertGroupRecord | null> {
		const found = this.#groups.get(keyOf(boardId, integrationId, groupHash));
		return found ? { ...found } : null;
	}

	async claimAlertGroup(record: AlertGroupRecord): Promise<AlertGroupRecord> {
		const key = keyOf(record.boardId, record.integrationId, record.groupHash);
		const existing = this.#groups.get(key);
		if (existing) return { ...existing };
		this.#groups.set(key, { ...record });
		return { ...record };
	}

	async reclaimAlertGroup(record: AlertGroupRecord, from: string): Promise<boolean> {
		const key = keyOf(record.boardId, record.integrationId, record.groupHash);
		const existing = this.#groups.get(key);
		if (!existing || existing.workPackageId !== from) return false;
		this.#groups.set(key, { ...record });
		return true;
	}

	async deleteBoardIntegrations(boardId: string): Promise<void> {
		for (const map of [this.#integrations, this.#groups]) {
			for (const [key, record] of map) if (record.boardId === boardId) map.delete(key);
		}
	}
}

function keyOf(...parts: string[]): string {
	return parts.join('\u0000');
}

/** A copy with its own routing, so a caller changing what it read changes nothing stored. */
export function copyIntegration<T extends Omit<IntegrationRecord, 'revokedAt'>>(record: T): T {
	return { ...record, routing: structuredClone(record.routing) };
}
